"""The demo school's reports of wrong marks (issue 7, R-I11): the stable parent has reported her daughter's latest
maths mark, so that «teacher» finds it on "my day" and «guardian» sees it waiting in the diary.

Through gradebook/appeals.py, so every rule holds (the family's own mark, within the school's days)."""

import contextlib

from accounts.models import User
from gradebook.appeals import appeal_file
from gradebook.models import Mark, MarkAppeal
from gradebook.services import GradebookError

TEXT = "На уроке дочь отвечала у доски и получила «5», а в дневнике стоит другая отметка. Проверьте, пожалуйста."


def add_appeals(*, school) -> None:
    guardian = User.objects.filter(username="guardian").first()
    pupil = User.objects.filter(username="pupil").first()
    if guardian is None or pupil is None or MarkAppeal.objects.for_school(school).exists():
        return
    mark = (
        Mark.objects.for_school(school)
        .filter(pupil=pupil, work__lesson__course__teachers__username="teacher")
        .exclude(value="5")
        .select_related("work")
        .order_by("-work__lesson__date", "-pk")
        .first()
    )
    if mark is None:
        return
    # Outside the mark's days (a demo seeded on a holiday) there is no report, as in a school.
    with contextlib.suppress(GradebookError):
        appeal_file(actor=guardian, pupil=pupil, work=mark.work, text=TEXT)
