"""The year archive (issue 10 item 3; seed 002 §2.1, seed 004 admin §22; R-K04, R-K05): a closed year's archive
holds the journal printouts, the summary sheets and the year's data as CSV, and a manifest whose checksums match
its files; a formula in a name is written as text; an open year is refused; who builds and who downloads; a closed
year no longer changes (R-B17) but stays readable.

The school is tests/conftest.py's: maths of 5А taught by `teacher` (tests/matrix/journal.py, lessons 9–20 November
2026), the clock on Tuesday 17 November 2026. The world's pupil is renamed `=HYPERLINK("http://x","y")`; Борисова
joins 5А. Then the year is closed on the director's order and every pupil promoted."""

import csv
import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Role, User
from attendance.services import AttendanceError, absence_set
from audit.archive import KIND, ArchiveError, archive_start, csv_cell
from audit.models import AuditEntry
from ejournal.spreadsheets import FORMULA_STARTS
from gradebook.marks import mark_set
from gradebook.period_marks import period_mark_set
from gradebook.services import GradebookError
from reports.jobs import job_run
from reports.models import ReportJob
from schedule.models import AcademicYear, Lesson, StudyPeriod
from schedule.services import ScheduleError
from schedule.services import classes as class_services
from schedule.services.homework import homework_set
from schedule.services.lessons import lesson_topic_set
from tests.factories import UserFactory
from tests.matrix.journal import journal_course, work_on

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
BOM = b"\xef\xbb\xbf"
TABLES = {
    "classes",
    "periods",
    "pupils",
    "groups",
    "group_members",
    "courses",
    "course_teachers",
    "lessons",
    "homework",
    "marks",
    "period_marks",
    "absences",
    "late_changes",
}


def d(day: int, month: int = 11) -> datetime.date:
    return datetime.date(2026, month, day)


class School:
    """The world's year with a little of everything in its journal, then closed."""

    def __init__(self, w):
        self.w = w
        self.course = journal_course(w)
        self.year = w.school_class.year
        User.objects.filter(pk=w.pupil.pk).update(last_name=FORMULA, first_name="Антон", middle_name="")
        w.pupil.refresh_from_db()
        self.b = UserFactory(
            school=w.school, username="arch_b", roles=[Role.PUPIL], last_name="Борисова", first_name="Вера"
        )
        class_services.pupils_enroll(actor=w.admin, school_class=w.school_class, pupils=[self.b], since=d(1, 9))
        self.q2 = StudyPeriod.objects.get(year=self.year, start=d(9))

    def lesson(self, day: int) -> Lesson:
        return Lesson.objects.get(course=self.course, date=d(day))

    def fill(self) -> "School":
        w, t = self.w, self.w.teacher
        lesson_topic_set(actor=t, lesson=self.lesson(16), topic="Десятичные дроби")
        homework_set(actor=t, lesson=self.lesson(16), text="-5 + 3: № 245, 247")
        work = work_on(w, d(16))
        mark_set(actor=t, work=work, pupil_id=w.pupil.pk, value="4")
        mark_set(actor=t, work=work, pupil_id=self.b.pk, value="3", comment="@устно")
        absence_set(actor=t, lesson=self.lesson(17), pupil=self.b, code="absent")
        period_mark_set(actor=t, course=self.course, period=self.q2, pupil_id=w.pupil.pk, value="5")
        return self

    def close(self) -> "School":
        w = self.w
        pupils = [w.pupil, w.other_pupil, self.b]
        class_services.year_close(
            actor=w.admin,
            year=self.year,
            order="Приказ № 101 от 31.08.2027",
            new_name="2027/2028",
            new_start=datetime.date(2027, 9, 1),
            new_end=datetime.date(2028, 8, 31),
            decisions={p.pk: class_services.PROMOTE for p in pupils},
        )
        self.year.refresh_from_db()
        return self


def build(client, user, year, capture) -> ReportJob:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("audit:archive_build", args=[year.pk]))
    job = ReportJob.objects.filter(kind=KIND).latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("reports:job_detail", args=[job.pk])
    return job


def unzip(job: ReportJob) -> zipfile.ZipFile:
    with job.file.open("rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def table(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    content = archive.read(f"data/{name}.csv")
    assert content.startswith(BOM), name
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture
def closed(world):
    return School(world).fill().close()


def test_the_archive_of_a_closed_year_has_every_file_with_its_checksum_R_K05(
    world, client, closed, django_capture_on_commit_callbacks
):
    """R-K05: the journals, the summary sheets of final marks, the pupils' sheets, the medal sheet and the data as
    CSV; the manifest lists every other file of the ZIP with its size and SHA-256, and they match."""
    job = build(client, world.director, closed.year, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    assert job.filename == "archive-2026-2027.zip" and job.content_type == "application/zip"
    assert job.total_steps > 0 and job.done_steps == job.total_steps and job.percent == 100
    archive = unzip(job)
    assert archive.testzip() is None
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(archive.namelist()) - {"manifest.json"} == set(listed)  # nothing missing from the manifest
    for name, entry in listed.items():
        content = archive.read(name)
        assert entry["size"] == len(content), name
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), name
    assert {f"data/{t}.csv" for t in TABLES} <= set(listed)
    for pdf in ("journals/5А.pdf", "final-marks/5А.pdf", "final-marks/5Б.pdf", "summary-sheets/5А.pdf"):
        assert archive.read(pdf).startswith(b"%PDF"), pdf
    assert archive.read("medal-sheet.pdf").startswith(b"%PDF")
    assert "journals/5Б.pdf" not in listed  # 5Б has no courses: no empty journal
    assert manifest["year"] | {"id": None} == {
        "id": None,
        "name": "2026/2027",
        "start": "2026-09-01",
        "end": "2027-08-31",
        "closed_at": closed.year.closed_at.isoformat(),
        "closing_order": "Приказ № 101 от 31.08.2027",
    }
    assert manifest["school"]["id"] == world.school.pk
    # The build is in the audit log as a report built in the background.
    built = AuditEntry.objects.filter(action="reports.export.built", actor=world.director, object_id=str(job.pk))
    assert built.exists()


def test_the_csv_files_open_in_excel_and_hold_the_years_journal(
    world, client, closed, django_capture_on_commit_callbacks
):
    """Each CSV starts with the UTF-8 BOM, is «;»-separated, parses with a row as wide as its header; the pupils,
    the topic, the homework, the marks, the absence and the period mark are in it."""
    archive = unzip(build(client, world.admin, closed.year, django_capture_on_commit_callbacks))
    for name in TABLES:
        rows = table(archive, name)
        assert rows, name
        assert all(len(row) == len(rows[0]) for row in rows), name
    with translation.override("ru"):
        pupils = table(archive, "pupils")
        assert pupils[0][:4] == ["ID обучающегося", "Фамилия", "Имя", "Отчество"]
    by_last = {row[1]: row for row in pupils[1:]}
    assert by_last["Борисова"][5] == "5А" and by_last["Борисова"][6] == "01.09.2026"
    assert by_last["Борисова"][7] == "31.08.2027"  # enrolled until the year's last day (closed with the year)
    lessons = table(archive, "lessons")
    topic = lessons[0].index("Тема")
    assert "Десятичные дроби" in [row[topic] for row in lessons[1:]]
    marks = table(archive, "marks")
    value, comment = marks[0].index("Отметка"), marks[0].index("Комментарий")
    assert sorted(row[value] for row in marks[1:]) == ["3", "4"]
    assert "'@устно" in [row[comment] for row in marks[1:]]
    absences = table(archive, "absences")
    assert [row[absences[0].index("Код")] for row in absences[1:]] == ["Н"]
    period_marks = table(archive, "period_marks")
    assert [(row[period_marks[0].index("Учебный период")], row[period_marks[0].index("Отметка")]) for row in
            period_marks[1:]] == [("2 четверть", "5")]  # fmt: skip
    homework = table(archive, "homework")
    assert homework[1][homework[0].index("Задание")] == "'-5 + 3: № 245, 247"


def test_a_formula_in_a_pupils_name_is_written_as_text(world, client, closed, django_capture_on_commit_callbacks):
    """Issue 10 «done means»: the pupil named `=HYPERLINK("http://x","y")` is written with a leading «'» wherever
    the name appears; no text cell of any table starts with a character a spreadsheet runs as a formula."""
    archive = unzip(build(client, world.admin, closed.year, django_capture_on_commit_callbacks))
    pupils = table(archive, "pupils")
    assert ["'" + FORMULA, "Антон"] in [row[1:3] for row in pupils]
    marks = table(archive, "marks")
    pupil = marks[0].index("Обучающийся")
    assert f"'{FORMULA} Антон" in [row[pupil] for row in marks[1:]]
    for name in TABLES:
        for row in table(archive, name):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row), (name, row)


def test_the_csv_cell_neutralises_formulas_and_keeps_numbers():
    utc = datetime.UTC
    for text in ("=1+1", "+7 900", "-сумма", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text, utc) == "'" + text
    assert csv_cell(-3, utc) == "-3"  # a number is no formula
    assert csv_cell("Десятичные дроби", utc) == "Десятичные дроби"
    assert csv_cell(datetime.date(2026, 11, 17), utc) == "17.11.2026"
    assert csv_cell(None, utc) == csv_cell(False, utc) == ""


def test_an_open_year_is_refused_with_a_message(world, client):
    """The archive is built at year end (seed 002 §2.1): the open year's build is refused, nothing is queued."""
    client.force_login(world.admin)
    year = world.school_class.year
    response = client.post(reverse("audit:archive_build", args=[year.pk]), follow=True)
    assert response.status_code == 200
    with translation.override("ru"):
        assert "не закрыт" in response.content.decode()
    assert not ReportJob.objects.filter(kind=KIND).exists()
    with pytest.raises(ArchiveError):
        archive_start(actor=world.admin, year=year)


def test_a_build_under_way_is_not_started_twice(world, django_capture_on_commit_callbacks):
    AcademicYear.objects.filter(pk=world.school_class.year_id).update(is_archived=True)
    year = AcademicYear.objects.get(pk=world.school_class.year_id)
    with django_capture_on_commit_callbacks(execute=False):
        archive_start(actor=world.admin, year=year)
        with translation.override("ru"), pytest.raises(ArchiveError, match="уже формируется"):
            archive_start(actor=world.director, year=year)


def test_the_job_refuses_a_builder_who_lost_the_right(world, django_capture_on_commit_callbacks):
    """The task re-authorises: an admin whose role was taken away after the click gets no archive."""
    AcademicYear.objects.filter(pk=world.school_class.year_id).update(is_archived=True)
    year = AcademicYear.objects.get(pk=world.school_class.year_id)
    with django_capture_on_commit_callbacks(execute=False):
        job = archive_start(actor=world.admin, year=year)
    Membership.objects.filter(user=world.admin, role=Role.ADMIN).delete()
    job = job_run(job.pk)
    assert job.state == ReportJob.State.FAILED and not job.file


def test_who_sees_builds_and_downloads_the_archive(world, client, closed, django_capture_on_commit_callbacks):
    """The admin and the director build; the admin, the director and the deputy see and download; a teacher, a pupil
    and a parent get 403; another school's admin gets 404 on this school's year."""
    job = build(client, world.admin, closed.year, django_capture_on_commit_callbacks)
    page = reverse("audit:archive")
    download = reverse("audit:archive_download", args=[closed.year.pk])
    build_url = reverse("audit:archive_build", args=[closed.year.pk])
    for user in (world.teacher, world.class_teacher, world.pupil, world.guardian):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert client.get(download).status_code == 403
        assert client.post(build_url).status_code == 403
    client.force_login(world.deputy)
    listing = client.get(page).content.decode()
    assert download in listing and build_url not in listing  # the deputy downloads, does not build
    assert client.get(download).status_code == 200
    assert client.post(build_url).status_code == 403
    client.force_login(world.director)
    listing = client.get(page).content.decode()
    assert download in listing and build_url in listing
    foreign_admin = UserFactory(school=world.other_school, username="foreign_admin", roles=[Role.ADMIN])
    client.force_login(foreign_admin)
    assert client.get(download).status_code == 404
    assert client.post(build_url).status_code == 404
    assert download not in client.get(page).content.decode()
    assert ReportJob.objects.filter(kind=KIND).count() == 1 and job.requested_by == world.admin


def test_the_download_is_recorded_in_the_audit_log(world, client, closed, django_capture_on_commit_callbacks):
    """Issue 10 item 2: an export of personal data names who took it; one entry, not two."""
    job = build(client, world.admin, closed.year, django_capture_on_commit_callbacks)
    client.force_login(world.director)
    before = AuditEntry.objects.count()
    response = client.get(reverse("audit:archive_download", args=[closed.year.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "archive-2026-2027.zip" in (response["Content-Disposition"])
    )
    assert b"".join(response.streaming_content).startswith(b"PK")
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [(e.action, e.actor_id, e.object_id) for e in entries] == [
        ("reports.export.downloaded", world.director.pk, str(job.pk))
    ]
    assert entries[0].data["kind"] == KIND and entries[0].data["year"] == "2026/2027"


def test_no_archive_yet_is_404(world, client, closed):
    client.force_login(world.admin)
    assert client.get(reverse("audit:archive_download", args=[closed.year.pk])).status_code == 404
    assert client.get(reverse("audit:archive_build", args=[closed.year.pk])).status_code == 405


def test_a_closed_year_stays_readable_and_nothing_in_it_changes_R_B17(world, client, closed):
    """R-B17: after the close, a mark, a period mark, a topic, homework and an absence of the year are refused by the
    services with a Russian message; the year's journal still opens for those who read it, and the diary's week of
    that year for the pupil and the parent."""
    w, t = world, world.teacher
    lesson = closed.lesson(18)
    with translation.override("ru"):
        with pytest.raises(GradebookError, match="закрыт"):
            mark_set(actor=t, work=closed.lesson(16).works.first(), pupil_id=w.pupil.pk, value="5")
        with pytest.raises(GradebookError, match="закрыт"):
            period_mark_set(actor=t, course=closed.course, period=closed.q2, pupil_id=closed.b.pk, value="4")
        with pytest.raises(ScheduleError, match="закрыт"):
            lesson_topic_set(actor=t, lesson=lesson, topic="Проценты")
        with pytest.raises(ScheduleError, match="закрыт"):
            homework_set(actor=t, lesson=lesson, text="№ 300")
        with pytest.raises(AttendanceError, match="закрыт"):
            absence_set(actor=t, lesson=lesson, pupil=w.pupil, code="absent")
    for reader in (w.admin, w.deputy, w.class_teacher):
        client.force_login(reader)
        page = client.get(reverse("gradebook:journal", args=[closed.course.pk]))
        assert page.status_code == 200 and "Десятичные дроби" in page.content.decode()
    for family in (w.pupil, w.guardian):
        client.force_login(family)
        page = client.get(reverse("diary:pupil", args=[w.pupil.pk]), {"week": "2026-11-16"})
        assert page.status_code == 200 and "Десятичные дроби" in page.content.decode()


def test_the_list_shows_each_years_archive_state(world, client, django_capture_on_commit_callbacks):
    """An open year: no button; a closed year without an archive: the button; a build under way: its progress and
    no second button; a failed build: its message and the button again."""
    open_year = world.school_class.year
    old = AcademicYear.objects.create(
        school=world.school, name="2025/2026", start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31)
    )
    AcademicYear.objects.filter(pk=old.pk).update(is_archived=True, closing_order="№ 7 от 31.08.2026")
    old.refresh_from_db()
    client.force_login(world.admin)
    build_old = reverse("audit:archive_build", args=[old.pk])
    with translation.override("ru"):
        page = client.get(reverse("audit:archive")).content.decode()
        assert "не закрыт: архив формируется после закрытия года" in page
        assert reverse("audit:archive_build", args=[open_year.pk]) not in page
        assert build_old in page and "ещё не сформирован" in page and "№ 7 от 31.08.2026" in page
        with django_capture_on_commit_callbacks(execute=False):
            job = archive_start(actor=world.admin, year=old)
        page = client.get(reverse("audit:archive")).content.decode()
        assert "Формируется…" in page and build_old not in page
        assert reverse("reports:job_detail", args=[job.pk]) in page
        ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.FAILED, error="Не удалось сформировать.")
        page = client.get(reverse("audit:archive")).content.decode()
        assert "Не удалось сформировать." in page and build_old in page
