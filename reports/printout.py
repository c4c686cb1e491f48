"""The journal printout for the paper archive (seed 004 deputy §10; issue 9, item 6; R-J15): per course and year (or a
period) the class list, the marks grid by lesson date with the attendance codes in it (split into pages of
`COLUMNS` lessons, landscape), the topics and homework by date, the period and year marks, and at the end a line
«Журнал проверен» for the deputy to sign. A class's whole journal (every course) is one PDF built in the background
(`journal_printout_class`).

A course is read with `gradebook.selectors.journal_grid` (eight queries whatever its size) plus its periods and its
period marks: a fixed number of queries per course."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from ejournal.clock import local_now, today
from gradebook.models import PeriodMark
from gradebook.selectors import course_periods, is_attested, journal_grid
from schedule.models import Course, SchoolClass, StudyPeriod

from .class_reports import full_name
from .jobs import Built, JobRefused, job_builder
from .pdf import generated_on, render_pdf

COLUMNS = 16  # lesson dates on one landscape page: a readable cell each


@dataclass
class GridPage:
    dates: list[str]  # «09.11»
    rows: list[tuple[int, str, list[str]]]  # number, pupil, cells («5/4», «Н», «ОП 4»)


@dataclass
class CoursePrintout:
    course: Course
    name: str
    audience: str
    teachers: str
    span: str  # «2 четверть (09.11.2026–28.12.2026)» or «2026/2027 учебный год»
    pupils: list[str]
    pages: list[GridPage]
    topics: list[tuple[str, str, str]]  # date, topic, homework
    mark_columns: list[str]  # the periods' names and «Год»
    mark_rows: list[tuple[int, str, list[str]]]
    attested: bool


@dataclass
class Printout:
    title: str
    courses: list[CoursePrintout] = field(default_factory=list)
    checker: str = ""  # the deputy who signs


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def load_course(course_id: int, school_id: int) -> Course:
    return Course.objects.select_related("year", "subject", "school_class", "group", "group__school_class").get(
        school_id=school_id, pk=course_id
    )


def course_printout(*, course: Course, period: StudyPeriod | None, day: datetime.date) -> CoursePrintout:
    grid = journal_grid(course=course, period=period, day=day)
    periods = course_periods(course)
    teachers = ", ".join(full_name(t) for t in course.teachers.order_by("last_name", "first_name"))
    pupils = [full_name(row.pupil) for row in grid.rows]

    # The lessons held up to the day (a printout in the middle of the year has no empty columns of the future).
    lessons = [h for h in grid.lessons if h.date <= day]
    # One cell per lesson: its marks joined by «/», its attendance code before them.
    by_lesson: list[list[str]] = [[] for _row in grid.rows]
    index = {c.work_id or -c.lesson_id: i for i, c in enumerate(grid.columns)}
    for r, row in enumerate(grid.rows):
        for head in lessons:
            cells = [row.cells[index[c.work_id or -c.lesson_id]] for c in head.columns]
            att = cells[0].att if cells else ""
            values = "/".join(c.value for c in cells if c.value)
            by_lesson[r].append(" ".join(x for x in (att, values) if x) or ("×" if cells and cells[0].off else ""))
    pages = []
    for first in range(0, max(len(lessons), 1), COLUMNS):
        heads = lessons[first : first + COLUMNS]
        pages.append(
            GridPage(
                dates=[h.date.strftime("%d.%m") for h in heads],
                rows=[(n, pupils[n - 1], by_lesson[n - 1][first : first + COLUMNS]) for n in range(1, len(pupils) + 1)],
            )
        )
    topics = [(_d(h.date), h.topic, h.homework) for h in lessons]

    shown = [period] if period is not None else periods
    attested = is_attested(course)
    marks: dict[tuple[int | None, int], str] = {}
    if attested and grid.rows:
        for period_id, pupil_id, value in PeriodMark.objects.filter(
            school_id=course.school_id, course_id=course.pk, pupil_id__in=[r.pupil.pk for r in grid.rows]
        ).values_list("period_id", "pupil_id", "value"):
            marks[(period_id, pupil_id)] = value
    keys = [p.pk for p in shown] + [None]
    mark_rows = [
        (n, pupils[n - 1], [marks.get((k, row.pupil.pk), "") for k in keys]) for n, row in enumerate(grid.rows, 1)
    ]
    if period is not None:
        span = f"{period} ({_d(period.start)}–{_d(period.end)})"
    else:
        span = _("%(year)s school year (%(start)s–%(end)s)") % {
            "year": course.year,
            "start": _d(course.year.start),
            "end": _d(course.year.end),
        }
    name = course.title or course.subject.name
    return CoursePrintout(
        course=course,
        name=name,
        audience=course.audience,
        teachers=teachers,
        span=span,
        pupils=pupils,
        pages=pages,
        topics=topics,
        mark_columns=[str(p) for p in shown] + [_("Year")],
        mark_rows=mark_rows,
        attested=attested,
    )


def checker_name(user, school_id: int) -> str:
    """The deputy who checks the journal: the person printing it when they are a deputy, else the school's first
    deputy by name (one query), else a blank line."""
    if Membership.objects.filter(school_id=school_id, user_id=user.pk, role=Role.DEPUTY).exists():
        return full_name(user)
    deputy = (
        Membership.objects.filter(school_id=school_id, role=Role.DEPUTY)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
        .first()
    )
    return full_name(deputy.user) if deputy is not None else ""


def pdf_context(*, school, printout: Printout) -> dict:
    return {
        "school": school,
        "title": printout.title,
        "generated": generated_on(local_now(school.timezone)),
        "printout": printout,
    }


def render_printout(*, school, printout: Printout) -> bytes:
    return render_pdf("reports/year/pdf_printout.html", pdf_context(school=school, printout=printout))


def class_course_ids(school_class: SchoolClass) -> list[int]:
    """Every course of the class (its whole-class courses and its subgroups'), by subject."""
    return list(
        Course.objects.filter(school_id=school_class.school_id, school_class_id=school_class.pk)
        .order_by("subject__name", "group__name", "pk")
        .values_list("pk", flat=True)
    )


def period_of(school_class: SchoolClass, period_id) -> StudyPeriod | None:
    if not period_id:
        return None
    return StudyPeriod.objects.filter(
        school_id=school_class.school_id,
        year_id=school_class.year_id,
        pk=period_id,
        grade_from__lte=school_class.grade,
        grade_to__gte=school_class.grade,
    ).first()


@job_builder("journal_printout_class")
def build_class_printout(job, progress) -> Built:
    """A class's whole journal as one PDF: re-authorises the person who asked, then a course at a time."""
    from accounts.access import access

    user, school = job.requested_by, job.school
    access(user).active_school_id = school.pk
    school_class = (
        SchoolClass.objects.filter(school=school, pk=job.params.get("class_id")).select_related("year").first()
    )
    if school_class is None or not user.has_perm("reports.print_class_journal", school_class):
        raise JobRefused(_("You may no longer build this report."))
    period = period_of(school_class, job.params.get("period_id"))
    day = today(school.timezone)
    ids = class_course_ids(school_class)
    printout = Printout(title=_("Journal of %(cls)s") % {"cls": school_class}, checker=checker_name(user, school.pk))
    for done, course_id in enumerate(ids):
        progress(done, len(ids) + 1)
        printout.courses.append(course_printout(course=load_course(course_id, school.pk), period=period, day=day))
    progress(len(ids), len(ids) + 1)
    content = render_printout(school=school, printout=printout)
    return Built(content=content, filename=f"journal-{school_class}.pdf", content_type="application/pdf")
