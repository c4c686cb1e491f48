"""Attendance services: codes, the time rules of DESIGN §5 with the clock moved, notices of several days, history."""

import datetime

import pytest
from django.utils import translation

from accounts.models import SchoolSettings
from attendance import services
from attendance.models import Absence, AbsenceNotice, AttendanceTaken
from attendance.services import AttendanceError
from audit.models import AuditEntry
from schedule.models import AcademicYear, Lesson
from schedule.services import lessons as lesson_services
from schedule.signals import lessons_in_use

from .conftest import DAY, LAST_TUESDAY

D = datetime.date
MSK_MORNING = datetime.time(9, 0)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, MSK_MORNING, tzinfo=datetime.UTC)


# --- One lesson ------------------------------------------------------------------------------------------------


def test_the_teacher_marks_a_pupil_absent_on_time_R_H01_R_D01(world, week):
    lesson = week.lesson(week.maths, DAY)
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    assert (absence.code, absence.label, absence.entered_late, absence.author) == ("absent", "Н", False, world.teacher)
    assert absence.school_id == world.school.pk
    # Changing it keeps one row; each change is in the history with its author.
    services.absence_set(actor=world.class_teacher, lesson=lesson, pupil=world.pupil, code="ill", note="ОРВИ")
    absence.refresh_from_db()
    assert (absence.code, absence.note, absence.author) == ("ill", "ОРВИ", world.class_teacher)
    history = list(absence.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.code, h.history_user) for h in history] == [
        ("+", "absent", world.teacher),
        ("~", "ill", world.class_teacher),
    ]


def test_lateness_is_recorded_with_its_minutes_R_H02(world, week):
    lesson = week.lesson(week.maths, DAY)
    with pytest.raises(AttendanceError):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="late")
    with pytest.raises(AttendanceError):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="late", minutes=91)
    with pytest.raises(AttendanceError):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="later")
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="late", minutes=10)
    assert (absence.label, absence.minutes) == ("ОП 10", 10)
    # Another code drops the minutes.
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="remote", minutes=5)
    assert (absence.label, absence.minutes) == ("ДО", None)


def test_an_entry_after_the_deadline_is_accepted_and_recorded_as_late_R_D01(world, week):
    """The lesson of Tue 10.11 is due by 12.11 (2 days); on 17.11 it is late but inside the 14-day window."""
    lesson = week.lesson(week.maths, LAST_TUESDAY)
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    assert absence.entered_late is True
    taken = services.attendance_taken(actor=world.teacher, lesson=lesson)
    assert taken.entered_late is True


def test_the_deadline_day_itself_is_on_time_R_D01(world, week, clock):
    clock.move_to(at(D(2026, 11, 12)))
    absence = services.absence_set(
        actor=world.teacher, lesson=week.lesson(week.maths, LAST_TUESDAY), pupil=world.pupil, code="absent"
    )
    assert absence.entered_late is False


def test_after_the_edit_window_the_teacher_is_refused_with_the_date_it_closed_R_D03(world, week, clock):
    lesson = week.lesson(week.maths, LAST_TUESDAY)
    clock.move_to(at(D(2026, 11, 24)))  # the 14th day: still open
    services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    clock.move_to(at(D(2026, 11, 25)))
    with translation.override("ru"), pytest.raises(AttendanceError) as refused:
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="ill")
    assert "24.11.2026" in refused.value.message
    assert "больше нельзя изменить" in refused.value.message
    with pytest.raises(AttendanceError, match="24.11.2026"):
        services.absence_clear(actor=world.teacher, lesson=lesson, pupil=world.pupil)
    # The class teacher's daily corrections of their own class follow the same window (R-H04).
    with pytest.raises(AttendanceError):
        services.absence_clear(actor=world.class_teacher, lesson=lesson, pupil=world.pupil)
    assert Absence.objects.get(lesson=lesson).code == "absent"


def test_an_edit_window_of_never_lasts_until_the_year_ends_R_D03(world, week, clock):
    SchoolSettings.objects.filter(school=world.school).update(edit_window_days=None)
    lesson = week.lesson(week.maths, LAST_TUESDAY)
    clock.move_to(at(D(2027, 5, 20)))
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    assert absence.entered_late is True
    clock.move_to(at(D(2027, 9, 1)))  # the year ended on 31.08.2027
    with pytest.raises(AttendanceError, match="31.08.2027"):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="ill")


def test_nothing_changes_in_a_closed_year_R_D08(world, week):
    lesson = week.lesson(week.maths, DAY)
    services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    AcademicYear.objects.filter(pk=world.school_class.year_id).update(is_archived=True)
    lesson = week.lesson(week.maths, DAY)
    with translation.override("ru"), pytest.raises(AttendanceError, match="закрыт"):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="ill")
    with pytest.raises(AttendanceError, match="closed|закрыт"):
        services.absence_clear(actor=world.admin, lesson=lesson, pupil=world.pupil)
    with pytest.raises(AttendanceError, match="closed|закрыт"):
        services.absence_notice_create(
            actor=world.admin, pupil=world.pupil, start=DAY, end=DAY, code="ill", reason="ОРВИ"
        )


def test_a_pupil_not_on_the_lesson_list_is_refused(world, week):
    with translation.override("ru"), pytest.raises(AttendanceError, match="нет в списке"):
        services.absence_set(
            actor=world.admin, lesson=week.lesson(week.maths, DAY), pupil=world.other_pupil, code="absent"
        )
    # The other subgroup's pupil is not on group 1's English list.
    with pytest.raises(AttendanceError):
        services.absence_set(
            actor=world.other_teacher, lesson=week.lesson(week.english_1, DAY), pupil=week.classmate, code="absent"
        )


def test_a_cancelled_lesson_takes_no_attendance(world, week):
    lesson = lesson_services.lesson_cancel(actor=world.admin, lesson=week.lesson(week.maths, DAY), reason="Карантин")
    with pytest.raises(AttendanceError, match="cancelled|отменён"):
        services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    with pytest.raises(AttendanceError, match="cancelled|отменён"):
        services.attendance_taken(actor=world.teacher, lesson=lesson)


def test_attendance_taken_is_recorded_once_R_H01(world, week):
    lesson = week.lesson(week.maths, DAY)
    first = services.attendance_taken(actor=world.teacher, lesson=lesson)
    again = services.attendance_taken(actor=world.class_teacher, lesson=lesson)
    assert first.pk == again.pk and again.by == world.teacher and first.entered_late is False
    assert AttendanceTaken.objects.count() == 1
    with pytest.raises(AttendanceError, match="not taken place|не проведён"):
        services.attendance_taken(actor=world.teacher, lesson=week.lesson(week.maths, D(2026, 11, 18)))


def test_clearing_removes_the_mark_with_its_author_in_the_history(world, week):
    lesson = week.lesson(week.maths, DAY)
    absence = services.absence_set(actor=world.teacher, lesson=lesson, pupil=world.pupil, code="absent")
    assert services.absence_clear(actor=world.teacher, lesson=lesson, pupil=world.pupil) is True
    assert services.absence_clear(actor=world.teacher, lesson=lesson, pupil=world.pupil) is False
    deleted = Absence.history.filter(id=absence.pk).order_by("-history_date", "-history_id").first()
    assert (deleted.history_type, deleted.history_user) == ("-", world.teacher)


def test_lessons_with_attendance_are_kept_by_timetable_changes(world, week):
    marked = week.lesson(week.maths, DAY)
    taken = week.lesson(week.history, DAY)
    empty = week.lesson(week.maths, D(2026, 11, 18))
    services.absence_set(actor=world.teacher, lesson=marked, pupil=world.pupil, code="absent")
    services.attendance_taken(actor=world.other_teacher, lesson=taken)
    ids = {marked.pk, taken.pk, empty.pk}
    used = set().union(*(set(r or ()) for _f, r in lessons_in_use.send(sender=Lesson, lesson_ids=ids)))
    assert {marked.pk, taken.pk} <= used and empty.pk not in used


# --- Notices of several days (R-H03, R-H05) --------------------------------------------------------------------


def test_a_notice_fills_exactly_the_pupils_lessons_R_H03_R_H05(world, week, django_assert_max_num_queries):
    # A mark already there takes the notice's code.
    services.absence_set(
        actor=world.teacher, lesson=week.lesson(week.maths, DAY), pupil=world.pupil, code="late", minutes=5
    )
    with django_assert_max_num_queries(15):
        notice = services.absence_notice_create(
            actor=world.class_teacher,
            pupil=world.pupil,
            start=DAY,
            end=D(2026, 11, 18),
            code="ill",
            reason="ОРВИ",
            document="справка № 123 от 19.11.2026",
        )
    filled = Absence.objects.filter(pupil=world.pupil).select_related("lesson__course")
    assert {(a.lesson.course_id, a.lesson.date) for a in filled} == {
        (week.maths.pk, DAY),
        (week.history.pk, DAY),
        (week.english_1.pk, DAY),  # the pupil's subgroup, not the other one's
        (week.maths.pk, D(2026, 11, 18)),
    }
    assert all((a.code, a.minutes, a.notice_id) == ("ill", None, notice.pk) for a in filled)
    assert notice.lessons_filled == 4 and notice.school_class == world.school_class
    assert not Absence.objects.filter(pupil=week.classmate).exists()
    # Every row's history carries the class teacher, the bulk writes included.
    assert {h.history_user for h in Absence.history.filter(pupil=world.pupil, history_type__in="+~")} >= {
        world.class_teacher
    }
    assert all(h.history_user == world.class_teacher for h in Absence.history.filter(notice_id=notice.pk))
    entry = AuditEntry.objects.get(action="attendance.notice.created")
    assert entry.actor == world.class_teacher and entry.data["document"] == "справка № 123 от 19.11.2026"


def test_lessons_made_after_a_notice_get_its_absences_R_H03_R_H05(world, week, django_assert_max_num_queries):
    """A notice recorded for days whose lessons are not generated yet fills them when they are made, and an extra
    lesson added on such a day too; the history names the notice's author."""
    from schedule.services import timetable

    tuesday, wednesday = D(2026, 12, 1), D(2026, 12, 2)
    assert not Lesson.objects.filter(date=tuesday).exists()
    notice = services.absence_notice_create(
        actor=world.class_teacher, pupil=world.pupil, start=tuesday, end=wednesday, code="ill", reason="ОРВИ"
    )
    assert notice.lessons_filled == 0
    year = world.school_class.year
    with django_assert_max_num_queries(20):
        timetable.lessons_generate(actor=None, year=year, start=D(2026, 11, 26), end=D(2026, 12, 9))
    filled = Absence.objects.filter(pupil=world.pupil).select_related("lesson__course")
    assert {(a.lesson.course_id, a.lesson.date) for a in filled} == {
        (week.maths.pk, tuesday),
        (week.history.pk, tuesday),
        (week.english_1.pk, tuesday),  # the pupil's subgroup only
        (week.maths.pk, wednesday),
    }
    assert all((a.code, a.notice_id) == ("ill", notice.pk) for a in filled)
    assert not Absence.objects.filter(pupil=week.classmate).exists()
    assert {h.history_user for h in Absence.history.filter(pupil=world.pupil)} == {world.class_teacher}
    extra = lesson_services.lesson_add(actor=world.admin, course=week.history, date=wednesday, number=5)
    assert Absence.objects.get(lesson=extra, pupil=world.pupil).code == "ill"
    later = lesson_services.lesson_add(actor=world.admin, course=week.history, date=D(2026, 12, 3), number=5)
    assert not Absence.objects.filter(lesson=later).exists()


def test_a_notice_costs_the_same_queries_however_long(world, week, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        notice = services.absence_notice_create(
            actor=world.class_teacher,
            pupil=world.pupil,
            start=D(2026, 11, 9),
            end=D(2026, 11, 25),
            code="excused",
            reason="Соревнования",
        )
    assert notice.lessons_filled == Absence.objects.filter(notice=notice).count() > 8


def test_the_subject_teacher_removes_a_notice_mark_when_the_pupil_came_seed_002(world, week):
    """Seed 002 §1.2: the absence appears from the notice; the teacher removes it if the pupil was in fact present."""
    services.absence_notice_create(
        actor=world.class_teacher, pupil=world.pupil, start=DAY, end=DAY, code="absent", reason="Семейные"
    )
    lesson = week.lesson(week.maths, DAY)
    services.absence_clear(actor=world.teacher, lesson=lesson, pupil=world.pupil)
    assert not Absence.objects.filter(lesson=lesson).exists()
    assert Absence.objects.filter(pupil=world.pupil, lesson__date=DAY).count() == 2


def test_a_notice_is_checked(world, week):
    kwargs = {"actor": world.class_teacher, "pupil": world.pupil, "start": DAY, "end": DAY}
    with pytest.raises(AttendanceError, match="reason|причину"):
        services.absence_notice_create(**kwargs, code="ill", reason="  ")
    with pytest.raises(AttendanceError):
        services.absence_notice_create(**kwargs, code="late", reason="Опоздал")
    with pytest.raises(AttendanceError, match="before the first|раньше первого"):
        services.absence_notice_create(
            actor=world.class_teacher, pupil=world.pupil, start=DAY, end=LAST_TUESDAY, code="ill", reason="ОРВИ"
        )
    with pytest.raises(AttendanceError, match="not in the class|не обучается"):
        services.absence_notice_create(
            actor=world.class_teacher,
            pupil=world.other_pupil,
            start=DAY,
            end=DAY,
            code="ill",
            reason="ОРВИ",
            school_class=world.school_class,
        )
    assert not AbsenceNotice.objects.exists() and not Absence.objects.exists()


def test_a_notice_reaching_a_closed_lesson_is_refused_R_D03(world, week, clock):
    clock.move_to(at(D(2026, 11, 25)))
    with pytest.raises(AttendanceError, match="24.11.2026"):
        services.absence_notice_create(
            actor=world.class_teacher,
            pupil=world.pupil,
            start=LAST_TUESDAY,
            end=D(2026, 11, 25),
            code="ill",
            reason="ОРВИ",
        )
    assert not AbsenceNotice.objects.exists()


def test_deleting_a_notice_removes_its_absences_with_history(world, week, clock):
    notice = services.absence_notice_create(
        actor=world.class_teacher, pupil=world.pupil, start=DAY, end=D(2026, 11, 18), code="ill", reason="ОРВИ"
    )
    ids = list(Absence.objects.filter(notice=notice).values_list("pk", flat=True))
    assert services.absence_notice_delete(actor=world.admin, notice=notice) == 4
    assert not Absence.objects.exists() and not AbsenceNotice.objects.exists()
    deleted = Absence.history.filter(id__in=ids, history_type="-")
    assert deleted.count() == 4 and {h.history_user for h in deleted} == {world.admin}
    assert AuditEntry.objects.filter(action="attendance.notice.deleted", actor=world.admin).exists()

    # A notice whose lessons are closed for changes stays (R-D03).
    old = services.absence_notice_create(
        actor=world.class_teacher, pupil=world.pupil, start=DAY, end=DAY, code="ill", reason="ОРВИ"
    )
    clock.move_to(at(D(2026, 12, 2)))
    with pytest.raises(AttendanceError, match="01.12.2026"):
        services.absence_notice_delete(actor=world.class_teacher, notice=old)
    assert Absence.objects.filter(notice=old).count() == 3
