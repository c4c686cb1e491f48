"""Pages of the period and year sheets (issue 9, items 5 and 6; R-J13, R-J14, R-J15): a class's final marks (HTML,
PDF, XLSX), the medal commission's sheet (HTML, PDF), the journal printout of a course (PDF) or of a whole class (PDF
built in the background), and their index. Every object is fetched through the school's scope (another school's is
404) and the permission layer is asked for it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import local_now, today
from gradebook.selectors import course_periods, period_on
from schedule.models import Course, SchoolClass
from schedule.selectors import current_year, led_classes, taught_courses

from . import class_reports as cr
from . import final_marks as fm
from . import medals as md
from . import printout as pr
from .jobs import job_start
from .pdf import generated_on, pdf_response, render_pdf
from .rules_class import own_course_ids
from .xlsx import Table, as_xlsx, xlsx_response


def _pdf_context(request, title: str) -> dict:
    return {"school": request.school, "title": title, "generated": generated_on(local_now(request.school.timezone))}


def _class(request, class_id: int, perm: str) -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.for_school(request.school).select_related("year"), pk=class_id)
    if not request.user.has_perm(perm, school_class):
        raise PermissionDenied
    return school_class


def _chosen_period(wanted: str, periods, day):
    """The period asked for (`?period=<id>`), the year (`year`), or by default the period of today; an error text for
    a value that is no period id; 404 for another class's or school's period."""
    if wanted == "year":
        return None, ""
    if wanted:
        if not wanted.isdigit():
            return period_on(periods, day), _("Choose a study period from the list.")
        period = next((p for p in periods if p.pk == int(wanted)), None)
        if period is None:
            raise Http404
        return period, ""
    return period_on(periods, day), ""


# --- The index -------------------------------------------------------------------------------------------------


@require_GET
@school_permission_required("reports.view_year_reports")
def year_reports(request):
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    classes = (
        list(SchoolClass.objects.for_school(request.school).filter(year=year).select_related("year"))
        if year is not None
        else []
    )
    user = request.user
    rows = []
    taught = set()
    if not user.has_perm("reports.view_medal_sheet"):
        taught = set(
            Course.objects.filter(pk__in=list(taught_courses(user)), school_class__isnull=False).values_list(
                "school_class_id", flat=True
            )
        )
    led = led_classes(user)
    for school_class in sorted(classes, key=lambda c: (c.grade, c.letter)):
        reader = user.has_perm("reports.view_medal_sheet") or school_class.pk in led
        if reader or school_class.pk in taught:
            rows.append((school_class, reader))
    return render(
        request,
        "reports/year/index.html",
        {"rows": rows, "year": year, "may_medals": user.has_perm("reports.view_medal_sheet")},
    )


# --- Final marks -----------------------------------------------------------------------------------------------


@require_GET
@school_member_required
def final_marks(request, class_id: int):
    school_class = _class(request, class_id, "reports.view_final_marks")
    day = today(request.school.timezone)
    periods = cr.class_periods(
        cr.year_periods(school_id=request.school.pk, year_id=school_class.year_id), school_class.grade
    )
    chosen, error = _chosen_period(request.GET.get("period", ""), periods, day)
    course_ids = (
        None
        if request.user.has_perm("reports.view_all_final_marks", school_class)
        else own_course_ids(request.user, school_class)
    )
    sheet = fm.final_marks(school_class=school_class, periods=periods, chosen=chosen, day=day, course_ids=course_ids)
    counted = str(chosen) if chosen is not None else _("Year")
    title = _("Final marks of %(cls)s") % {"cls": school_class}
    context = {
        "sheet": sheet,
        "title": title,
        "counted": counted,
        "school_class": school_class,
        "chosen": chosen.pk if chosen is not None else "year",
        "error": error,
        "cut": course_ids is not None,
        "width": len(sheet.columns),
    }
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        return xlsx_response(as_xlsx(final_marks_tables(sheet, title, counted)), f"final-marks-{school_class}")
    if fmt == "pdf":
        content = render_pdf("reports/year/pdf_final_marks.html", context | _pdf_context(request, title))
        return pdf_response(content, f"final-marks-{school_class}")
    return render(request, "reports/year/final_marks.html", context, status=400 if error else 200)


def final_marks_tables(sheet: fm.FinalSheet, title: str, counted: str) -> list[Table]:
    head = [_("No."), _("Pupil")]
    for subject in sheet.subjects:
        head.extend(f"{subject.name}: {column}" for column in sheet.columns)
    counts = [_("«5» (%(what)s)") % {"what": counted}, _("«4»"), _("«3»"), _("Debts")]
    rows = [
        [line.number, line.name, *line.cells, line.fives, line.fours, line.threes, line.debts] for line in sheet.lines
    ]
    changes = [[c.number, c.date, c.pupil, c.subject, c.what, c.was, c.becomes or _("removed")] for c in sheet.changes]
    return [
        Table(title=_("Final marks"), columns=head + counts, rows=rows, caption=title),
        Table(
            title=_("Late changes"),
            columns=[_("Document"), _("Document date"), _("Pupil"), _("Subject"), _("Mark of"), _("Was"), _("Becomes")],
            rows=changes,
            caption=title,
        ),
    ]


# --- The medal sheet -------------------------------------------------------------------------------------------


@require_GET
@school_permission_required("reports.view_medal_sheet")
def medal_sheet(request):
    day = today(request.school.timezone)
    year = current_year(school=request.school, day=day)
    sheet = md.medal_sheet(school=request.school, year=year, day=day)
    title = _("Medal commission's sheet")
    context = {"sheet": sheet, "title": title, "year": year}
    if request.GET.get("format", "") == "pdf":
        content = render_pdf("reports/year/pdf_medals.html", context | _pdf_context(request, title))
        return pdf_response(content, "medal-sheet")
    return render(request, "reports/year/medals.html", context)


# --- The journal printout --------------------------------------------------------------------------------------


@require_GET
@school_member_required
def course_printout(request, course_id: int):
    get_object_or_404(Course.objects.for_school(request.school), pk=course_id)
    course = pr.load_course(course_id, request.school.pk)
    if not request.user.has_perm("reports.print_course_journal", course):
        raise PermissionDenied
    period = None
    wanted = request.GET.get("period", "")
    if wanted and wanted != "year":
        if not wanted.isdigit():
            return render(
                request,
                "reports/year/printout_error.html",
                {"message": _("Choose a study period from the list."), "course": course},
                status=400,
            )
        period = next((p for p in course_periods(course) if p.pk == int(wanted)), None)
        if period is None:
            raise Http404
    printout = pr.Printout(
        title=_("Journal: %(course)s") % {"course": course}, checker=pr.checker_name(request.user, request.school.pk)
    )
    printout.courses.append(pr.course_printout(course=course, period=period, day=today(request.school.timezone)))
    return pdf_response(pr.render_printout(school=request.school, printout=printout), f"journal-{course.pk}")


@require_http_methods(["GET", "POST"])
@school_member_required
def class_printout(request, class_id: int):
    school_class = _class(request, class_id, "reports.print_class_journal")
    periods = cr.class_periods(
        cr.year_periods(school_id=request.school.pk, year_id=school_class.year_id), school_class.grade
    )
    wanted = request.POST.get("period", "") if request.method == "POST" else request.GET.get("period", "")
    error = ""
    period = None
    if wanted and wanted != "year":
        if not wanted.isdigit():
            error = _("Choose a study period from the list.")
        else:
            period = next((p for p in periods if p.pk == int(wanted)), None)
            if period is None:
                raise Http404
    if request.method == "POST" and not error:
        title = _("Journal of %(cls)s") % {"cls": school_class}
        if period is not None:
            title = f"{title}, {period}"
        job = job_start(
            actor=request.user,
            school=request.school,
            kind="journal_printout_class",
            title=title,
            params={"class_id": school_class.pk, "period_id": period.pk if period is not None else None},
        )
        return redirect(reverse("reports:job_detail", args=[job.pk]))
    courses = list(
        Course.objects.filter(school_id=request.school.pk, school_class_id=school_class.pk)
        .select_related("subject", "group")
        .order_by("subject__name", "group__name", "pk")
    )
    return render(
        request,
        "reports/year/class_printout.html",
        {
            "school_class": school_class,
            "courses": courses,
            "periods": periods,
            "chosen": period.pk if period is not None else "year",
            "error": error,
        },
        status=400 if error else 200,
    )
