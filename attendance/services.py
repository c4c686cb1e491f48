"""Writes of attendance, one function per action (STYLE: services own the rules).

Who may write is the permission layer's question (attendance/rules.py), asked by the views; these functions take the
already-authorised actor and enforce the time rules of DESIGN §5 and the data rules:
- a cancelled lesson takes no attendance (R-C05), nothing of a closed year changes (R-D08);
- after the edit window (R-D03) nobody changes a lesson's attendance (a late-change request is the way, R-F01);
  "never" in the school's settings means until the year ends;
- after the entry deadline (R-D01) an entry is accepted and recorded as late;
- only a pupil on the lesson's list on its date can be marked.
Every change of an absence keeps its history with its author, bulk writes included (promise 6).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import SchoolSettings, User
from audit.log import record
from ejournal.clock import now, today
from schedule.models import AcademicYear, Course, Enrollment, GroupMembership, Lesson, SchoolClass
from schedule.selectors_lessons import on_lesson_list
from schedule.windows import Window, lesson_window

from .models import MAX_LATE_MINUTES, NOTICE_CODES, Absence, AbsenceNotice, AttendanceTaken, Code
from .signals import absence_changed


class AttendanceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _d(day: datetime.date) -> str:
    return date_format(day, "d.m.Y")


def _text(value: str) -> str:
    return " ".join((value or "").split())


def school_settings(school_id: int) -> SchoolSettings:
    """The school's time rules; a school without its settings row follows the defaults."""
    return SchoolSettings.objects.filter(school_id=school_id).first() or SchoolSettings(school_id=school_id)


def _check_year(year: AcademicYear) -> None:
    if year.is_archived:
        raise AttendanceError(_("The year %(year)s is closed: its attendance no longer changes.") % {"year": year})


def lock_reason(lesson: Lesson, window: Window, day: datetime.date, *, cancelled_ok: bool = False) -> str:
    """Why the lesson's attendance cannot change on `day`, or "" when it can (shown on the pages as well)."""
    if lesson.course.year.is_archived:
        return _("The year %(year)s is closed: its attendance no longer changes.") % {"year": lesson.course.year}
    if lesson.status == Lesson.Status.CANCELLED and not cancelled_ok:
        return _("The lesson of %(date)s is cancelled: it takes no attendance.") % {"date": _d(lesson.date)}
    if not window.is_open(day):
        return _(
            "The attendance of the lesson of %(date)s can no longer be changed: the edit window closed on "
            "%(closed)s. Ask the director for a late change."
        ) % {"date": _d(lesson.date), "closed": _d(window.editable_until)}
    return ""


def _check_lesson(
    lesson: Lesson, settings: SchoolSettings, day: datetime.date, *, cancelled_ok: bool = False, late: bool = False
) -> Window:
    """The lesson's window, or why nothing changes. `late`: an approved late change (R-F01) passes the closed
    window, never a closed year or a cancelled lesson."""
    window = lesson_window(lesson, settings)
    reason = lock_reason(
        lesson, window if not late else Window(window.due, lesson.course.year.end), day, cancelled_ok=cancelled_ok
    )
    if reason:
        raise AttendanceError(reason)
    return window


def _locked(lesson: Lesson) -> Lesson:
    """The lesson re-read under a row lock: two people marking one lesson take turns."""
    return (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("course__year", "course__school_class", "school")
        .get(pk=lesson.pk)
    )


def _author(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def _tell(school_id: int, absence_ids: list[int], when: datetime.datetime | None = None) -> None:
    """`absence_changed` with the history rows just written: a bulk write's rows of these absences dated `when`, or
    one absence's latest row. One query."""
    if not absence_ids:
        return
    rows = Absence.history.filter(id__in=absence_ids)
    if when is not None:
        history_ids = sorted(rows.filter(history_date=when).values_list("history_id", flat=True))
    else:
        history_ids = list(rows.order_by("-history_id").values_list("history_id", flat=True)[:1])
    if history_ids:
        absence_changed.send(sender=None, school_id=school_id, history_ids=history_ids)


def _check_code(code: str, minutes) -> int | None:
    if code not in Code.values:
        raise AttendanceError(_("Choose an attendance code."))
    if code != Code.LATE:
        return None
    if minutes in (None, ""):
        raise AttendanceError(_("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError) as e:
        raise AttendanceError(_("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES}) from e
    if not 1 <= minutes <= MAX_LATE_MINUTES:
        raise AttendanceError(_("Give how many minutes late, from 1 to %(most)s.") % {"most": MAX_LATE_MINUTES})
    return minutes


def _check_note(note: str) -> str:
    note = _text(note)
    if len(note) > Absence._meta.get_field("note").max_length:
        raise AttendanceError(_("The note is too long."))
    return note


# --- One lesson (R-H01, R-H02, R-H04, R-H06) ---------------------------------------------------------------


@transaction.atomic
def absence_set(
    *,
    actor: User,
    lesson: Lesson,
    pupil: User,
    code: str,
    minutes=None,
    note: str = "",
    late_change_id: int | None = None,
) -> Absence:
    """Mark a pupil absent, ill, excused, late (with minutes) or present remotely on a lesson; changes the mark the
    pupil already has there. `late_change_id`: the gradebook's approved late-change request applying it after the
    window (R-F01); its history row names it. Only the gradebook's late-change service passes it."""
    minutes = _check_code(code, minutes)
    note = _check_note(note)
    lesson = _locked(lesson)
    day = today(lesson.school.timezone)
    window = _check_lesson(lesson, school_settings(lesson.school_id), day, late=late_change_id is not None)
    if not on_lesson_list(lesson, pupil.pk):
        raise AttendanceError(
            _("%(pupil)s is not on the list of this lesson on %(date)s.")
            % {"pupil": pupil.get_full_name() or pupil.username, "date": _d(lesson.date)}
        )
    when = now()
    absence = Absence.objects.select_for_update().filter(lesson=lesson, pupil=pupil).first()
    if absence is None:
        absence = Absence(
            school_id=lesson.school_id,
            lesson=lesson,
            pupil=pupil,
            code=code,
            minutes=minutes,
            note=note,
            author=actor,
            entered_late=window.is_late(day),
            late_change_id=late_change_id,
            created_at=when,
            updated_at=when,
        )
        absence._history_user = _author(actor)
        absence.save()
        _tell(absence.school_id, [absence.pk])
        return absence
    if (absence.code, absence.minutes, absence.note) == (code, minutes, note):
        return absence
    absence.code, absence.minutes, absence.note = code, minutes, note
    absence.author, absence.updated_at, absence.late_change_id = actor, when, late_change_id
    absence._history_user = _author(actor)
    absence.save(update_fields=["code", "minutes", "note", "author", "updated_at", "late_change_id"])
    _tell(absence.school_id, [absence.pk])
    return absence


@transaction.atomic
def absence_clear(*, actor: User, lesson: Lesson, pupil: User, late_change_id: int | None = None) -> bool:
    """The pupil was in fact present: remove the mark (seed 002 §1.2: a teacher removes a notice's absence from the
    lesson the pupil came to). Clearing what is not there is no error; returns whether a mark was removed.
    `late_change_id` as in `absence_set`."""
    lesson = _locked(lesson)
    _check_lesson(
        lesson, school_settings(lesson.school_id), today(lesson.school.timezone), late=late_change_id is not None
    )
    absence = Absence.objects.select_for_update().filter(lesson=lesson, pupil=pupil).first()
    if absence is None:
        return False
    absence.late_change_id = late_change_id
    absence._history_user = _author(actor)
    absence_id, school_id = absence.pk, absence.school_id
    absence.delete()
    _tell(school_id, [absence_id])
    return True


@transaction.atomic
def attendance_taken(*, actor: User, lesson: Lesson) -> AttendanceTaken:
    """The lesson's attendance is taken (R-H01); with no absence this is "all present". Asking twice keeps the first
    record."""
    lesson = _locked(lesson)
    day = today(lesson.school.timezone)
    window = _check_lesson(lesson, school_settings(lesson.school_id), day)
    if lesson.date > day:
        raise AttendanceError(_("The lesson of %(date)s has not taken place yet.") % {"date": _d(lesson.date)})
    taken, _created = AttendanceTaken.objects.get_or_create(
        lesson=lesson,
        defaults={"school_id": lesson.school_id, "by": actor, "at": now(), "entered_late": window.is_late(day)},
    )
    return taken


# --- Notices of one or several days (R-H03, R-H05) --------------------------------------------------------


def _covers(rows, attr: str, target_id: int, day: datetime.date) -> bool:
    return any(getattr(r, attr) == target_id and r.since <= day and (r.until is None or r.until >= day) for r in rows)


def _pupil_lessons(pupil: User, year: AcademicYear, start: datetime.date, end: datetime.date) -> list[Lesson]:
    """The in-journal lessons of the pupil's class and groups on those days, by the enrollment and the membership
    in force on each lesson's date (a subgroup's lesson, not the other subgroup's). Three queries."""
    overlap = Q(since__lte=end) & (Q(until__isnull=True) | Q(until__gte=start))
    enrollments = list(Enrollment.objects.filter(overlap, pupil=pupil, school_class__year=year))
    memberships = list(GroupMembership.objects.filter(overlap, pupil=pupil, group__year=year))
    class_ids = {e.school_class_id for e in enrollments}
    group_ids = {m.group_id for m in memberships}
    if not class_ids and not group_ids:
        return []
    lessons = (
        Lesson.objects.in_journal()
        .filter(school_id=year.school_id, date__range=(start, end))
        .filter(
            Q(course__group__isnull=True, course__school_class_id__in=class_ids) | Q(course__group_id__in=group_ids)
        )
        .select_related("course__year")
        .order_by("date", "number")
    )
    return [
        lesson
        for lesson in lessons
        if (
            _covers(memberships, "group_id", lesson.course.group_id, lesson.date)
            if lesson.course.group_id is not None
            else _covers(enrollments, "school_class_id", lesson.course.school_class_id, lesson.date)
        )
    ]


@dataclass
class _NoticeData:
    code: str
    reason: str
    document: str


def _check_notice(code: str, reason: str, document: str, start, end) -> _NoticeData:
    if code not in NOTICE_CODES:
        raise AttendanceError(_("Choose the code of the absence: absent, ill, valid reason or present remotely."))
    reason, document = _text(reason), _text(document)
    if not reason:
        raise AttendanceError(_("Give the reason for the absence."))
    if len(reason) > AbsenceNotice._meta.get_field("reason").max_length:
        raise AttendanceError(_("The reason is too long."))
    if len(document) > AbsenceNotice._meta.get_field("document").max_length:
        raise AttendanceError(_("The document's description is too long."))
    if start is None or end is None:
        raise AttendanceError(_("Give the first and the last day of the absence."))
    if end < start:
        raise AttendanceError(_("The last day cannot be before the first day."))
    return _NoticeData(code=code, reason=reason, document=document)


@transaction.atomic
def absence_notice_create(
    *,
    actor: User,
    pupil: User,
    start: datetime.date,
    end: datetime.date,
    code: str,
    reason: str,
    document: str = "",
    school_class: SchoolClass | None = None,
) -> AbsenceNotice:
    """Record a pupil's absence for one or several days (R-H03, R-H05): every in-journal lesson of the pupil on
    those days gets the notice's code (a mark already there takes it too). In a fixed number of queries, however
    long the absence; the bulk writes keep their history with the author."""
    data = _check_notice(code, reason, document, start, end)
    name = pupil.get_full_name() or pupil.username
    enrolled = (
        Enrollment.objects.filter(pupil=pupil, since__lte=end)
        .filter(Q(until__isnull=True) | Q(until__gte=start))
        .select_related("school_class__year__school")
        .order_by("-since")
    )
    if school_class is not None:
        enrolled = enrolled.filter(school_class=school_class)
    enrollment = enrolled.first()
    if enrollment is None:
        if school_class is not None:
            raise AttendanceError(
                _("%(pupil)s is not in the class %(class)s on these days.") % {"pupil": name, "class": school_class}
            )
        raise AttendanceError(_("%(pupil)s is not enrolled in any class on these days.") % {"pupil": name})
    school_class = enrollment.school_class
    year = school_class.year
    _check_year(year)
    if start < year.start or end > year.end:
        raise AttendanceError(
            _("The days must be inside the academic year %(year)s (%(start)s – %(end)s).")
            % {"year": year, "start": _d(year.start), "end": _d(year.end)}
        )
    school = year.school
    settings = school_settings(school.pk)
    day = today(school.timezone)
    lessons = _pupil_lessons(pupil, year, start, end)
    windows = {lesson.pk: _check_lesson(lesson, settings, day) for lesson in lessons}
    when = now()
    notice = AbsenceNotice.objects.create(
        school=school,
        pupil=pupil,
        school_class=school_class,
        start=start,
        end=end,
        code=data.code,
        reason=data.reason,
        document=data.document,
        author=actor,
        created_at=when,
    )
    existing = {
        a.lesson_id: a
        for a in Absence.objects.select_for_update().filter(pupil=pupil, lesson_id__in=[x.pk for x in lessons])
    }
    changed, new = [], []
    for lesson in lessons:
        absence = existing.get(lesson.pk)
        if absence is not None:
            absence.code, absence.minutes, absence.notice = data.code, None, notice
            absence.author, absence.updated_at = actor, when
            changed.append(absence)
        else:
            new.append(
                Absence(
                    school=school,
                    lesson=lesson,
                    pupil=pupil,
                    code=data.code,
                    notice=notice,
                    author=actor,
                    entered_late=windows[lesson.pk].is_late(day),
                    created_at=when,
                    updated_at=when,
                )
            )
    author = _author(actor)
    if new:
        bulk_create_with_history(new, Absence, default_user=author, default_date=when)
    if changed:
        bulk_update_with_history(
            changed,
            Absence,
            ["code", "minutes", "notice", "author", "updated_at"],
            default_user=author,
            default_date=when,
        )
    _tell(school.pk, [a.pk for a in [*new, *changed]], when)
    record(
        actor=actor,
        school=school,
        action="attendance.notice.created",
        obj=notice,
        data={
            "pupil": pupil.pk,
            "class": str(school_class),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "code": data.code,
            "reason": data.reason,
            "document": data.document,
            "lessons": len(lessons),
        },
    )
    notice.lessons_filled = len(lessons)
    return notice


def notices_fill(lessons: list[Lesson]) -> int:
    """New lessons (generated or added after a notice was recorded) get the absences of the notices that cover
    their dates, for the pupils on their lists (R-H03, R-H05): a notice means the whole days. In a fixed number of
    queries; the absences' history names the notice's author. Returns how many absences were made."""
    lessons = [lesson for lesson in lessons if lesson.pk and lesson.status != Lesson.Status.CANCELLED]
    if not lessons:
        return 0
    first, last = min(x.date for x in lessons), max(x.date for x in lessons)
    notices = list(
        AbsenceNotice.objects.filter(school_id=lessons[0].school_id, start__lte=last, end__gte=first).select_related(
            "author"
        )
    )
    if not notices:
        return 0
    pupils = {n.pupil_id for n in notices}
    overlap = Q(since__lte=last) & (Q(until__isnull=True) | Q(until__gte=first))
    enrolled_in, member_of = defaultdict(list), defaultdict(list)
    for row in Enrollment.objects.filter(overlap, pupil_id__in=pupils):
        enrolled_in[row.pupil_id].append(row)
    for row in GroupMembership.objects.filter(overlap, pupil_id__in=pupils):
        member_of[row.pupil_id].append(row)
    audience = {
        pk: (class_id, group_id)
        for pk, class_id, group_id in Course.objects.filter(pk__in={x.course_id for x in lessons}).values_list(
            "pk", "school_class_id", "group_id"
        )
    }
    existing = set(
        Absence.objects.filter(lesson_id__in=[x.pk for x in lessons], pupil_id__in=pupils).values_list(
            "lesson_id", "pupil_id"
        )
    )
    when = now()
    new = []
    for lesson in lessons:
        class_id, group_id = audience[lesson.course_id]
        for notice in notices:
            if not notice.start <= lesson.date <= notice.end or (lesson.pk, notice.pupil_id) in existing:
                continue
            if group_id:
                on_list = _covers(member_of[notice.pupil_id], "group_id", group_id, lesson.date)
            else:
                on_list = _covers(enrolled_in[notice.pupil_id], "school_class_id", class_id, lesson.date)
            if not on_list:
                continue
            absence = Absence(
                school_id=lesson.school_id,
                lesson_id=lesson.pk,
                pupil_id=notice.pupil_id,
                code=notice.code,
                notice=notice,
                author=notice.author,
                created_at=when,
                updated_at=when,
            )
            absence._history_user = notice.author
            existing.add((lesson.pk, notice.pupil_id))
            new.append(absence)
    if new:
        bulk_create_with_history(new, Absence, default_date=when)
        _tell(lessons[0].school_id, [a.pk for a in new], when)
    return len(new)


def _delete_with_history(absences: list[Absence], actor: User | None) -> None:
    """Delete absences in two queries, writing their "deleted" history rows with the author ourselves: a queryset
    delete would write one history row per absence, without the author."""
    if not absences:
        return
    history = Absence.history.model
    when = now()
    history.objects.bulk_create(
        [
            history(
                history_date=when,
                history_user=actor,
                history_change_reason="",
                history_type="-",
                **{f.attname: getattr(a, f.attname) for f in history.tracked_fields},
            )
            for a in absences
        ]
    )
    # Nothing refers to an absence (the history rows keep its id without a constraint), so no cascade is skipped.
    Absence.objects.filter(pk__in=[a.pk for a in absences])._raw_delete(Absence.objects.db)
    _tell(absences[0].school_id, [a.pk for a in absences], when)


@transaction.atomic
def absence_notice_delete(*, actor: User, notice: AbsenceNotice) -> int:
    """Withdraw a notice recorded by mistake: its absences go with it. Refused when one of its lessons is closed for
    changes (R-D03, R-D08). Returns how many absences were removed."""
    notice = (
        AbsenceNotice.objects.select_for_update(of=("self",))
        .select_related("school_class__year", "school")
        .get(pk=notice.pk)
    )
    _check_year(notice.school_class.year)
    settings = school_settings(notice.school_id)
    day = today(notice.school.timezone)
    absences = list(
        Absence.objects.select_for_update(of=("self",)).filter(notice=notice).select_related("lesson__course__year")
    )
    for absence in absences:
        # A lesson cancelled after the notice keeps its absences out of the journal; withdrawing them is fine.
        _check_lesson(absence.lesson, settings, day, cancelled_ok=True)
    _delete_with_history(absences, _author(actor))
    record(
        actor=actor,
        school=notice.school,
        action="attendance.notice.deleted",
        obj=notice,
        data={
            "pupil": notice.pupil_id,
            "start": notice.start.isoformat(),
            "end": notice.end.isoformat(),
            "code": notice.code,
            "absences": len(absences),
        },
    )
    notice.delete()
    return len(absences)
