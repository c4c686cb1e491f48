"""The year archive (issue 10 item 3; seed 002 §2.1 «формирование и выгрузку архивов», seed 004 admin §22; R-K04,
R-K05): for a closed year, one ZIP per school with

- `journals/<class>.pdf`: every class's journal printout (reports/printout.py, R-J15);
- `final-marks/<class>.pdf`: the class's summary sheet of the year's final marks (reports/final_marks.py, R-J13);
- `summary-sheets/<class>.pdf`: each pupil's summary sheet for the year (reports/sheets.py, R-I05);
- `medal-sheet.pdf`: the medal commission's sheet (reports/medals.py, R-J14);
- `data/*.csv`: the year's journal as data, one file per table, UTF-8 with a BOM and «;» so that Excel opens it;
  a text cell that a spreadsheet would run as a formula is written as text (a leading «'»);
- `manifest.json`: the school, the year, and the size and SHA-256 of every other file.

It is built by a background report job (reports/jobs.py, kind `year_archive`): the ZIP is written into a temporary
file as it goes (a year of a big school is hundreds of megabytes), never held in memory."""

import csv
import datetime
import hashlib
import json
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import School, User
from attendance.models import Absence, Code
from ejournal.clock import local_now
from ejournal.spreadsheets import csv_text
from gradebook.models import LateChangeRequest, Mark, PeriodMark
from reports import class_reports as cr
from reports import final_marks as fm
from reports import medals as md
from reports import printout as pr
from reports.jobs import job_start
from reports.models import ReportJob
from reports.pdf import generated_on, render_pdf
from reports.sheets import class_sheets
from reports.sheets_pdf import render_sheets
from schedule.models import (
    AcademicYear,
    Course,
    CourseTeacher,
    Enrollment,
    GroupMembership,
    Homework,
    Lesson,
    SchoolClass,
    StudyGroup,
    StudyPeriod,
)

KIND = "year_archive"
MANIFEST = "manifest.json"
CONTENT_TYPE = "application/zip"


class ArchiveError(Exception):
    """A refused archive action; `message` is shown to the person (Russian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Which archives exist ----------------------------------------------------------------------------------------


@dataclass
class YearArchive:
    year: AcademicYear
    job: ReportJob | None  # the newest build of its archive (done, failed or under way)
    done: ReportJob | None  # the newest finished archive, the one to download

    @property
    def building(self) -> bool:
        return self.job is not None and self.job.state in (ReportJob.State.QUEUED, ReportJob.State.RUNNING)


def _jobs(school: School):
    return ReportJob.objects.filter(school=school, kind=KIND).select_related("requested_by")


def year_archives(*, school: School) -> list[YearArchive]:
    """Every year of the school, newest first, with its archive's state (two queries)."""
    years = list(AcademicYear.objects.for_school(school).order_by("-start"))
    newest: dict[int, ReportJob] = {}
    done: dict[int, ReportJob] = {}
    for job in _jobs(school).order_by("-created_at", "-pk"):
        year_id = job.params.get("year_id")
        newest.setdefault(year_id, job)
        if job.state == ReportJob.State.DONE:
            done.setdefault(year_id, job)
    return [YearArchive(year=y, job=newest.get(y.pk), done=done.get(y.pk)) for y in years]


def archive_of(*, year: AcademicYear) -> ReportJob | None:
    """The newest finished archive of the year."""
    return (
        _jobs(year.school)
        .filter(params__year_id=year.pk, state=ReportJob.State.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )


def archive_filename(year: AcademicYear) -> str:
    return f"archive-{_safe(year.name)}.zip"


# --- Starting a build --------------------------------------------------------------------------------------------


@transaction.atomic
def archive_start(*, actor: User, year: AcademicYear) -> ReportJob:
    """Queue the archive of a closed year (a build under way is not started twice)."""
    year = AcademicYear.objects.select_for_update().get(pk=year.pk)
    if not year.is_archived:
        raise ArchiveError(
            _("The year %(year)s is not closed: its archive is built after the year is closed.") % {"year": year}
        )
    under_way = _jobs(year.school).filter(
        params__year_id=year.pk, state__in=(ReportJob.State.QUEUED, ReportJob.State.RUNNING)
    )
    if under_way.exists():
        raise ArchiveError(_("The archive of %(year)s is already being built.") % {"year": year})
    return job_start(
        actor=actor,
        school=year.school,
        kind=KIND,
        title=_("Archive of the %(year)s school year") % {"year": year},
        params={"year_id": year.pk},
    )


# --- Writing the ZIP ---------------------------------------------------------------------------------------------


@dataclass
class Member:
    name: str
    size: int
    sha256: str


class _Entry:
    """A file of the ZIP being written: counts and hashes what goes through (csv.writer writes str here)."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: str | bytes) -> int:
        chunk = data.encode("utf-8") if isinstance(data, str) else data
        self.sha.update(chunk)
        self.size += len(chunk)
        self.raw.write(chunk)
        return len(chunk)


class _Zip:
    def __init__(self, stream: IO[bytes]):
        self.zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.members: list[Member] = []

    def add(self, name: str, write: Callable[[_Entry], None]) -> None:
        with self.zip.open(name, "w", force_zip64=True) as raw:
            entry = _Entry(raw)
            write(entry)
        self.members.append(Member(name=name, size=entry.size, sha256=entry.sha.hexdigest()))

    def add_bytes(self, name: str, content: bytes) -> None:
        self.add(name, lambda entry: entry.write(content))

    def close(self, manifest: dict) -> None:
        self.zip.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        self.zip.close()


def _safe(name: str) -> str:
    """A class's or year's name as a file name: «5А» stays, «2026/2027» becomes «2026-2027»."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "-"


def archive_write(*, year: AcademicYear, user: User, stream: IO[bytes], progress: Callable[[int, int], None]) -> dict:
    """Write the year's archive into `stream` (a file opened for writing); returns its manifest."""
    school = year.school
    tz = zoneinfo.ZoneInfo(school.timezone)
    classes = list(
        SchoolClass.objects.filter(school=school, year=year).select_related("year").order_by("grade", "letter")
    )
    tables = data_tables(year=year)
    total = len(tables) + 3 * len(classes) + 2
    done = 0
    out = _Zip(stream)
    for table in tables:
        progress(done, total)
        out.add(f"data/{table.name}.csv", lambda entry, t=table: write_csv(entry, t.header, t.rows(), tz))
        done += 1
    generated = local_now(school.timezone)
    checker = pr.checker_name(user, school.pk)
    for school_class in classes:
        progress(done, total)
        name = _safe(str(school_class))
        content = _journal(school_class, year, checker)
        if content:
            out.add_bytes(f"journals/{name}.pdf", content)
        out.add_bytes(f"final-marks/{name}.pdf", _final_marks(school_class, year, generated))
        progress(done + 2, total)
        content = _summary_sheets(school_class, year, generated)
        if content:
            out.add_bytes(f"summary-sheets/{name}.pdf", content)
        done += 3
    progress(done, total)
    out.add_bytes("medal-sheet.pdf", _medal_sheet(school, year, generated))
    manifest = {
        "format": 1,
        "school": {"id": school.pk, "name": school.name},
        "year": {
            "id": year.pk,
            "name": year.name,
            "start": year.start.isoformat(),
            "end": year.end.isoformat(),
            "closed_at": year.closed_at.isoformat() if year.closed_at else None,
            "closing_order": year.closing_order,
        },
        "built_at": generated.isoformat(),
        "built_by": user.get_full_name(),
        "files": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in out.members],
    }
    out.close(manifest)
    progress(total, total)
    return manifest


# --- The printed documents (the reports app's own builders) ------------------------------------------------------


def _journal(school_class: SchoolClass, year: AcademicYear, checker: str) -> bytes:
    ids = pr.class_course_ids(school_class)
    if not ids:
        return b""
    printout = pr.Printout(title=_("Journal of %(cls)s") % {"cls": school_class}, checker=checker)
    for course_id in ids:
        course = pr.load_course(course_id, school_class.school_id)
        printout.courses.append(pr.course_printout(course=course, period=None, day=year.end))
    return pr.render_printout(school=school_class.school, printout=printout)


def _final_marks(school_class: SchoolClass, year: AcademicYear, generated: datetime.datetime) -> bytes:
    periods = cr.class_periods(cr.year_periods(school_id=school_class.school_id, year_id=year.pk), school_class.grade)
    sheet = fm.final_marks(school_class=school_class, periods=periods, chosen=None, day=year.end)
    title = _("Final marks of %(cls)s") % {"cls": school_class}
    context = {
        "school": school_class.school,
        "generated": generated_on(generated),
        "sheet": sheet,
        "title": title,
        "counted": _("Year"),
        "school_class": school_class,
        "chosen": "year",
        "error": "",
        "cut": False,
        "width": len(sheet.columns),
    }
    return render_pdf("reports/year/pdf_final_marks.html", context)


def _summary_sheets(school_class: SchoolClass, year: AcademicYear, generated: datetime.datetime) -> bytes:
    sheets = class_sheets(school=school_class.school, school_class=school_class, start=year.start, end=year.end)
    if not sheets:
        return b""
    for sheet in sheets:
        sheet.period_name = str(year)
    title = _("Summary sheet for %(start)s–%(end)s") % {
        "start": f"{year.start:%d.%m.%Y}",
        "end": f"{year.end:%d.%m.%Y}",
    }
    content, _parts = render_sheets(
        school=school_class.school, sheets=sheets, title=title, generated=generated, parts_for=()
    )
    return content


def _medal_sheet(school: School, year: AcademicYear, generated: datetime.datetime) -> bytes:
    title = _("Medal commission's sheet")
    context = {
        "school": school,
        "generated": generated_on(generated),
        "sheet": md.medal_sheet(school=school, year=year, day=year.end),
        "title": title,
        "year": year,
    }
    return render_pdf("reports/year/pdf_medals.html", context)


# --- The data as CSV ---------------------------------------------------------------------------------------------


def csv_cell(value, tz: datetime.tzinfo) -> str:
    """One cell as Excel (Russian) reads it: dates dd.mm.yyyy, decimals with a comma, yes or empty; a text that a
    spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first) starts with «'»."""
    if value is None or value is False:
        return ""
    if value is True:
        return _("yes")
    if isinstance(value, datetime.datetime):
        return value.astimezone(tz).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return csv_text(str(value))


def write_csv(entry: _Entry, header: list[str], rows: Iterable[Iterable], tz: datetime.tzinfo) -> None:
    entry.write("\ufeff")  # the BOM: Excel then reads UTF-8
    writer = csv.writer(entry, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h, tz) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, tz) for v in row])


def _name(last: str | None, first: str | None, middle: str | None) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def _class_name(grade: int | None, letter: str | None) -> str:
    return f"{grade}{letter}" if grade else ""


@dataclass
class Col:
    header: str
    fields: tuple[str, ...]
    show: Callable[..., Any] | None = None  # of the fields' values; without it, the first value as it is


def col(header: str, field: str) -> Col:
    return Col(header, (field,))


def person(header: str, prefix: str) -> Col:
    return Col(header, (f"{prefix}__last_name", f"{prefix}__first_name", f"{prefix}__middle_name"), _name)


def choice(header: str, field: str, choices) -> Col:
    labels = {value: str(label) for value, label in choices}
    return Col(header, (field,), lambda value: labels.get(value, value))


def class_of(header: str, prefix: str = "") -> Col:
    """A class's name from its grade and letter (`prefix` ends with «__», or is empty for the class itself)."""
    return Col(header, (f"{prefix}grade", f"{prefix}letter"), _class_name)


def course_of(prefix: str) -> list[Col]:
    """The subject (a club's own title) and who is taught (a group, or the class) of a course."""
    return [
        Col(_("Subject"), (f"{prefix}subject__name", f"{prefix}title"), lambda name, title: title or name),
        Col(
            _("Class or group"),
            (f"{prefix}group__name", f"{prefix}school_class__grade", f"{prefix}school_class__letter"),
            lambda group, grade, letter: group or _class_name(grade, letter),
        ),
    ]


def period_of(header: str, prefix: str) -> Col:
    kinds = {value: str(label) for value, label in StudyPeriod.Kind.choices}
    return Col(
        header,
        (f"{prefix}number", f"{prefix}kind"),
        lambda number, kind: f"{number} {kinds.get(kind, kind)}" if number else _("Year"),
    )


CHUNK = 2000


@dataclass
class DataTable:
    name: str  # the file's name without «.csv»
    queryset: QuerySet
    cols: list[Col]

    @property
    def header(self) -> list[str]:
        return [c.header for c in self.cols]

    def rows(self) -> Iterator[list]:
        fields = [f for c in self.cols for f in c.fields]
        for values in self.queryset.values_list(*fields).iterator(chunk_size=CHUNK):
            row, at = [], 0
            for c in self.cols:
                part = values[at : at + len(c.fields)]
                at += len(c.fields)
                row.append(c.show(*part) if c.show else part[0])
            yield row


def data_tables(*, year: AcademicYear) -> list[DataTable]:
    """The year's journal as tables: its classes, periods, pupils, groups, courses and their teachers, lessons with
    their topics, homework, marks, period and year marks, absences and late changes. Every query is the school's
    and the year's; the rows are read in chunks."""
    mine = {"school_id": year.school_id}
    of_year = {"lesson__course__year_id": year.pk, **mine}
    ident = col(_("ID"), "pk")
    pupil = [col(_("Pupil ID"), "pupil_id"), person(_("Pupil"), "pupil")]

    def lesson(prefix: str) -> list[Col]:
        return [
            col(_("Lesson ID"), f"{prefix}lesson_id"),
            col(_("Date"), f"{prefix}lesson__date"),
            col(_("Lesson number"), f"{prefix}lesson__number"),
            *course_of(f"{prefix}lesson__course__"),
        ]

    entered = [person(_("Author"), "author"), col(_("Entered late"), "entered_late")]
    recorded = [person(_("Author"), "author"), col(_("Recorded late"), "entered_late")]
    return [
        DataTable(
            "classes",
            SchoolClass.objects.filter(year=year, **mine).order_by("grade", "letter"),
            [ident, class_of(_("Class")), person(_("Class teacher"), "class_teacher")],
        ),
        DataTable(
            "periods",
            StudyPeriod.objects.filter(year=year, **mine).order_by("start", "grade_from"),
            [
                ident,
                period_of(_("Study period"), ""),
                col(_("First day"), "start"),
                col(_("Last day"), "end"),
                col(_("From grade"), "grade_from"),
                col(_("To grade"), "grade_to"),
            ],
        ),
        DataTable(
            "pupils",
            Enrollment.objects.filter(school_class__year=year, **mine).order_by(
                "school_class__grade", "school_class__letter", "pupil__last_name", "pupil__first_name", "pk"
            ),
            [
                col(_("Pupil ID"), "pupil_id"),
                col(_("Last name"), "pupil__last_name"),
                col(_("First name"), "pupil__first_name"),
                col(_("Middle name"), "pupil__middle_name"),
                col(_("Date of birth"), "pupil__birth_date"),
                class_of(_("Class"), "school_class__"),
                col(_("Enrolled since"), "since"),
                col(_("Enrolled until"), "until"),
            ],
        ),
        DataTable(
            "groups",
            StudyGroup.objects.filter(year=year, **mine).order_by("name", "pk"),
            [
                ident,
                col(_("Group"), "name"),
                class_of(_("Class"), "school_class__"),
                col(_("Subject"), "subject__name"),
            ],
        ),
        DataTable(
            "group_members",
            GroupMembership.objects.filter(group__year=year, **mine).order_by("group__name", "pupil__last_name", "pk"),
            [
                col(_("Group ID"), "group_id"),
                col(_("Group"), "group__name"),
                *pupil,
                col(_("Member since"), "since"),
                col(_("Member until"), "until"),
            ],
        ),
        DataTable(
            "courses",
            Course.objects.filter(year=year, **mine).order_by("subject__name", "pk"),
            [
                ident,
                *course_of(""),
                col(_("Hours a week"), "hours_per_week"),
                choice(_("Kind"), "kind", Course.Kind.choices),
                col(_("With period and year marks"), "attested"),
            ],
        ),
        DataTable(
            "course_teachers",
            CourseTeacher.objects.filter(course__year=year, **mine).order_by(
                "course__subject__name", "course_id", "pk"
            ),
            [col(_("Course ID"), "course_id"), *course_of("course__"), person(_("Teacher"), "teacher")],
        ),
        DataTable(
            "lessons",
            Lesson.objects.filter(course__year=year, **mine).order_by("date", "number", "pk"),
            [
                ident,
                col(_("Course ID"), "course_id"),
                col(_("Date"), "date"),
                col(_("Lesson number"), "number"),
                *course_of("course__"),
                choice(_("Status"), "status", Lesson.Status.choices),
                choice(_("Form"), "form", Lesson.Form.choices),
                col(_("Topic"), "topic"),
                col(_("Reason for cancelling"), "cancel_reason"),
                person(_("Substitute"), "substitution__substitute"),
            ],
        ),
        DataTable(
            "homework",
            Homework.objects.filter(**of_year).order_by("lesson__date", "lesson__number", "pk"),
            [
                *lesson(""),
                col(_("Task"), "text"),
                col(_("Pages"), "pages"),
                col(_("Exercises"), "exercises"),
                col(_("Due on"), "due_lesson__date"),
                *recorded,
            ],
        ),
        DataTable(
            "marks",
            Mark.objects.filter(work__lesson__course__year_id=year.pk, **mine).order_by(
                "work__lesson__date", "work__lesson__number", "work_id", "pupil__last_name", "pk"
            ),
            [
                ident,
                *lesson("work__"),
                col(_("Work type"), "work__work_type__name"),
                col(_("Weight"), "work__work_type__weight"),
                col(_("Work title"), "work__title"),
                *pupil,
                col(_("Mark"), "value"),
                col(_("Comment"), "comment"),
                *entered,
                col(_("Late change ID"), "late_change_id"),
                col(_("Entered"), "created_at"),
                col(_("Changed"), "updated_at"),
            ],
        ),
        DataTable(
            "period_marks",
            PeriodMark.objects.filter(course__year=year, **mine).order_by(
                "course__subject__name", "course_id", "period__start", "pupil__last_name", "pk"
            ),
            [
                ident,
                col(_("Course ID"), "course_id"),
                *course_of("course__"),
                period_of(_("Study period"), "period__"),
                *pupil,
                col(_("Mark"), "value"),
                *entered,
                col(_("Late change ID"), "late_change_id"),
                col(_("Entered"), "created_at"),
                col(_("Changed"), "updated_at"),
            ],
        ),
        DataTable(
            "absences",
            Absence.objects.filter(**of_year).order_by("lesson__date", "lesson__number", "pupil__last_name", "pk"),
            [
                ident,
                *lesson(""),
                *pupil,
                choice(_("Code"), "code", Code.choices),
                col(_("Minutes late"), "minutes"),
                col(_("Note"), "note"),
                *recorded,
                col(_("Late change ID"), "late_change_id"),
                col(_("Recorded"), "created_at"),
            ],
        ),
        DataTable(
            "late_changes",
            LateChangeRequest.objects.filter(course__year=year, **mine).order_by("created_at", "pk"),
            [
                ident,
                choice(_("What changes"), "target", LateChangeRequest.Target.choices),
                choice(_("Source"), "source", LateChangeRequest.Source.choices),
                col(_("Course ID"), "course_id"),
                *course_of("course__"),
                col(_("Lesson date"), "lesson__date"),
                Col(
                    _("Study period"),
                    ("target", "period__number", "period__kind"),
                    lambda target, number, kind: (
                        period_of("", "").show(number, kind) if target == LateChangeRequest.Target.PERIOD_MARK else ""
                    ),
                ),
                *pupil,
                col(_("Was"), "old_value"),
                col(_("Becomes"), "new_value"),
                choice(_("Reason"), "reason", LateChangeRequest.Reason.choices),
                col(_("Document number"), "document_number"),
                col(_("Document date"), "document_date"),
                col(_("Explanation"), "explanation"),
                choice(_("State"), "status", LateChangeRequest.Status.choices),
                person(_("Author"), "author"),
                col(_("Filed"), "created_at"),
                person(_("Decided by"), "decided_by"),
                col(_("Decided"), "decided_at"),
                col(_("Decision comment"), "decision_comment"),
            ],
        ),
    ]
