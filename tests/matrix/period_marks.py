"""Permission-matrix rows of a course's period and year marks (issue 6; R-A03..R-A07, R-E03): read by whoever reads
the course's journal, set by its teacher only; never a pupil or a parent."""

from schedule.models import StudyPeriod

from . import REDIRECT, Case, only
from .journal import OTHER_SCHOOL, READERS, journal_course


def own_course(w):
    return {"course_id": journal_course(w).pk}


def second_quarter(w) -> StudyPeriod:
    course = journal_course(w)
    return StudyPeriod.objects.get(year=course.year, number=2, grade_from__lte=5, grade_to__gte=5)


ROWS: dict[str, list[Case]] = {
    "gradebook:period_marks": [Case("the page", only(*READERS) | OTHER_SCHOOL, kwargs=own_course)],
    "gradebook:period_marks_save": [
        Case("nothing changed", only("teacher", ok=REDIRECT) | OTHER_SCHOOL, kwargs=own_course, method="post"),
        Case(
            "a quarter's mark (R-E03: the course's teacher)",
            only("teacher", ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=own_course,
            method="post",
            data=lambda w: {f"pm-{second_quarter(w).pk}-{w.pupil.pk}": "5"},
        ),
    ],
}
