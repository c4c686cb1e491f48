"""The demo school's reports of wrong marks (issue 7, R-I11): the stable parent has reported her daughter's latest
maths mark, so that «teacher» finds it on "my day" and «guardian» sees it waiting in the diary.

Through gradebook/appeals.py, so every rule holds (the family's own mark, within the school's days)."""

import contextlib

from accounts.models import User
from gradebook.appeals import appeal_file
from gradebook.models import Mark, MarkAppeal
from gradebook.services import GradebookError
from schedule.models import CourseTeacher

TEXT = "На уроке дочь отвечала у доски и получила «5», а в дневнике стоит другая отметка. Проверьте, пожалуйста."


def add_appeals(*, school) -> None:
    guardian = User.objects.filter(username="guardian").first()
    pupil = User.objects.filter(username="pupil").first()
    if guardian is None or pupil is None or MarkAppeal.objects.for_school(school).exists():
        return
    # The pupil's marks read by the pupil's own index and chosen here: a join through the courses' teachers on a
    # freshly seeded database (no statistics yet) was planned badly enough to take minutes.
    taught = set(CourseTeacher.objects.filter(teacher__username="teacher").values_list("course_id", flat=True))
    marks = Mark.objects.for_school(school).filter(pupil=pupil).exclude(value="5")
    rows = marks.values_list("work__lesson__date", "pk", "work__lesson__course_id")
    latest = max(((day, pk) for day, pk, course_id in rows if course_id in taught), default=None)
    if latest is None:
        return
    mark = Mark.objects.select_related("work").get(pk=latest[1])
    # Outside the mark's days (a demo seeded on a holiday) there is no report, as in a school.
    with contextlib.suppress(GradebookError):
        appeal_file(actor=guardian, pupil=pupil, work=mark.work, text=TEXT)
