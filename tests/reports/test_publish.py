"""Reports published for the school's website (R-J16): every report as XLSX or PDF without personal data (no pupil's,
parent's or teacher's name, login, email or phone), kept with who, when, which report and period; a list, a download
as an attachment, an audit entry; the deputy and the director publish, the admin reads."""

import datetime
import io
import subprocess

import pytest
from django.urls import reverse

from accounts.logins import login_base
from accounts.models import User
from audit.models import AuditEntry
from reports.models import PublishedReport
from reports.publish import check_no_personal_data, report_publish
from reports.services import ReportsError
from reports.xlsx import Table
from tests.reports.test_activity import busy  # noqa: F401 - the fixture: a month of activity
from tests.reports.test_workload import week  # noqa: F401 - the fixture: a week of workload

Kind, Format = PublishedReport.Kind, PublishedReport.Format
NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        " | ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def text_of(report: PublishedReport) -> str:
    with report.file.open("rb") as handle:
        content = handle.read()
    return pdf_text(content) if report.fmt == Format.PDF else xlsx_text(content)


def publish(world, kind, fmt, start=NOV[0], end=NOV[1], actor=None):
    return report_publish(
        actor=actor or world.deputy,
        school=world.school,
        kind=kind,
        year=world.school_class.year,
        start=start,
        end=end,
        fmt=fmt,
    )


@pytest.mark.parametrize("fmt", [Format.XLSX, Format.PDF])
@pytest.mark.parametrize("kind", Kind.values)
def test_no_name_login_or_email_of_anyone_in_the_database_is_in_a_published_file_R_J16(
    world,
    busy,  # noqa: F811
    week,  # noqa: F811
    kind,
    fmt,
):
    # Logins as the school makes them (ivanova.mp7): the personas' bare words («teacher») are words of any text.
    for person in User.objects.all():
        User.objects.filter(pk=person.pk).update(
            username=f"{login_base(person.last_name, person.first_name, person.middle_name)}{person.pk}"
        )
    report = publish(world, kind, fmt)
    text = text_of(report).lower()
    assert world.school.name.lower() in " ".join(text.split())  # the file is the school's, and readable
    people = User.objects.all()
    assert people.count() >= 12
    for person in people:
        for part in (person.last_name, f"{person.first_name} {person.middle_name}", person.email, person.username):
            if part and len(part) > 3:
                assert part.lower() not in text, f"{kind}/{fmt}: {part!r} of {person.pk} is in the file"


def test_teachers_are_numbered_in_the_fill_rate_file_R_J16(world, busy, week):  # noqa: F811
    text = text_of(publish(world, Kind.FILL_RATE, Format.XLSX))
    assert "Учитель 1" in text or "Teacher 1" in text
    assert world.teacher.last_name not in text


def test_the_last_check_refuses_a_table_that_holds_a_persons_name_R_J16(world):
    pupil = world.pupil
    table = Table(title="x", columns=["Класс", "Ученик"], rows=[["5А", f"{pupil.last_name} {pupil.first_name}"]])
    with pytest.raises(ReportsError):
        check_no_personal_data(world.school, [table])
    User.objects.filter(pk=pupil.pk).update(username="sidorova.ap", phone="+7 (912) 345-67-89")
    for cell in ("sidorova.ap", "тел. 345-67-89", pupil.email):
        with pytest.raises(ReportsError):
            check_no_personal_data(world.school, [Table(title="x", columns=["a"], rows=[[cell]])])
    # Class and subject names, roles and numbers pass.
    check_no_personal_data(world.school, [Table(title="x", columns=["Класс"], rows=[["5А", "Математика", 12]])])


def test_publishing_keeps_who_when_which_report_and_period_and_audits_it_R_J16(world, week):  # noqa: F811
    report = publish(world, Kind.WORKLOAD, Format.PDF, start=datetime.date(2026, 11, 18), end=NOV[1])
    # The workload is a week's: the Monday to the Saturday of the date asked.
    assert (report.period_start, report.period_end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 21))
    assert report.published_by == world.deputy and report.school == world.school
    assert report.published_at == datetime.datetime(2026, 11, 17, 9, 0, tzinfo=datetime.UTC)
    assert report.size > 1000 and report.filename.endswith(".pdf")
    entry = AuditEntry.objects.get(action="reports.report.published")
    assert entry.actor_id == world.deputy.pk and entry.school_id == world.school.pk
    assert entry.data["kind"] == "workload" and entry.object_id == str(report.pk)


def test_the_page_publishes_and_the_file_downloads_as_an_attachment_R_J16(client, world, busy):  # noqa: F811
    client.force_login(world.director)
    response = client.post(
        reverse("reports:publish"), {"kind": "activity", "fmt": "xlsx", "start": "01.11.2026", "end": "30.11.2026"}
    )
    assert response.status_code == 302
    report = PublishedReport.objects.get()
    page = client.get(reverse("reports:published")).content.decode()
    assert report.filename in page
    client.force_login(world.admin)
    download = client.get(reverse("reports:published_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_bad_input_publishes_nothing_R_J16(client, world):
    client.force_login(world.deputy)
    for data in (
        {"kind": "activity", "fmt": "xlsx", "start": "30.11.2026", "end": "01.11.2026"},
        {"kind": "gossip", "fmt": "xlsx", "start": "01.11.2026", "end": "30.11.2026"},
        {"kind": "activity", "fmt": "docx", "start": "01.11.2026", "end": "30.11.2026"},
        {"kind": "activity", "fmt": "pdf", "start": "01.11.2030", "end": "30.11.2030"},
        {"kind": "activity", "fmt": "pdf", "start": "вчера", "end": ""},
    ):
        assert client.post(reverse("reports:publish"), data).status_code == 422
    assert not PublishedReport.objects.exists()


def test_the_admin_reads_but_does_not_publish_R_J16(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("reports:published")).status_code == 200
    data = {"kind": "activity", "fmt": "xlsx", "start": "01.11.2026", "end": "30.11.2026"}
    assert client.post(reverse("reports:publish"), data).status_code == 403
    assert not PublishedReport.objects.exists()


def test_another_schools_file_is_not_found_R_J16(client, world):
    foreign = report_publish(
        actor=world.foreign_teacher,
        school=world.other_school,
        kind=Kind.ACTIVITY,
        year=world.foreign_class.year,
        start=NOV[0],
        end=NOV[1],
        fmt=Format.XLSX,
    )
    client.force_login(world.director)
    assert client.get(reverse("reports:published_download", args=[foreign.pk])).status_code == 404
    assert foreign.filename not in client.get(reverse("reports:published")).content.decode()


def test_the_journal_control_page_publishes_its_figures_R_J16(client, world, busy):  # noqa: F811
    client.force_login(world.deputy)
    page = client.get(reverse("reports:control"), {"start": "2026-11-01", "end": "2026-11-17"}).content.decode()
    assert 'name="kind" value="fill_rate"' in page and 'value="2026-11-17"' in page
    client.force_login(world.admin)
    page = client.get(reverse("reports:control"), {"start": "2026-11-01", "end": "2026-11-17"}).content.decode()
    assert 'name="kind"' not in page  # the admin reads, never publishes
