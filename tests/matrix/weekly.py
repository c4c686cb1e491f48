"""Permission-matrix rows of the weekly summary sheets for families who opted out (issue 9 item 3; R-I04): a class's
bundle for its class teacher (`class_teacher` leads 5А) and the readers, never for a subject teacher, a pupil or a
parent; the runs and their deliveries for the readers; queuing the failed emails again for the admin only. Another
school's teacher gets 404 for every object.

The builder (shared with tests/reports/test_weekly*.py): the families of 5А and 5Б, the previous week (9–14 November
2026) run once, its classes built in the test's process (mail to Django's locmem outbox)."""

import datetime
from types import SimpleNamespace

from accounts import services as accounts_services
from accounts.models import GuardianLink, GuardianProfile, Role
from reports.models import ClassBundle, WeeklyRun
from reports.weekly import weekly_class_build, weekly_run_start
from schedule.services import classes as class_services
from tests.factories import UserFactory

from . import REDIRECT, STAFF_READERS, Case, only
from .journal import journal_course

WEEK = datetime.date(2026, 11, 9)  # the school week before the frozen Tuesday 17 November
OTHER_SCHOOL = {"foreign_teacher": 404}


def _person(w, login: str, role: str, email: str | None = None):
    fields = {} if email is None else {"email": email}
    return UserFactory(school=w.school, username=login, roles=[role], **fields)


def _opt_out(w, guardian, keeps_account: bool = True) -> None:
    accounts_services.guardian_profile_set(
        actor=w.admin,
        school=w.school,
        guardian=guardian,
        diary_opt_out=True,
        paper_channel=GuardianProfile.PaperChannel.IN_PERSON,
        keeps_account=keeps_account,
    )


def weekly_families(w, close_login: bool = False) -> SimpleNamespace:
    """5А: `pupil` (their `guardian` opted out, with an email; closes their login with `close_login`), `paper_pupil`
    (parent opted out, no email: paper only), `diary_pupil` (parent kept the diary: nothing). 5Б: `other_pupil`
    (`other_guardian` opted out, with an email; a second parent kept the diary).
    Maths of 5А (tests/matrix/journal.py) has lessons."""
    if hasattr(w, "_wk_families"):
        return w._wk_families
    journal_course(w)
    since = datetime.date(2026, 9, 1)
    paper_pupil = _person(w, "paper_pupil", Role.PUPIL)
    paper_parent = _person(w, "paper_parent", Role.GUARDIAN, email="")
    diary_pupil = _person(w, "diary_pupil", Role.PUPIL)
    diary_parent = _person(w, "diary_parent", Role.GUARDIAN)
    second_parent = _person(w, "second_parent", Role.GUARDIAN)
    class_services.pupils_enroll(
        actor=w.admin, school_class=w.school_class, pupils=[paper_pupil, diary_pupil], since=since
    )
    for parent, child in ((paper_parent, paper_pupil), (diary_parent, diary_pupil), (second_parent, w.other_pupil)):
        accounts_services.guardian_link(
            actor=w.admin, school=w.school, guardian=parent, pupil=child, relation=GuardianLink.Relation.OTHER
        )
    _opt_out(w, w.guardian, keeps_account=not close_login)
    _opt_out(w, paper_parent)
    _opt_out(w, w.other_guardian)
    w.guardian.refresh_from_db()
    w._wk_families = SimpleNamespace(
        paper_pupil=paper_pupil,
        paper_parent=paper_parent,
        diary_pupil=diary_pupil,
        diary_parent=diary_parent,
        second_parent=second_parent,
    )
    return w._wk_families


def weekly_done(w) -> WeeklyRun:
    """The week run and its classes built in this process (no worker): bundles of 5А and 5Б, emails sent."""
    if not hasattr(w, "_wk_run"):
        weekly_families(w)
        run = weekly_run_start(school=w.school, week_start=WEEK, queue=False)
        for class_id in (w.school_class.pk, w.other_class.pk):
            weekly_class_build(run_id=run.pk, class_id=class_id)
        run.refresh_from_db()
        w._wk_run = run
    return w._wk_run


def own_bundle(w):
    return {"bundle_id": ClassBundle.objects.get(run=weekly_done(w), school_class=w.school_class).pk}


def other_bundle(w):
    return {"bundle_id": ClassBundle.objects.get(run=weekly_done(w), school_class=w.other_class).pk}


def the_run(w):
    return {"run_id": weekly_done(w).pk}


ROWS: dict[str, list[Case]] = {
    "reports:weekly_bundle": [
        Case("own class's bundle", only(*STAFF_READERS, "class_teacher") | OTHER_SCHOOL, kwargs=own_bundle),
        Case("another class's bundle", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=other_bundle),
        Case("no such bundle", only(ok=404, default=404), kwargs=lambda w: {"bundle_id": 999999}),
    ],
    "reports:weekly_runs": [
        Case("the runs", only(*STAFF_READERS), data=lambda w: weekly_done(w) and {}),
    ],
    "reports:weekly_run": [
        Case("a run", only(*STAFF_READERS) | OTHER_SCHOOL, kwargs=the_run),
        Case("no such run", only(ok=404, default=404), kwargs=lambda w: {"run_id": 999999}),
    ],
    "reports:weekly_retry": [
        Case("queue the failed again", only("admin", ok=REDIRECT) | OTHER_SCHOOL, kwargs=the_run, method="post"),
        Case("GET is not allowed", only(ok=405, default=405, anonymous=405), kwargs=the_run),
    ],
}
