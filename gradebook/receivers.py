from .models import LessonWork


def lessons_with_works(sender, lesson_ids, **kwargs) -> set[int]:
    """A lesson with a work (a column of marks) is never removed by a timetable change."""
    return set(LessonWork.objects.filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True).distinct())
