"""After its window closed, a mark, an absence or a period mark changes only through an approved late-change request
(R-F01, seed 001 "Запрещено"), and the change's history row names the request. Every other way is tried and
refused: the grid's direct POSTs, the period-marks page's bulk save, and the services themselves, which are what any
import, command or task calls (there is no other writer: no view or import writes the tables directly)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendance.models import Absence
from attendance.services import AttendanceError, absence_clear, absence_set
from gradebook import late_changes
from gradebook.marks import mark_clear, mark_set
from gradebook.models import LateChangeRequest, Mark, PeriodMark
from gradebook.period_marks import Entry, period_mark_set, period_marks_save
from gradebook.services import GradebookError
from schedule.models import StudyPeriod
from tests.matrix.journal import DAY, journal_course, lesson_of, work_on

UTC = datetime.UTC
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan():
    return SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def closed(world, clock):
    """The pupil's «3» and absence on 17.11, and their first quarter's «4» (set by an approved request of a former
    year is not needed: the quarter's mark is made while its window was open); the clock then moves past every
    window: 17.11 + 14 days = 01.12, the first quarter's 30.10 + 14 = 13.11."""
    clock.move_to(datetime.datetime(2026, 11, 12, 9, tzinfo=UTC))
    course = journal_course(world)
    q1 = StudyPeriod.objects.get(year=course.year, number=1, grade_from__lte=5, grade_to__gte=5)
    period_mark_set(actor=world.teacher, course=course, period=q1, pupil_id=world.pupil.pk, value="4")
    clock.move_to(datetime.datetime(2026, 11, 17, 9, tzinfo=UTC))
    work = work_on(world, DAY)
    mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    absence_set(actor=world.teacher, lesson=lesson_of(world, DAY), pupil=world.pupil, code="absent")
    clock.move_to(datetime.datetime(2026, 12, 2, 9, tzinfo=UTC))
    return {"course": course, "work": work, "lesson": lesson_of(world, DAY), "q1": q1}


def unchanged(world, closed):
    assert Mark.objects.get(work=closed["work"], pupil=world.pupil).value == "3"
    assert Absence.objects.get(lesson=closed["lesson"], pupil=world.pupil).code == "absent"
    assert PeriodMark.objects.get(course=closed["course"], period=closed["q1"], pupil=world.pupil).value == "4"


def test_the_grids_direct_posts_are_refused_after_the_window_R_F01(client, world, closed):
    for user in (world.teacher, world.class_teacher, world.admin):
        client.force_login(user)
        url = reverse("gradebook:mark_set", args=[closed["work"].pk])
        for data in ({"pupil": world.pupil.pk, "value": "5"}, {"pupil": world.pupil.pk, "value": ""}):
            assert client.post(url, data).status_code in (403, 409)
        url = reverse("gradebook:attendance_set", args=[closed["lesson"].pk])
        for code in ("ill", ""):
            assert client.post(url, {"pupil": world.pupil.pk, "code": code}).status_code in (403, 409)
    unchanged(world, closed)


def test_the_period_marks_bulk_save_is_refused_after_the_window_R_D06_R_F01(client, world, closed):
    client.force_login(world.teacher)
    url = reverse("gradebook:period_marks_save", args=[closed["course"].pk])
    response = client.post(url, {f"pm-{closed['q1'].pk}-{world.pupil.pk}": "5"})
    assert response.status_code == 409
    response = client.post(url, {f"pm-{closed['q1'].pk}-{world.pupil.pk}": ""})
    assert response.status_code == 422
    unchanged(world, closed)


def test_the_services_any_import_calls_refuse_after_the_window_R_F01(world, closed):
    pupil, work, lesson = world.pupil, closed["work"], closed["lesson"]
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=work, pupil_id=pupil.pk, value="5")
    with pytest.raises(GradebookError):
        mark_clear(actor=world.teacher, work=work, pupil_id=pupil.pk)
    with pytest.raises(AttendanceError):
        absence_set(actor=world.teacher, lesson=lesson, pupil=pupil, code="ill")
    with pytest.raises(AttendanceError):
        absence_clear(actor=world.teacher, lesson=lesson, pupil=pupil)
    with pytest.raises(GradebookError):
        period_mark_set(actor=world.teacher, course=closed["course"], period=closed["q1"], pupil_id=pupil.pk, value="5")
    with pytest.raises(GradebookError):
        period_marks_save(actor=world.teacher, course=closed["course"], entries=[Entry(closed["q1"], pupil.pk, "5")])
    unchanged(world, closed)


def test_a_pending_or_rejected_request_changes_nothing_and_an_approved_one_does_R_F01(world, closed):
    cell = late_changes.Cell(
        target="mark", course=closed["course"], pupil=world.pupil, lesson=closed["lesson"], work=closed["work"]
    )
    request = late_changes.late_change_file(
        actor=world.teacher,
        cell=cell,
        new_value="5",
        reason=LateChangeRequest.Reason.RETAKE,
        document_number="17-у",
        document_date=datetime.date(2026, 12, 1),
        scan=scan(),
    )
    unchanged(world, closed)
    late_changes.late_change_reject(actor=world.deputy, request=request, comment="Нет протокола пересдачи")
    unchanged(world, closed)
    again = late_changes.late_change_file(
        actor=world.teacher,
        cell=cell,
        new_value="5",
        reason=LateChangeRequest.Reason.RETAKE,
        document_number="18-у",
        document_date=datetime.date(2026, 12, 1),
        scan=scan(),
    )
    late_changes.late_change_approve(actor=world.director, request=again)
    mark = Mark.objects.get(work=closed["work"], pupil=world.pupil)
    assert mark.value == "5"
    latest = mark.history.latest()
    assert latest.late_change_id == again.pk and latest.history_user == world.teacher
    # Every other change of the cell before it named no request.
    assert {h.late_change_id for h in mark.history.all()} == {None, again.pk}


def test_each_kind_of_late_change_names_its_request_in_the_history_R_F01(world, closed):
    course, pupil = closed["course"], world.pupil
    absence = late_changes.late_change_file(
        actor=world.teacher,
        cell=late_changes.Cell(target="absence", course=course, pupil=pupil, lesson=closed["lesson"]),
        new_value="ill",
        reason=LateChangeRequest.Reason.PUPIL_ILLNESS,
        document_number="справка 112",
        document_date=datetime.date(2026, 11, 20),
        scan=scan(),
    )
    period = late_changes.late_change_file(
        actor=world.teacher,
        cell=late_changes.Cell(target="period_mark", course=course, pupil=pupil, period=closed["q1"]),
        new_value="5",
        reason=LateChangeRequest.Reason.TEACHER_ILLNESS,
        document_number="больничный 77",
        document_date=datetime.date(2026, 11, 20),
        scan=scan(),
    )
    for request in (absence, period):
        late_changes.late_change_approve(actor=world.deputy, request=request, comment="Согласовано")
    row = Absence.history.filter(lesson=closed["lesson"], pupil=pupil).latest()
    assert (row.code, row.late_change_id) == ("ill", absence.pk)
    row = PeriodMark.history.filter(course=course, period=closed["q1"], pupil=pupil).latest()
    assert (row.value, row.late_change_id) == ("5", period.pk)
