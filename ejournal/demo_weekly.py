"""The demo school's families who opted out of the electronic diary (issue 9 items 3 and 9; R-I04): a few parents in
several classes, two of them in the stable class teacher's 5А, some with an email address (they get the sheet by
email too), some without (paper only, one of whom also closed the login); then the previous school week's run,
through the same service as the Monday job (eager Celery in the demo: the classes are built at commit), so that
the class teacher's "my day" offers the bundle to print and the admin's page lists the run.

The stable logins (guardian, guardian1, guardian3) keep the diary: their logins stay open for the demo. Deterministic
for the same school; nothing is added when a parent of the school already opted out.
"""

import datetime

from django.db.models import Count

from accounts import services as accounts_services
from accounts.models import GuardianLink, GuardianProfile, School, User
from reports.weekly import previous_week, weekly_run_start
from schedule.models import AcademicYear, Enrollment, SchoolClass

STABLE_GUARDIANS = ("guardian", "guardian1", "guardian3")
# (grade, letter, families): the first family of each class gave an email, the others did not.
CLASSES = [(5, "А", 2), (7, "Б", 1), (9, "А", 1)]


def _parents_of_class(school: School, school_class: SchoolClass, day: datetime.date, count: int) -> list[User]:
    """The first parents (by pupil's name) of pupils of the class, one per pupil, none of the stable logins, only
    parents of one child (so that the sheets stay in the classes chosen): one query."""
    pupils = Enrollment.objects.on(day).filter(school=school, school_class=school_class).values("pupil_id")
    of_several = (
        GuardianLink.objects.filter(school=school)
        .values("guardian_id")
        .annotate(children=Count("pk"))
        .filter(children__gt=1)
        .values("guardian_id")
    )
    links = (
        GuardianLink.objects.filter(school=school, pupil_id__in=pupils)
        .exclude(guardian__username__in=STABLE_GUARDIANS)
        .exclude(guardian_id__in=of_several)
        .select_related("guardian")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id", "guardian_id")
    )
    chosen, pupils_seen = [], set()
    for link in links:
        if link.pupil_id in pupils_seen or link.guardian in chosen:
            continue
        pupils_seen.add(link.pupil_id)
        chosen.append(link.guardian)
        if len(chosen) == count:
            break
    return chosen


def add_opted_out_families(*, school: School, year: AcademicYear, today: datetime.date) -> int:
    """Opted-out families in several classes, then the previous week's run; returns how many parents opted out."""
    if GuardianProfile.objects.filter(school=school, diary_opt_out=True).exists():
        return 0
    week_start, week_end = previous_week(today)
    day = max(min(today, year.end), year.start)
    classes = {
        (c.grade, c.letter): c
        for c in SchoolClass.objects.filter(school=school, year=year, grade__in={g for g, _l, _n in CLASSES})
    }
    parents: list[tuple[User, bool]] = []  # (parent, with an email?)
    for grade, letter, count in CLASSES:
        school_class = classes.get((grade, letter))
        if school_class is None:
            continue
        for index, parent in enumerate(_parents_of_class(school, school_class, day, count)):
            parents.append((parent, index == 0))
    for number, (parent, with_email) in enumerate(parents):
        if not with_email and parent.email:
            parent.email = ""  # the family gave no address: the sheets on paper only
            parent.save(update_fields=["email"])
        accounts_services.guardian_profile_set(
            actor=None,
            school=school,
            guardian=parent,
            diary_opt_out=True,
            paper_channel=GuardianProfile.PaperChannel.EMAIL if with_email else GuardianProfile.PaperChannel.IN_PERSON,
            keeps_account=with_email or number % 2 == 0,
        )
    if parents and year.start <= week_end and week_start <= year.end:
        weekly_run_start(school=school, week_start=week_start)
    return len(parents)
