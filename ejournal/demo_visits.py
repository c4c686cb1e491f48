"""Who opened the demo school's diary (R-J01, R-I12): the journal control's «обучающиеся / родители, открывавшие
дневник» need days on which pupils and parents came. Over the school days of the last four weeks: about half of the
people come often, a third now and then, the rest never; the parents who opted out of the electronic diary never
(they get the paper sheet). Deterministic for the same school; nothing is added when the school already has visits.
"""

import datetime
import random

from accounts.models import GuardianLink, GuardianProfile, School
from diary.models import DiaryVisit
from schedule.models import AcademicYear, Enrollment

WEEKS = 4
# (share of people, chance of a visit on a school day)
HABITS = [(0.5, 0.7), (0.35, 0.15), (0.15, 0.0)]


def add_diary_visits(*, school: School, year: AcademicYear, today: datetime.date) -> int:
    """Visits of the pupils enrolled today and of their parents (not those who opted out); returns how many."""
    if DiaryVisit.objects.filter(school=school).exists():
        return 0
    last = max(min(today, year.end), year.start)
    first = max(year.start, last - datetime.timedelta(weeks=WEEKS))
    every_day = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    days = [day for day in every_day if day.weekday() < 6]  # Monday to Saturday
    pupils = list(
        Enrollment.objects.on(last).filter(school=school).order_by("pupil_id").values_list("pupil_id", flat=True)
    )
    opted_out = GuardianProfile.objects.filter(school=school, diary_opt_out=True).values("guardian_id")
    parents = list(
        GuardianLink.objects.filter(school=school, pupil_id__in=pupils)
        .exclude(guardian_id__in=opted_out)
        .order_by("guardian_id")
        .values_list("guardian_id", flat=True)
        .distinct()
    )
    rng = random.Random(f"visits-{school.pk}")  # noqa: S311 - demo data
    visits = []
    for person in [*pupils, *parents]:
        chance = rng.choices([c for _share, c in HABITS], weights=[s for s, _chance in HABITS])[0]
        visits += [DiaryVisit(school=school, user_id=person, day=day) for day in days if rng.random() < chance]
    DiaryVisit.objects.bulk_create(visits, batch_size=2000, ignore_conflicts=True)
    return len(visits)
