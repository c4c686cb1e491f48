from .models import Absence, AttendanceTaken
from .services import notices_fill


def lessons_with_attendance(sender, lesson_ids, **kwargs) -> set[int]:
    """A lesson with an absence or with its attendance taken is never removed by a timetable change."""
    absent = Absence.objects.filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True).distinct()
    taken = AttendanceTaken.objects.filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True)
    return set(absent) | set(taken)


def fill_new_lessons(sender, lessons, **kwargs) -> None:
    """Lessons made after a notice of several days was recorded get its absences (the service's rule)."""
    notices_fill(lessons)
