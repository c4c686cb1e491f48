"""Pupils' achievements (R-I14): every write goes through these functions, which ask portfolio/rules.py who may write
(the pupil's teachers, their class teacher, the admin and the deputy; never a pupil or a parent, R-A06, R-A07).

History: each change's history row names its author; a removed entry and a replaced scan stay in the history (the
stored files are kept, so that the history's rows still lead to them)."""

import datetime
import os

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, School, User
from ejournal.clock import now, today
from ejournal.uploads import content_matches, upload_max_mb
from schedule.models import Subject

from .models import Achievement
from .rules import may_write

__all__ = ["PortfolioError", "achievement_add", "achievement_delete", "achievement_update"]

SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
TITLE_MAX = Achievement._meta.get_field("title").max_length
NOTE_MAX = Achievement._meta.get_field("result_note").max_length
# Achievements of primary school still belong to a leaver's portfolio; a date before that is a typing error.
OLDEST_YEARS = 15


class PortfolioError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def scan_problem(upload) -> str | None:
    """Why the scan is refused (kind, size, content), or None. The form and the services ask the same."""
    extension = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if extension not in SCAN_EXTENSIONS:
        return _("The scan is a PDF, JPEG or PNG file.")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("The scan is larger than %(size)s MB.") % {"size": upload_max_mb()}
    if not content_matches(upload, extension):
        return _("The file's content is not what its name says (%(ext)s). Save it again in that format.") % {
            "ext": extension
        }
    return None


def _check_writer(actor: User, school_id: int, pupil_id: int) -> None:
    if not may_write(actor, school_id, pupil_id):
        raise PortfolioError(
            _(
                "Only the pupil's teachers, their class teacher, the administrator and the deputy head enter and "
                "correct the pupil's achievements."
            )
        )


def _check_pupil(school: School, pupil: User) -> None:
    if not Membership.objects.filter(school=school, user=pupil, role=Role.PUPIL).exists():
        raise PortfolioError(_("This person is not a pupil of your school."))


def _clean(
    *,
    school_id: int,
    kind: str,
    title: str,
    subject: Subject | None,
    level: str,
    result: str,
    result_note: str,
    date: datetime.date | None,
    tz: str,
) -> dict:
    title = " ".join((title or "").split())
    result_note = " ".join((result_note or "").split())
    if kind not in Achievement.Kind.values:
        raise PortfolioError(_("Choose the kind of the achievement."))
    if not title:
        raise PortfolioError(_("Name the olympiad, contest or project."))
    if len(title) > TITLE_MAX:
        raise PortfolioError(_("The title is longer than %(limit)s characters.") % {"limit": TITLE_MAX})
    if level not in Achievement.Level.values:
        raise PortfolioError(_("Choose the level: school, municipal, regional, all-Russian or international."))
    if result not in Achievement.Result.values:
        raise PortfolioError(_("Choose the result: participant, prize-winner or winner."))
    if len(result_note) > NOTE_MAX:
        raise PortfolioError(_("The result's details are longer than %(limit)s characters.") % {"limit": NOTE_MAX})
    if subject is not None and subject.school_id != school_id:
        raise PortfolioError(_("This subject is not of your school."))
    if date is None:
        raise PortfolioError(_("Give the date of the achievement."))
    day = today(tz)
    if date > day:
        raise PortfolioError(
            _("The date %(date)s is in the future: enter the achievement once it is won.")
            % {"date": date_format(date, "d.m.Y")}
        )
    oldest = datetime.date(day.year - OLDEST_YEARS, 1, 1)
    if date < oldest:
        raise PortfolioError(
            _("The date %(date)s is too long ago: check the year.") % {"date": date_format(date, "d.m.Y")}
        )
    return {
        "kind": kind,
        "title": title,
        "subject": subject,
        "level": level,
        "result": result,
        "result_note": result_note,
        "date": date,
    }


def _check_scan(scan) -> None:
    if scan is not None:
        problem = scan_problem(scan)
        if problem:
            raise PortfolioError(problem)


def _store_scan(achievement: Achievement, scan) -> None:
    name = os.path.basename(scan.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    achievement.scan_name = name
    # The stored name is ours: the user's is kept for display and download only.
    achievement.scan.save(f"{now():%Y%m%d%H%M%S%f}{extension}", scan, save=False)


@transaction.atomic
def achievement_add(
    *,
    actor: User,
    school: School,
    pupil: User,
    kind: str,
    title: str,
    level: str,
    result: str,
    date: datetime.date | None,
    subject: Subject | None = None,
    result_note: str = "",
    scan=None,
) -> Achievement:
    """A pupil's olympiad, contest, project or other achievement, with the diploma's scan if there is one."""
    _check_pupil(school, pupil)
    _check_writer(actor, school.pk, pupil.pk)
    fields = _clean(
        school_id=school.pk,
        kind=kind,
        title=title,
        subject=subject,
        level=level,
        result=result,
        result_note=result_note,
        date=date,
        tz=school.timezone,
    )
    _check_scan(scan)
    achievement = Achievement(school=school, pupil=pupil, author=actor, created_at=now(), **fields)
    if scan is not None:
        _store_scan(achievement, scan)
    achievement._history_user = actor
    achievement.save()
    return achievement


@transaction.atomic
def achievement_update(
    *,
    actor: User,
    achievement: Achievement,
    kind: str,
    title: str,
    level: str,
    result: str,
    date: datetime.date | None,
    subject: Subject | None = None,
    result_note: str = "",
    scan=None,
    remove_scan: bool = False,
) -> Achievement:
    """Corrects an entry; a new scan replaces the old one (which its history keeps)."""
    _check_writer(actor, achievement.school_id, achievement.pupil_id)
    fields = _clean(
        school_id=achievement.school_id,
        kind=kind,
        title=title,
        subject=subject,
        level=level,
        result=result,
        result_note=result_note,
        date=date,
        tz=achievement.school.timezone,
    )
    _check_scan(scan)
    for name, value in fields.items():
        setattr(achievement, name, value)
    if scan is not None:
        _store_scan(achievement, scan)
    elif remove_scan:
        achievement.scan, achievement.scan_name = "", ""
    achievement._history_user = actor
    achievement.save()
    return achievement


@transaction.atomic
def achievement_delete(*, actor: User, achievement: Achievement) -> None:
    """Removes an entry; its history keeps what it was and who removed it."""
    _check_writer(actor, achievement.school_id, achievement.pupil_id)
    achievement._history_user = actor
    achievement.delete()
