"""The year's structure: academic years, study periods, holidays (R-B01), bell schedules (R-B02) and subjects
(R-B04). The admin writes all of it (R-A02); a closed (archived) year no longer changes."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, ProtectedError, Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import School, User
from audit.log import record

from ..models import AcademicYear, Bell, BellSchedule, Enrollment, Holiday, SchoolClass, StudyPeriod, Subject
from . import ScheduleError

# The longest year we accept: a typo in the year of a date would otherwise make a year of decades.
MAX_YEAR_DAYS = 366
# How many periods of each kind a year has.
PERIODS_PER_KIND = {StudyPeriod.Kind.QUARTER: 4, StudyPeriod.Kind.TRIMESTER: 3, StudyPeriod.Kind.HALF: 2}


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _name(value: str) -> str:
    return " ".join((value or "").split())


def _check_open(year: AcademicYear) -> None:
    if year.is_archived:
        raise ScheduleError(_("The year %(year)s is closed: its structure no longer changes.") % {"year": year})


def _lock(year: AcademicYear) -> AcademicYear:
    """Serialise writes to one year's periods and holidays, so that two overlapping saves cannot both pass."""
    return AcademicYear.objects.select_for_update().get(pk=year.pk)


# --- Academic years ----------------------------------------------------------------------------------------


def _check_year(
    *, school: School, name: str, start: datetime.date, end: datetime.date, year: AcademicYear | None = None
) -> None:
    if not name:
        raise ScheduleError(_("Give the year a name, for example 2026/2027."))
    if len(name) > AcademicYear._meta.get_field("name").max_length:
        raise ScheduleError(_("The year's name is too long."))
    if end <= start:
        raise ScheduleError(_("The year must end after it starts."))
    if (end - start).days >= MAX_YEAR_DAYS:
        raise ScheduleError(_("An academic year cannot last longer than a calendar year."))
    others = AcademicYear.objects.for_school(school)
    if year is not None:
        others = others.exclude(pk=year.pk)
    if others.filter(name__iexact=name).exists():
        raise ScheduleError(_("An academic year named «%(name)s» already exists.") % {"name": name})
    if others.filter(start__lte=end, end__gte=start).exists():
        raise ScheduleError(_("The dates overlap another academic year."))


@transaction.atomic
def academic_year_create(
    *, actor: User | None, school: School, name: str, start: datetime.date, end: datetime.date
) -> AcademicYear:
    name = _name(name)
    _check_year(school=school, name=name, start=start, end=end)
    year = AcademicYear.objects.create(school=school, name=name, start=start, end=end)
    record(actor=actor, school=school, action="schedule.year.created", obj=year, data={"name": name})
    return year


@transaction.atomic
def academic_year_update(
    *, actor: User | None, year: AcademicYear, name: str, start: datetime.date, end: datetime.date
) -> AcademicYear:
    """Rename the year or move its dates. Pupils enrolled from a date keep that date inside the year, and the
    year's periods and holidays stay inside it (move them first)."""
    year = _lock(year)
    _check_open(year)
    name = _name(name)
    _check_year(school=year.school, name=name, start=start, end=end, year=year)
    enrolled = Enrollment.objects.filter(school_class__year=year).aggregate(first=Min("since"), last=Max("since"))
    if enrolled["first"] is not None and start > enrolled["first"]:
        raise ScheduleError(
            _("Pupils are enrolled in the year's classes from %(day)s: the year cannot start later.")
            % {"day": _d(enrolled["first"])}
        )
    if enrolled["last"] is not None and end < enrolled["last"]:
        raise ScheduleError(
            _("Pupils are enrolled in the year's classes on %(day)s: the year cannot end earlier.")
            % {"day": _d(enrolled["last"])}
        )
    outside = Q(start__lt=start) | Q(end__gt=end)
    if StudyPeriod.objects.filter(year=year).filter(outside).exists():
        raise ScheduleError(_("Some study periods would fall outside the new dates: change them first."))
    if Holiday.objects.filter(year=year).filter(outside).exists():
        raise ScheduleError(_("Some holidays would fall outside the new dates: change them first."))
    changes = _changes(year, name=name, start=start, end=end)
    if changes:
        year.name, year.start, year.end = name, start, end
        year.save(update_fields=["name", "start", "end"])
        record(actor=actor, school=year.school, action="schedule.year.changed", obj=year, data=changes)
    return year


@transaction.atomic
def academic_year_delete(*, actor: User | None, year: AcademicYear) -> None:
    """A year entered by mistake goes away with its periods and holidays; a year with classes stays."""
    year = _lock(year)
    _check_open(year)
    if SchoolClass.objects.filter(year=year).exists() or year.groups.exists():
        raise ScheduleError(_("The year %(year)s has classes: it cannot be deleted.") % {"year": year})
    data = {"name": year.name, "start": year.start.isoformat(), "end": year.end.isoformat()}
    school = year.school
    try:
        year.delete()
    except ProtectedError as e:
        raise ScheduleError(_("The year %(year)s is in use: it cannot be deleted.") % {"year": data["name"]}) from e
    record(actor=actor, school=school, action="schedule.year.deleted", data=data)


def _changes(obj, **new) -> dict[str, list[str]]:
    """{"field": [old, new]} for the audit entry, only the fields that change."""
    out = {}
    for field, value in new.items():
        old = getattr(obj, field)
        if old != value:
            out[field] = [_audit_value(old), _audit_value(value)]
    return out


def _audit_value(value) -> str | int | bool | None:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# --- Study periods (R-B01) ---------------------------------------------------------------------------------


def _grades(grade_from: int, grade_to: int) -> str:
    return str(grade_from) if grade_from == grade_to else f"{grade_from}–{grade_to}"


def period_label(period: StudyPeriod) -> str:
    """«2 четверть, 1–9 классы»: what the admin sees in a message."""
    return _("%(number)s %(kind)s, grades %(grades)s") % {
        "number": period.number,
        "kind": period.get_kind_display(),
        "grades": _grades(period.grade_from, period.grade_to),
    }


def _check_period(
    *,
    year: AcademicYear,
    kind: str,
    number: int,
    start: datetime.date,
    end: datetime.date,
    grade_from: int,
    grade_to: int,
    period: StudyPeriod | None = None,
) -> None:
    _check_open(year)
    if kind not in PERIODS_PER_KIND:
        raise ScheduleError(_("Unknown kind of study period."))
    most = PERIODS_PER_KIND[kind]
    if not 1 <= number <= most:
        raise ScheduleError(
            _("A year has %(most)s periods of this kind: the number must be from 1 to %(most)s.") % {"most": most}
        )
    if not 1 <= grade_from <= grade_to <= 11:
        raise ScheduleError(_("Grades go from 1 to 11, and the first grade is not above the last one."))
    if end <= start:
        raise ScheduleError(_("A study period must end after it starts."))
    if start < year.start or end > year.end:
        raise ScheduleError(
            _("A study period must be inside the academic year (%(start)s–%(end)s).")
            % {"start": _d(year.start), "end": _d(year.end)}
        )
    # Periods of the same grades: one grade's year is split into periods that do not overlap.
    others = StudyPeriod.objects.filter(year=year, grade_from__lte=grade_to, grade_to__gte=grade_from)
    if period is not None:
        others = others.exclude(pk=period.pk)
    clash = others.filter(start__lte=end, end__gte=start).order_by("start").first()
    if clash is not None:
        raise ScheduleError(
            _("The dates overlap %(period)s (%(start)s–%(end)s).")
            % {"period": period_label(clash), "start": _d(clash.start), "end": _d(clash.end)}
        )
    same = others.filter(kind=kind, number=number).first()
    if same is not None:
        raise ScheduleError(_("%(period)s already exists.") % {"period": period_label(same)})
    disorder = (
        others.filter(kind=kind)
        .filter(Q(number__lt=number, start__gt=start) | Q(number__gt=number, start__lt=start))
        .first()
    )
    if disorder is not None:
        raise ScheduleError(
            _("Periods are numbered in the order of their dates: check it against %(period)s (%(start)s–%(end)s).")
            % {"period": period_label(disorder), "start": _d(disorder.start), "end": _d(disorder.end)}
        )


@transaction.atomic
def period_create(
    *,
    actor: User | None,
    year: AcademicYear,
    kind: str,
    number: int,
    start: datetime.date,
    end: datetime.date,
    grade_from: int = 1,
    grade_to: int = 11,
) -> StudyPeriod:
    year = _lock(year)
    _check_period(year=year, kind=kind, number=number, start=start, end=end, grade_from=grade_from, grade_to=grade_to)
    period = StudyPeriod.objects.create(
        school_id=year.school_id,
        year=year,
        kind=kind,
        number=number,
        start=start,
        end=end,
        grade_from=grade_from,
        grade_to=grade_to,
    )
    record(
        actor=actor,
        school=year.school,
        action="schedule.period.created",
        obj=period,
        data={"year": year.name, "start": start.isoformat(), "end": end.isoformat(), "grades": [grade_from, grade_to]},
    )
    return period


@transaction.atomic
def period_update(
    *,
    actor: User | None,
    period: StudyPeriod,
    kind: str,
    number: int,
    start: datetime.date,
    end: datetime.date,
    grade_from: int,
    grade_to: int,
) -> StudyPeriod:
    year = _lock(period.year)
    _check_period(
        year=year,
        kind=kind,
        number=number,
        start=start,
        end=end,
        grade_from=grade_from,
        grade_to=grade_to,
        period=period,
    )
    new = {"kind": kind, "number": number, "start": start, "end": end, "grade_from": grade_from, "grade_to": grade_to}
    changes = _changes(period, **new)
    if changes:
        for field, value in new.items():
            setattr(period, field, value)
        period.save(update_fields=list(new))
        record(actor=actor, school=year.school, action="schedule.period.changed", obj=period, data=changes)
    return period


@transaction.atomic
def period_delete(*, actor: User | None, period: StudyPeriod) -> None:
    # Period marks do not exist yet; when they do, a period that has them must refuse here.
    year = _lock(period.year)
    _check_open(year)
    label = period_label(period)
    data = {"year": year.name, "period": label, "start": period.start.isoformat(), "end": period.end.isoformat()}
    try:
        period.delete()
    except ProtectedError as e:
        raise ScheduleError(_("%(period)s is in use: it cannot be deleted.") % {"period": label}) from e
    record(actor=actor, school=year.school, action="schedule.period.deleted", data=data)


# --- Holidays ------------------------------------------------------------------------------------------------


def _check_holiday(
    *, year: AcademicYear, name: str, start: datetime.date, end: datetime.date, holiday: Holiday | None = None
) -> None:
    _check_open(year)
    if not name:
        raise ScheduleError(_("Give the holidays a name, for example «autumn holidays»."))
    if len(name) > Holiday._meta.get_field("name").max_length:
        raise ScheduleError(_("The name is too long."))
    if end < start:
        raise ScheduleError(_("The holidays cannot end before they start."))
    if start < year.start or end > year.end:
        raise ScheduleError(
            _("Holidays must be inside the academic year (%(start)s–%(end)s).")
            % {"start": _d(year.start), "end": _d(year.end)}
        )
    others = Holiday.objects.filter(year=year, start__lte=end, end__gte=start)
    if holiday is not None:
        others = others.exclude(pk=holiday.pk)
    clash = others.order_by("start").first()
    if clash is not None:
        raise ScheduleError(
            _("The dates overlap «%(name)s» (%(start)s–%(end)s).")
            % {"name": clash.name, "start": _d(clash.start), "end": _d(clash.end)}
        )


@transaction.atomic
def holiday_create(
    *, actor: User | None, year: AcademicYear, name: str, start: datetime.date, end: datetime.date
) -> Holiday:
    year = _lock(year)
    name = _name(name)
    _check_holiday(year=year, name=name, start=start, end=end)
    holiday = Holiday.objects.create(school_id=year.school_id, year=year, name=name, start=start, end=end)
    record(
        actor=actor,
        school=year.school,
        action="schedule.holiday.created",
        obj=holiday,
        data={"year": year.name, "start": start.isoformat(), "end": end.isoformat()},
    )
    return holiday


@transaction.atomic
def holiday_update(
    *, actor: User | None, holiday: Holiday, name: str, start: datetime.date, end: datetime.date
) -> Holiday:
    year = _lock(holiday.year)
    name = _name(name)
    _check_holiday(year=year, name=name, start=start, end=end, holiday=holiday)
    changes = _changes(holiday, name=name, start=start, end=end)
    if changes:
        holiday.name, holiday.start, holiday.end = name, start, end
        holiday.save(update_fields=["name", "start", "end"])
        record(actor=actor, school=year.school, action="schedule.holiday.changed", obj=holiday, data=changes)
    return holiday


@transaction.atomic
def holiday_delete(*, actor: User | None, holiday: Holiday) -> None:
    year = _lock(holiday.year)
    _check_open(year)
    data = {"year": year.name, "name": holiday.name, "start": holiday.start.isoformat(), "end": holiday.end.isoformat()}
    holiday.delete()
    record(actor=actor, school=year.school, action="schedule.holiday.deleted", data=data)


# --- The usual Russian school calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedPeriod:
    kind: str
    number: int
    start: datetime.date
    end: datetime.date
    grade_from: int
    grade_to: int


@dataclass(frozen=True)
class PlannedHoliday:
    name: str
    start: datetime.date
    end: datetime.date


# The holidays' names are the school's data, stored in the site's language (Russian) whoever clicks the button.
AUTUMN = gettext_lazy("Autumn holidays")
WINTER = gettext_lazy("Winter holidays")
SPRING = gettext_lazy("Spring holidays")
QUARTER_GRADES = (1, 9)
HALF_GRADES = (10, 11)

SATURDAY = 5


def _saturday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - SATURDAY) % 7)


def _term_start(day: datetime.date, latest_weekday: int) -> datetime.date:
    """The day itself up to `latest_weekday` (0 = Monday); later in the week, the next Monday."""
    return day if day.weekday() <= latest_weekday else day + datetime.timedelta(days=7 - day.weekday())


def _school_day_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1) if day.weekday() == 6 else day


def usual_calendar(year: AcademicYear) -> tuple[list[PlannedPeriod], list[PlannedHoliday]]:
    """The calendar most Russian schools have followed in recent years, as the ministry recommends, for the
    autumn of `year.start`: four quarters for grades 1–9 and two halves for grades 10–11, with autumn holidays
    over 4 November (the public holiday), winter holidays over the New Year days up to 8 January, and nine days
    of spring holidays late in March; the last lessons are on 26 May. Weekends decide the exact days. Regions
    move these by their own orders, so the admin checks and corrects them afterwards; the extra February week
    of grade 1 is left to the admin too."""
    y = year.start.year if year.start.month >= 7 else year.start.year - 1
    day = datetime.date
    one = datetime.timedelta(days=1)
    first = max(year.start, day(y, 9, 1))
    if first.weekday() == 6:  # 1 September on a Sunday: lessons start on Monday
        first += one
    # The second quarter starts on 5 November, the day after the public holiday, or on the next Monday when that
    # falls late in the week; the autumn holidays are the nine days or so before it, from a Saturday.
    second = _term_start(day(y, 11, 5), latest_weekday=2)
    autumn_start = _saturday_on_or_before(second - datetime.timedelta(days=8))
    second_end = _school_day_on_or_before(day(y, 12, 28))
    # Russia rests from 1 to 8 January; lessons resume on the 9th, or on the next Monday after a short week.
    third = _term_start(day(y + 1, 1, 9), latest_weekday=3)
    # Spring holidays: Saturday to the Sunday of the following week, starting between 20 and 26 March.
    spring_start = day(y + 1, 3, 20) + datetime.timedelta(days=(SATURDAY - day(y + 1, 3, 20).weekday()) % 7)
    fourth = spring_start + datetime.timedelta(days=9)
    last = _school_day_on_or_before(day(y + 1, 5, 26))
    q_from, q_to = QUARTER_GRADES
    h_from, h_to = HALF_GRADES
    quarter, half = StudyPeriod.Kind.QUARTER, StudyPeriod.Kind.HALF
    periods = [
        PlannedPeriod(quarter, 1, first, autumn_start - one, q_from, q_to),
        PlannedPeriod(quarter, 2, second, second_end, q_from, q_to),
        PlannedPeriod(quarter, 3, third, spring_start - one, q_from, q_to),
        PlannedPeriod(quarter, 4, fourth, last, q_from, q_to),
        PlannedPeriod(half, 1, first, second_end, h_from, h_to),
        PlannedPeriod(half, 2, third, last, h_from, h_to),
    ]
    with translation.override(settings.LANGUAGE_CODE):
        holidays = [
            PlannedHoliday(str(AUTUMN), autumn_start, second - one),
            PlannedHoliday(str(WINTER), second_end + one, third - one),
            PlannedHoliday(str(SPRING), spring_start, fourth - one),
        ]
    return periods, holidays


@transaction.atomic
def year_fill_usual(*, actor: User | None, year: AcademicYear) -> tuple[list[StudyPeriod], list[Holiday]]:
    """Fill a year that has no periods with the usual calendar (`usual_calendar`); holidays are added only if
    the year has none yet. Everything goes through the same checks as a period or holiday entered by hand."""
    year = _lock(year)
    _check_open(year)
    if StudyPeriod.objects.filter(year=year).exists():
        raise ScheduleError(_("The year already has study periods: add or change them one by one."))
    planned_periods, planned_holidays = usual_calendar(year)
    periods = [period_create(actor=actor, year=year, **vars(p)) for p in planned_periods]
    holidays = []
    if not Holiday.objects.filter(year=year).exists():
        holidays = [holiday_create(actor=actor, year=year, **vars(h)) for h in planned_holidays]
    record(
        actor=actor,
        school=year.school,
        action="schedule.year.filled",
        obj=year,
        data={"periods": len(periods), "holidays": len(holidays)},
    )
    return periods, holidays


# --- Bell schedules (R-B02) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BellTimes:
    number: int
    start: datetime.time
    end: datetime.time

    def __str__(self) -> str:
        return f"{self.number}: {self.start:%H:%M}–{self.end:%H:%M}"


MAX_LESSON_NUMBER = 15


def _check_bell_schedule_name(school_id: int, name: str, schedule: BellSchedule | None = None) -> None:
    if not name:
        raise ScheduleError(_("Give the bell schedule a name, for example «first shift»."))
    if len(name) > BellSchedule._meta.get_field("name").max_length:
        raise ScheduleError(_("The name is too long."))
    others = BellSchedule.objects.filter(school_id=school_id, name__iexact=name)
    if schedule is not None:
        others = others.exclude(pk=schedule.pk)
    if others.exists():
        raise ScheduleError(_("A bell schedule named «%(name)s» already exists.") % {"name": name})


@transaction.atomic
def bell_schedule_create(*, actor: User | None, school: School, name: str) -> BellSchedule:
    name = _name(name)
    _check_bell_schedule_name(school.pk, name)
    schedule = BellSchedule.objects.create(school=school, name=name)
    record(actor=actor, school=school, action="schedule.bells.created", obj=schedule, data={"name": name})
    return schedule


@transaction.atomic
def bell_schedule_rename(*, actor: User | None, schedule: BellSchedule, name: str) -> BellSchedule:
    name = _name(name)
    _check_bell_schedule_name(schedule.school_id, name, schedule)
    changes = _changes(schedule, name=name)
    if changes:
        schedule.name = name
        schedule.save(update_fields=["name"])
        record(actor=actor, school=schedule.school, action="schedule.bells.renamed", obj=schedule, data=changes)
    return schedule


@transaction.atomic
def bell_schedule_delete(*, actor: User | None, schedule: BellSchedule) -> None:
    """Only a schedule that no class rings by: deleting one in use would silently leave classes without bells."""
    used = SchoolClass.objects.filter(bell_schedule=schedule).order_by("-year__start", "grade", "letter")
    if used.exists():
        names = ", ".join(str(c) for c in used[:5])
        raise ScheduleError(
            _("Classes ring by «%(name)s» (%(classes)s): choose other bells for them first.")
            % {"name": schedule.name, "classes": names}
        )
    data = {"name": schedule.name, "bells": [str(b) for b in schedule.bells.all()]}
    school = schedule.school
    schedule.delete()
    record(actor=actor, school=school, action="schedule.bells.deleted", data=data)


def _check_bells(bells: list[BellTimes]) -> list[BellTimes]:
    if not bells:
        raise ScheduleError(_("Give the times of at least one lesson."))
    ordered = sorted(bells, key=lambda b: b.number)
    seen: set[int] = set()
    for b in ordered:
        if not 0 <= b.number <= MAX_LESSON_NUMBER:
            raise ScheduleError(
                _("Lesson numbers go from 0 to %(most)s; %(number)s is not one.")
                % {"most": MAX_LESSON_NUMBER, "number": b.number}
            )
        if b.number in seen:
            raise ScheduleError(_("Lesson %(number)s is given twice.") % {"number": b.number})
        seen.add(b.number)
        if b.end <= b.start:
            raise ScheduleError(_("Lesson %(number)s must end after it starts.") % {"number": b.number})
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            raise ScheduleError(
                _(
                    "Lesson %(next)s starts at %(start)s, before lesson %(prev)s ends at %(end)s: lessons follow "
                    "each other in the order of their numbers and do not overlap."
                )
                % {
                    "next": after.number,
                    "start": f"{after.start:%H:%M}",
                    "prev": before.number,
                    "end": f"{before.end:%H:%M}",
                }
            )
    return ordered


@transaction.atomic
def bells_set(*, actor: User | None, schedule: BellSchedule, bells: list[BellTimes]) -> list[Bell]:
    """The schedule's bells, all at once: those not given are removed."""
    schedule = BellSchedule.objects.select_for_update().get(pk=schedule.pk)
    ordered = _check_bells(bells)
    before = [str(BellTimes(b.number, b.start, b.end)) for b in schedule.bells.order_by("number")]
    after = [str(b) for b in ordered]
    if before == after:
        return list(schedule.bells.order_by("number"))
    schedule.bells.all().delete()
    rows = Bell.objects.bulk_create(
        [
            Bell(school_id=schedule.school_id, schedule=schedule, number=b.number, start=b.start, end=b.end)
            for b in ordered
        ]
    )
    record(
        actor=actor,
        school=schedule.school,
        action="schedule.bells.changed",
        obj=schedule,
        data={"before": before, "after": after},
    )
    return rows


# --- Subjects (R-B04) ----------------------------------------------------------------------------------------


def _check_subject(school_id: int, name: str, short_name: str, subject: Subject | None = None) -> None:
    if not name:
        raise ScheduleError(_("Give the subject's name."))
    if len(name) > Subject._meta.get_field("name").max_length:
        raise ScheduleError(_("The name is too long."))
    if len(short_name) > Subject._meta.get_field("short_name").max_length:
        raise ScheduleError(_("The short name is too long."))
    others = Subject.objects.filter(school_id=school_id, name__iexact=name)
    if subject is not None:
        others = others.exclude(pk=subject.pk)
    if others.exists():
        raise ScheduleError(_("The subject «%(name)s» already exists.") % {"name": name})


@transaction.atomic
def subject_create(
    *, actor: User | None, school: School, name: str, short_name: str = "", no_attestation: bool = False
) -> Subject:
    name, short_name = _name(name), _name(short_name)
    _check_subject(school.pk, name, short_name)
    subject = Subject.objects.create(school=school, name=name, short_name=short_name, no_attestation=no_attestation)
    record(actor=actor, school=school, action="schedule.subject.created", obj=subject, data={"name": name})
    return subject


@transaction.atomic
def subject_update(
    *, actor: User | None, subject: Subject, name: str, short_name: str, no_attestation: bool
) -> Subject:
    name, short_name = _name(name), _name(short_name)
    _check_subject(subject.school_id, name, short_name, subject)
    changes = _changes(subject, name=name, short_name=short_name, no_attestation=no_attestation)
    if changes:
        subject.name, subject.short_name, subject.no_attestation = name, short_name, no_attestation
        subject.save(update_fields=["name", "short_name", "no_attestation"])
        record(actor=actor, school=subject.school, action="schedule.subject.changed", obj=subject, data=changes)
    return subject


@transaction.atomic
def subject_delete(*, actor: User | None, subject: Subject) -> None:
    """Only a subject nothing refers to: a study group (and later a course) keeps its subject."""
    if subject.groups.exists():
        raise ScheduleError(_("Study groups refer to «%(name)s»: it cannot be deleted.") % {"name": subject.name})
    data = {"name": subject.name}
    school = subject.school
    try:
        subject.delete()
    except ProtectedError as e:
        raise ScheduleError(_("«%(name)s» is in use: it cannot be deleted.") % {"name": data["name"]}) from e
    record(actor=actor, school=school, action="schedule.subject.deleted", data=data)
