"""The yearly report on how the journal works, for the governing council (R-J17): users and their activity, the
journal's fill rate, marks on time and late, late-change requests, reports of a wrong mark, remarks and their fixes,
the families' use of the diary, the notices sent; one page and a PDF the director prints."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from diary.models import SmsNotice
from ejournal.clock import now
from gradebook.appeals import appeal_file
from gradebook.marks import mark_set
from reports.council import council_report
from reports.services import remark_create, remark_done
from tests.matrix.journal import journal_course, work_on

MOSCOW = datetime.timezone(datetime.timedelta(hours=3))
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def year_so_far(world, clock, client):
    course = journal_course(world)
    on_time = work_on(world, datetime.date(2026, 11, 16))
    mark_set(actor=world.teacher, work=on_time, pupil_id=world.pupil.pk, value="5")
    late = work_on(world, datetime.date(2026, 11, 10))
    mark_set(actor=world.teacher, work=late, pupil_id=world.pupil.pk, value="4")
    appeal_file(actor=world.guardian, pupil=world.pupil, work=on_time, text="Сын отвечал на «4»")
    fixed = remark_create(
        actor=world.deputy, course=course, text="Нет темы урока 12.11", due=datetime.date(2026, 11, 20)
    )
    remark_done(actor=world.teacher, remark=fixed, answer="Тема записана")
    remark_create(actor=world.deputy, course=course, text="Нет домашнего задания", due=datetime.date(2026, 11, 20))
    client.force_login(world.guardian)
    client.get(reverse("diary:news", args=[world.pupil.pk]))
    client.logout()
    # The SMS gateway's side (the outside world): one SMS went out to the guardian.
    SmsNotice.objects.create(
        school=world.school,
        guardian=world.guardian,
        pupil=world.pupil,
        kind=SmsNotice.Kind.MARK,
        event_id=1,
        event_at=now(),
        phone="+79120000000",
        text="5 по математике",
        status=SmsNotice.Status.SENT,
        send_after=now(),
        sent_at=now(),
        created_at=now(),
    )
    clock.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=MOSCOW))
    return course


def test_the_report_counts_marks_on_time_and_late_R_J17(world, year_so_far):
    result = council_report(school=world.school, year=world.school_class.year, today=TODAY)
    assert (result.start, result.end) == (datetime.date(2026, 9, 1), TODAY)
    assert (result.figures.marks, result.figures.marks_late, result.marks_on_time) == (2, 1, 1)
    assert result.figures.held > 0


def test_the_report_counts_corrections_remarks_and_their_fixes_R_J17(world, year_so_far):
    result = council_report(school=world.school, year=world.school_class.year, today=TODAY)
    assert result.appeals == {"open": 1, "total": 1}
    assert result.late_changes == {"total": 0}
    assert (result.remarks["total"], result.remarks["done"], result.remarks["overdue"]) == (2, 1, 1)


def test_the_report_counts_the_families_use_and_the_notices_sent_R_J17(world, year_so_far):
    result = council_report(school=world.school, year=world.school_class.year, today=TODAY)
    assert (result.usage.guardians_opened, result.usage.guardians) == (1, 2)
    assert result.notices["sms_sent"] == 1
    guardians = next(r for r in result.activity.rows if r.role == "guardian")
    assert guardians.active == 1


def test_another_schools_data_is_not_in_the_report_R_J17(world, year_so_far):
    result = council_report(school=world.other_school, year=world.foreign_class.year, today=TODAY)
    assert result.figures.marks == 0 and result.appeals == {"total": 0} and result.notices["sms_sent"] == 0


def test_the_director_reads_the_page_and_prints_it_as_pdf_R_J17(client, world, year_so_far):
    client.force_login(world.director)
    page = client.get(reverse("reports:council_report"))
    assert page.status_code == 200
    assert page.context["result"].marks_on_time == 1
    response = client.get(reverse("reports:council_report"), {"year": world.school_class.year.pk, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Отчёт о функционировании электронного журнала" in " ".join(text.split())
    assert "01.09.2026" in text and "25.11.2026" in text


@pytest.mark.parametrize("role", ["teacher", "class_teacher", "pupil", "guardian"])
def test_only_the_administration_reads_the_council_report_R_J17(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("reports:council_report")).status_code == 403


def test_the_council_page_costs_the_same_queries_whatever_the_data_R_J17(
    client, world, year_so_far, django_assert_max_num_queries
):
    client.force_login(world.director)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("reports:council_report")).status_code == 200
