"""Late-change requests and retake protocols (seed 001 "Запрещено" and what follows): the rules R-F01..R-F03, R-F05
and R-F07 with the clock moved, the history rows that name the request, and the pages (happy paths, 422/409 with
nothing changed, 404 for what is not the course's or the school's, 403 for other roles).

Set-up from tests/matrix/late_changes.py: maths of 5А taught by `teacher`; on the frozen 17 November the mark «3» of
13 October, the absence of 14 October and the 1st quarter's «4» are past their windows."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import SchoolSettings
from attendance.models import Absence
from ejournal.demo_late_changes import add_late_changes
from gradebook.late_changes import (
    Cell,
    late_change_approve,
    late_change_file,
    late_change_reject,
    late_change_withdraw,
    lock_of,
    retake_protocol_enter,
)
from gradebook.marks import mark_set, work_add
from gradebook.models import LateChangeRequest, Mark, PeriodMark, WorkType
from gradebook.period_marks import TwoRefused
from gradebook.services import GradebookError
from tests.factories import make_course
from tests.matrix.journal import DAY, journal_course, lesson_of, work_on
from tests.matrix.late_changes import (
    DOCUMENT_DAY,
    MARK_DAY,
    _at,
    absence_lesson,
    closed_work,
    file_request,
    first_quarter,
    mark_cell,
    past_lesson,
    pdf_bytes,
    scan,
)

Status, Target, Reason = LateChangeRequest.Status, LateChangeRequest.Target, LateChangeRequest.Reason


def _mark(w, work=None) -> Mark | None:
    return Mark.objects.filter(work=work or closed_work(w), pupil=w.pupil).first()


def absence_cell(w) -> Cell:
    lesson = absence_lesson(w)
    return Cell(target=Target.ABSENCE, course=journal_course(w), pupil=w.pupil, lesson=lesson)


def period_cell(w, period=None) -> Cell:
    return Cell(target=Target.PERIOD_MARK, course=journal_course(w), pupil=w.pupil, period=period or first_quarter(w))


def open_cell(w) -> Cell:
    """The pupil's «4» in a column of today's lesson: its window is open."""
    work = work_on(w)
    mark_set(actor=w.teacher, work=work, pupil_id=w.pupil.pk, value="4")
    return Cell(target=Target.MARK, course=journal_course(w), pupil=w.pupil, lesson=work.lesson, work=work)


# --- The services --------------------------------------------------------------------------------------------


def test_no_request_while_the_teacher_can_still_change_the_mark_R_F01(world):
    """R-F01: a request is for after the window; inside it the teacher changes the mark in the journal."""
    cell = open_cell(world)
    assert lock_of(cell, DAY) == ""
    with pytest.raises(GradebookError, match="журнал|journal"):
        file_request(world, cell)
    assert not LateChangeRequest.objects.exists()


def test_after_the_window_the_journal_refuses_and_a_request_is_accepted_R_F01(world):
    cell = mark_cell(world)
    assert lock_of(cell, DAY) == "window"
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=cell.work, pupil_id=world.pupil.pk, value="5")
    request = file_request(world, value="5")
    assert (request.status, request.old_value, request.new_value, request.author) == (
        Status.PENDING, "3", "5", world.teacher,
    )  # fmt: skip
    assert _mark(world).value == "3"  # nothing changes before the approval
    assert request.scan_name == "справка.pdf" and request.scan.read().startswith(b"%PDF")


@pytest.mark.parametrize("reason", [r.value for r in Reason])
def test_each_reason_of_seed_001_is_accepted_R_F02(world, reason):
    assert file_request(world, reason=reason).reason == reason


@pytest.mark.parametrize("reason", ["", "teacher_forgot", "other"])
def test_a_reason_not_of_seed_001_is_refused_R_F02(world, reason):
    with pytest.raises(GradebookError):
        file_request(world, reason=reason)
    assert not LateChangeRequest.objects.exists()


def _big_scan():
    upload = scan()
    upload.size = 10 * 1024 * 1024 + 1
    return upload


@pytest.mark.parametrize(
    "fields",
    [
        {"document_number": ""},
        {"document_number": "   "},
        {"document_date": None},
        {"document_date": DAY + datetime.timedelta(days=1)},
        {"scan": None},
        {"scan": SimpleUploadedFile("справка.exe", b"MZ")},
        {"scan": "big"},
    ],
    ids=["no number", "blank number", "no date", "date in the future", "no scan", "not a scan", "scan too big"],
)
def test_the_document_number_date_and_scan_are_required_R_F03(world, fields):
    if fields.get("scan") == "big":
        fields = {"scan": _big_scan()}
    with pytest.raises(GradebookError):
        file_request(world, **fields)
    assert not LateChangeRequest.objects.exists()


def test_one_request_per_cell_awaits_a_decision_at_a_time(world):
    cell = mark_cell(world)
    first = file_request(world)
    with pytest.raises(GradebookError, match="уже|already"):
        late_change_file(
            actor=world.teacher, cell=cell, new_value="4", reason=Reason.RETAKE, document_number="1",
            document_date=DOCUMENT_DAY, scan=scan(),
        )  # fmt: skip
    late_change_withdraw(actor=world.teacher, request=first)
    assert file_request(world).status == Status.PENDING


def test_the_same_value_is_not_a_change(world):
    with pytest.raises(GradebookError):
        file_request(world, value="3")


def test_approval_applies_the_change_and_its_history_row_names_the_request_R_F01(world):
    request = file_request(world, value="5")
    late_change_approve(actor=world.director, request=request, comment="Справка приложена.")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_comment) == (
        Status.APPROVED, world.director, "Справка приложена.",
    )  # fmt: skip
    mark = _mark(world)
    assert (mark.value, mark.late_change_id) == ("5", request.pk)
    row = Mark.history.filter(id=mark.pk).latest()
    assert (row.value, row.late_change_id, row.history_user) == ("5", request.pk, world.teacher)
    # The window stays closed to the teacher: the next change needs another request.
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=closed_work(world), pupil_id=world.pupil.pk, value="4")


def test_an_approved_removal_deletes_the_mark_and_its_history_row_names_the_request(world):
    request = file_request(world, value="")
    late_change_approve(actor=world.deputy, request=request)
    assert _mark(world) is None
    row = Mark.history.filter(work=closed_work(world), pupil=world.pupil).latest()
    assert (row.history_type, row.late_change_id) == ("-", request.pk)


def test_a_decided_request_is_not_decided_again(world):
    request = file_request(world)
    late_change_approve(actor=world.director, request=request)
    with pytest.raises(GradebookError):
        late_change_reject(actor=world.deputy, request=request, comment="Поздно.")
    with pytest.raises(GradebookError):
        late_change_withdraw(actor=world.teacher, request=request)


def test_rejecting_needs_a_comment_and_changes_nothing(world):
    request = file_request(world)
    with pytest.raises(GradebookError):
        late_change_reject(actor=world.deputy, request=request, comment="  ")
    late_change_reject(actor=world.deputy, request=request, comment="Документ не подписан.")
    request.refresh_from_db()
    assert (request.status, request.decision_comment) == (Status.REJECTED, "Документ не подписан.")
    assert _mark(world).value == "3"
    with pytest.raises(GradebookError):
        late_change_approve(actor=world.director, request=request)
    assert _mark(world).value == "3"


def test_a_withdrawn_request_is_not_approved(world):
    request = file_request(world)
    late_change_withdraw(actor=world.teacher, request=request)
    with pytest.raises(GradebookError):
        late_change_approve(actor=world.director, request=request)
    assert _mark(world).value == "3"


def test_an_absence_changes_after_its_window_only_through_a_request_R_F01(world):
    cell = absence_cell(world)
    assert lock_of(cell, DAY) == "window"
    request = late_change_file(
        actor=world.teacher, cell=cell, new_value="ill", reason=Reason.PUPIL_ILLNESS, document_number="5",
        document_date=DOCUMENT_DAY, scan=scan(),
    )  # fmt: skip
    assert (request.old_value, request.new_value) == ("absent", "ill")
    assert Absence.objects.get(lesson=cell.lesson, pupil=world.pupil).code == "absent"
    late_change_approve(actor=world.director, request=request)
    absence = Absence.objects.get(lesson=cell.lesson, pupil=world.pupil)
    assert absence.code == "ill"
    assert Absence.history.filter(id=absence.pk).latest().late_change_id == request.pk


def test_a_lateness_needs_its_minutes(world):
    cell = absence_cell(world)
    fields = {"reason": Reason.PUPIL_OTHER, "document_number": "5", "document_date": DOCUMENT_DAY}
    with pytest.raises(GradebookError):
        late_change_file(actor=world.teacher, cell=cell, new_value="late", scan=scan(), **fields)
    request = late_change_file(actor=world.teacher, cell=cell, new_value="late", minutes=10, scan=scan(), **fields)
    late_change_approve(actor=world.deputy, request=request)
    absence = Absence.objects.get(lesson=cell.lesson, pupil=world.pupil)
    assert (absence.code, absence.minutes) == ("late", 10)


def test_an_absence_removed_by_a_request_leaves_a_history_row_naming_it(world):
    cell = absence_cell(world)
    request = late_change_file(
        actor=world.teacher, cell=cell, new_value="", reason=Reason.TEACHER_ILLNESS, document_number="5",
        document_date=DOCUMENT_DAY, scan=scan(),
    )  # fmt: skip
    late_change_approve(actor=world.director, request=request)
    assert not Absence.objects.filter(lesson=cell.lesson, pupil=world.pupil).exists()
    row = Absence.history.filter(lesson_id=cell.lesson.pk, pupil_id=world.pupil.pk).latest()
    assert (row.history_type, row.late_change_id) == ("-", request.pk)


def test_a_period_mark_changes_after_its_window_only_through_a_request_R_F01_R_D06(world):
    """R-D06: period marks are editable 14 days after the period; then R-F01."""
    cell = period_cell(world)
    assert lock_of(cell, DAY) == "window"
    request = late_change_file(
        actor=world.teacher, cell=cell, new_value="5", reason=Reason.RETAKE, document_number="8",
        document_date=DOCUMENT_DAY, scan=scan(),
    )  # fmt: skip
    late_change_approve(actor=world.director, request=request)
    mark = PeriodMark.objects.get(course=cell.course, period=cell.period, pupil=world.pupil)
    assert (mark.value, mark.late_change_id) == ("5", request.pk)
    assert PeriodMark.history.filter(id=mark.pk).latest().late_change_id == request.pk


def test_a_two_as_a_period_mark_is_refused_with_the_academic_debt_offered_R_E08(world):
    with pytest.raises(TwoRefused, match="долг"):
        late_change_file(
            actor=world.teacher, cell=period_cell(world), new_value="2", reason=Reason.RETAKE, document_number="8",
            document_date=DOCUMENT_DAY, scan=scan(),
        )  # fmt: skip


def test_the_deputy_enters_a_retake_mark_from_its_protocol_R_F05(world):
    cell = mark_cell(world)
    request = retake_protocol_enter(
        actor=world.deputy, cell=cell, new_value="4", document_number="П-3", document_date=DOCUMENT_DAY,
        scan=scan("протокол.pdf"),
    )  # fmt: skip
    assert (request.source, request.status, request.reason, request.decided_by) == (
        LateChangeRequest.Source.PROTOCOL, Status.APPROVED, Reason.RETAKE, world.deputy,
    )  # fmt: skip
    mark = _mark(world)
    assert (mark.value, mark.late_change_id) == ("4", request.pk)
    assert Mark.history.filter(id=mark.pk).latest().late_change_id == request.pk


def test_no_retake_protocol_while_the_teacher_can_change_the_mark_R_F05_R_F06(world):
    """R-F06: inside the window the teacher changes a mark after a retake; the protocol is for after it."""
    cell = open_cell(world)
    with pytest.raises(GradebookError):
        retake_protocol_enter(
            actor=world.deputy, cell=cell, new_value="5", document_number="П-3", document_date=DOCUMENT_DAY,
            scan=scan(),
        )  # fmt: skip
    mark_set(actor=world.teacher, work=cell.work, pupil_id=world.pupil.pk, value="5")  # R-F06
    assert _mark(world, cell.work).value == "5"


def test_a_retake_protocol_for_a_period_mark_R_F05(world):
    cell = period_cell(world)
    request = retake_protocol_enter(
        actor=world.deputy, cell=cell, new_value="долг", document_number="П-4", document_date=DOCUMENT_DAY,
        scan=scan(),
    )  # fmt: skip
    assert PeriodMark.objects.get(course=cell.course, period=cell.period, pupil=world.pupil).value == "долг"
    assert request.status == Status.APPROVED


def test_where_corrections_need_approval_a_correction_inside_the_window_goes_through_a_request_R_F07(world):
    """R-F07 (seed 003): with the setting on, a mark already entered is corrected only through an approved request,
    even inside the window; a first mark is entered as usual."""
    settings = SchoolSettings.of(world.school)
    settings.corrections_need_approval = True
    settings.save()
    cell = open_cell(world)  # the first mark, «4», entered as usual
    with pytest.raises(GradebookError):
        mark_set(actor=world.teacher, work=cell.work, pupil_id=world.pupil.pk, value="5")
    assert lock_of(cell, DAY) == "correction"
    request = file_request(world, cell, value="5", reason=Reason.RETAKE)
    late_change_approve(actor=world.director, request=request)
    assert _mark(world, cell.work).late_change_id == request.pk


def test_a_closed_year_takes_no_request_R_D08(world):
    mark_cell(world)
    year = journal_course(world).year
    year.is_archived = True
    year.save(update_fields=["is_archived"])
    with pytest.raises(GradebookError):
        file_request(world)


# --- The pages ---------------------------------------------------------------------------------------------------


def _new_url(w, **query) -> str:
    url = reverse("gradebook:late_change_new", args=[journal_course(w).pk])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _mark_url(w) -> str:
    return _new_url(w, work=closed_work(w).pk, pupil=w.pupil.pk)


def _form(**fields) -> dict:
    return {
        "new_value": "5",
        "reason": "pupil_illness",
        "document_number": "17-у",
        "document_date": "10.11.2026",
        "scan": scan(),
        "explanation": "Болел.",
    } | fields


def test_the_teacher_files_a_request_from_the_form(client, world):
    client.force_login(world.teacher)
    response = client.get(_mark_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "27.10.2026" in page  # until when it could be changed in the journal
    assert 'name="scan"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(_mark_url(world), _form())
    request = LateChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("gradebook:late_change_detail", args=[request.pk])
    assert (request.new_value, request.document_date, request.explanation) == ("5", DOCUMENT_DAY, "Болел.")
    assert _mark(world).value == "3"
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "справка.pdf" in detail.content.decode()
    assert 'action="' + reverse("gradebook:late_change_withdraw", args=[request.pk]) in detail.content.decode()
    scan_response = client.get(reverse("gradebook:late_change_scan", args=[request.pk]))
    assert scan_response.status_code == 200
    assert "attachment" in scan_response["Content-Disposition"]
    assert b"".join(scan_response.streaming_content).startswith(b"%PDF")


def test_the_form_says_when_the_journal_can_still_change_it(client, world):
    cell = open_cell(world)
    client.force_login(world.teacher)
    response = client.get(_new_url(world, work=cell.work.pk, pupil=world.pupil.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="scan"' not in page
    assert reverse("gradebook:journal", args=[journal_course(world).pk]) in page


@pytest.mark.parametrize(
    "fields",
    [
        {"scan": ""},
        {"scan": SimpleUploadedFile("справка.pdf", b"MZ this is not a PDF")},
        {"scan": SimpleUploadedFile("справка.docx", pdf_bytes())},
        {"reason": ""},
        {"document_number": ""},
        {"document_date": "31.02.2026"},
    ],
    ids=["no scan", "a renamed file", "not a PDF, JPEG or PNG", "no reason", "no number", "no such date"],
)
def test_a_form_with_errors_is_422_and_changes_nothing(client, world, fields):
    client.force_login(world.teacher)
    data = {k: v for k, v in _form(**fields).items() if v != ""}
    response = client.post(_mark_url(world), data)
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert not LateChangeRequest.objects.exists()


def test_a_refusal_is_409_and_changes_nothing(client, world):
    client.force_login(world.teacher)
    response = client.post(_mark_url(world), _form(document_date="18.11.2026"))  # a document from tomorrow
    assert response.status_code == 409
    assert not LateChangeRequest.objects.exists()
    waiting = file_request(world)
    assert reverse("gradebook:late_change_detail", args=[waiting.pk]) in client.get(_mark_url(world)).content.decode()
    response = client.post(_mark_url(world), _form())
    assert response.status_code == 409
    assert LateChangeRequest.objects.count() == 1


def test_attendance_and_period_mark_forms(client, world):
    client.force_login(world.teacher)
    url = _new_url(world, lesson=absence_lesson(world).pk, pupil=world.pupil.pk)
    response = client.get(url)
    assert response.status_code == 200 and 'name="minutes"' in response.content.decode()
    response = client.post(url, _form(new_value="late"))
    assert response.status_code == 422  # the minutes of a lateness
    response = client.post(url, _form(new_value="late", minutes="7"))
    assert response.status_code == 302
    assert LateChangeRequest.objects.get().minutes == 7
    url = _new_url(world, period=first_quarter(world).pk, pupil=world.pupil.pk)
    response = client.post(url, _form(new_value="2"))
    assert response.status_code == 409 and "долг" in response.content.decode()
    assert client.post(url, _form(new_value="долг")).status_code == 302


def test_what_is_not_the_course_s_or_the_school_s_is_404(client, world):
    client.force_login(world.teacher)
    other = make_course(world.other_class, world.other_teacher, "Физика", 2)
    other_work = work_on(world)  # a work of today's lesson of the journal course, asked under another course
    assert client.get(_mark_url(world).replace(f"/{journal_course(world).pk}/", f"/{other.pk}/")).status_code == 404
    assert client.get(_new_url(world, work=closed_work(world).pk, pupil=world.other_pupil.pk)).status_code == 404
    assert client.get(_new_url(world, work="x", pupil=world.pupil.pk)).status_code == 404
    assert client.get(_new_url(world, work="²", pupil=world.pupil.pk)).status_code == 404
    assert client.get(_new_url(world, period="999999", pupil=world.pupil.pk)).status_code == 404
    assert client.get(_new_url(world, lesson=other_work.lesson_id, pupil="abc")).status_code == 404
    request = file_request(world)
    client.force_login(world.foreign_teacher)
    assert client.get(_mark_url(world)).status_code == 404
    assert client.get(reverse("gradebook:late_change_detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("gradebook:late_change_scan", args=[request.pk])).status_code == 404


@pytest.mark.parametrize("role", ["class_teacher", "other_teacher", "deputy", "director", "pupil", "guardian"])
def test_only_the_course_s_teacher_asks_about_its_marks(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(_mark_url(world)).status_code == 403
    assert client.post(_mark_url(world), _form()).status_code == 403
    assert not LateChangeRequest.objects.exists()


def test_the_deputy_approves_on_the_request_s_page(client, world):
    request = file_request(world, value="5")
    client.force_login(world.deputy)
    page = client.get(reverse("gradebook:late_change_detail", args=[request.pk])).content.decode()
    assert reverse("gradebook:late_change_approve", args=[request.pk]) in page
    assert reverse("gradebook:late_change_withdraw", args=[request.pk]) not in page
    response = client.post(reverse("gradebook:late_change_approve", args=[request.pk]), {"comment": "Согласовано."})
    assert response.status_code == 302
    assert _mark(world).value == "5"
    page = client.get(response["Location"]).content.decode()
    assert "Согласовано." in page
    assert reverse("gradebook:late_change_approve", args=[request.pk]) not in page
    # Approving again: the page is stale, nothing happens.
    response = client.post(reverse("gradebook:late_change_approve", args=[request.pk]))
    assert response.status_code == 409


def test_a_rejection_without_a_comment_is_422_and_changes_nothing(client, world):
    request = file_request(world)
    client.force_login(world.director)
    url = reverse("gradebook:late_change_reject", args=[request.pk])
    assert client.post(url, {"comment": ""}).status_code == 422
    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert client.post(url, {"comment": "Нет печати."}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (Status.REJECTED, world.director)
    assert _mark(world).value == "3"


@pytest.mark.parametrize("role", ["teacher", "admin", "class_teacher", "pupil"])
def test_only_the_director_and_the_deputy_decide(client, world, role):
    request = file_request(world)
    client.force_login(getattr(world, role))
    assert client.post(reverse("gradebook:late_change_approve", args=[request.pk])).status_code == 403
    assert (
        client.post(reverse("gradebook:late_change_reject", args=[request.pk]), {"comment": "Нет."}).status_code == 403
    )
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_the_author_withdraws_a_pending_request(client, world):
    request = file_request(world)
    client.force_login(world.deputy)
    assert client.post(reverse("gradebook:late_change_withdraw", args=[request.pk])).status_code == 403
    client.force_login(world.teacher)
    assert client.post(reverse("gradebook:late_change_withdraw", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert client.post(reverse("gradebook:late_change_withdraw", args=[request.pk])).status_code == 409


def test_the_deputy_enters_a_retake_from_the_form_R_F05(client, world):
    url = reverse("gradebook:retake_new", args=[journal_course(world).pk]) + (
        f"?work={closed_work(world).pk}&pupil={world.pupil.pk}"
    )
    client.force_login(world.teacher)
    assert client.get(url).status_code == 403
    client.force_login(world.deputy)
    assert client.get(url).status_code == 200
    form = {"new_value": "4", "document_number": "П-1", "document_date": "10.11.2026", "scan": scan("протокол.pdf")}
    assert client.post(url, form | {"scan": ""}).status_code == 422
    response = client.post(url, form)
    assert response.status_code == 302
    request = LateChangeRequest.objects.get()
    assert (request.source, request.status) == (LateChangeRequest.Source.PROTOCOL, Status.APPROVED)
    assert _mark(world).value == "4"
    form["scan"] = scan()
    assert client.post(url, form).status_code == 409  # the same value again


def test_the_list_shows_each_side_its_requests(client, world):
    mine = file_request(world)
    late_change_reject(actor=world.director, request=mine, comment="Нет печати.")
    pending = file_request(world)
    client.force_login(world.deputy)
    page = client.get(reverse("gradebook:late_change_list")).content.decode()
    # Those who decide see the requests awaiting a decision by default.
    assert reverse("gradebook:late_change_detail", args=[pending.pk]) in page
    assert reverse("gradebook:late_change_detail", args=[mine.pk]) not in page
    page = client.get(reverse("gradebook:late_change_list"), {"status": "all"}).content.decode()
    assert reverse("gradebook:late_change_detail", args=[mine.pk]) in page and "Нет печати." in page
    client.force_login(world.teacher)
    page = client.get(reverse("gradebook:late_change_list")).content.decode()
    assert reverse("gradebook:late_change_detail", args=[mine.pk]) in page
    client.force_login(world.other_teacher)
    page = client.get(reverse("gradebook:late_change_list")).content.decode()
    assert reverse("gradebook:late_change_detail", args=[pending.pk]) not in page


def test_the_list_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    def fill(count: int):
        lessons = [past_lesson(world, MARK_DAY + datetime.timedelta(days=d)) for d in range(3)]
        kind = WorkType.objects.get(school=world.school, name="Самостоятельная работа")
        for i in range(count):
            lesson = lessons[i % 3]
            with _at(lesson.date):
                work = work_add(actor=world.teacher, lesson=lesson, work_type=kind)
                mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
            cell = Cell(target=Target.MARK, course=lesson.course, pupil=world.pupil, lesson=lesson, work=work)
            request = file_request(world, cell)
            if i % 2:
                late_change_approve(actor=world.director, request=request)

    fill(2)
    file_request(world, absence_cell(world), value="ill")
    client.force_login(world.deputy)
    url = reverse("gradebook:late_change_list")
    with django_assert_max_num_queries(8) as few:
        assert client.get(url, {"status": "all"}).status_code == 200
    fill(6)
    file_request(world, period_cell(world), value="5")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"status": "all"})
    assert response.content.decode().count('class="lc-row-') == 10


def test_the_grid_links_a_locked_cell_to_the_request_form(client, world):
    closed_work(world)
    client.force_login(world.teacher)
    url = reverse("gradebook:journal", args=[journal_course(world).pk])
    page = client.get(url, {"period": first_quarter(world).pk}).content.decode()
    assert f'data-late-url="{reverse("gradebook:late_change_new", args=[journal_course(world).pk])}"' in page
    assert "data-retake-url" not in page
    client.force_login(world.deputy)
    page = client.get(url).content.decode()
    assert f'data-retake-url="{reverse("gradebook:retake_new", args=[journal_course(world).pk])}"' in page
    assert "data-late-url" not in page
    client.force_login(world.class_teacher)
    assert not re.search(r"data-(late|retake)-url", client.get(url).content.decode())


# --- The demo ------------------------------------------------------------------------------------------------------


def test_the_demo_adds_pending_requests_and_an_approved_one(world):
    lessons = [past_lesson(world, MARK_DAY + datetime.timedelta(days=d)) for d in range(3)]
    kind = WorkType.objects.get(school=world.school, name="Самостоятельная работа")
    for lesson in lessons:
        with _at(lesson.date):
            work = work_add(actor=world.teacher, lesson=lesson, work_type=kind)
            mark_set(actor=world.teacher, work=work, pupil_id=world.pupil.pk, value="3")
    lesson_of(world)  # a lesson of this week: its marks are not asked about
    created = add_late_changes(school=world.school, today=DAY)
    states = sorted(r.status for r in created)
    assert states == [Status.APPROVED, Status.PENDING, Status.PENDING]
    approved = next(r for r in created if r.status == Status.APPROVED)
    assert Mark.objects.get(work=approved.work, pupil=world.pupil).late_change_id == approved.pk
    assert all(r.scan.read().startswith(b"%PDF") for r in created)
    assert add_late_changes(school=world.school, today=DAY) == []  # once is enough
