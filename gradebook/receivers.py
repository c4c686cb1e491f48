from . import signals
from .models import LessonWork


def mark_history_written(sender, instance, history_instance, **kwargs) -> None:
    """Every row of a mark's history becomes one `mark_changed` (simple_history's own signal, re-sent as ours so
    that the apps to the right depend on the gradebook's vocabulary only)."""
    signals.mark_changed.send(
        sender=None, school_id=instance.school_id, pupil_id=instance.pupil_id, history_id=history_instance.history_id
    )


def lessons_with_works(sender, lesson_ids, **kwargs) -> set[int]:
    """A lesson with a work (a column of marks) is never removed by a timetable change."""
    return set(LessonWork.objects.filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True).distinct())
