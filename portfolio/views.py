"""Portfolios (R-I14): a pupil's achievements in the diary (read-only for the pupil and their parents, R-A06, R-A07),
the staff's forms that keep them, the scan's download, and the deputy's report of how full the classes' portfolios
are (seed 004 §3.1 п.3). Each view fetches through the school's scope (another school's row is 404; another family's
child is 404, as in the diary), asks the permission layer once and calls one service of portfolio/services.py."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from diary.selectors import diary_pupil
from diary.visits import visit_record
from ejournal.clock import today
from schedule.models import AcademicYear, SchoolClass
from schedule.selectors import current_year, taught_courses

from . import services
from .forms import AchievementForm
from .models import Achievement
from .rules import may_read_report
from .selectors import (
    LEVELS,
    by_year,
    class_pupils_entries,
    class_summary,
    pupil_achievements,
    summary_total,
    taught_pupils,
)
from .services import PortfolioError

# --- The pupil's portfolio ---------------------------------------------------------------------------------------


@dataclass
class Child:
    pupil: object
    url: str
    current: bool


def _pupil(request, pupil_id: int):
    """The pupil asked for and the user's family, exactly as the diary finds them: another family's child is 404,
    a colleague who may not read the pupil's portfolio is refused (403)."""
    pupil, family = diary_pupil(
        user=request.user, school=request.school, pupil_id=pupil_id, day=today(request.school.timezone)
    )
    if pupil is None:
        raise Http404
    if not request.user.has_perm("portfolio.view_portfolio", pupil):
        raise PermissionDenied
    return pupil, family


def _portfolio_url(pupil_id: int) -> str:
    return reverse("portfolio:pupil", kwargs={"pupil_id": pupil_id})


@require_GET
@school_member_required
def pupil(request, pupil_id: int):
    """The pupil's achievements, newest first, by academic year (?year= one of them)."""
    pupil, family = _pupil(request, pupil_id)
    visit_record(request, pupil)
    groups = by_year(school=request.school, achievements=pupil_achievements(school=request.school, pupil=pupil))
    asked = request.GET.get("year", "")
    shown = [g for g in groups if g.key == asked] or groups
    children = [Child(c, _portfolio_url(c.pk), c.pk == pupil.pk) for c in family]
    return render(
        request,
        "portfolio/pupil.html",
        {
            "pupil": pupil,
            "children": children if len(children) > 1 else [],
            # The diary's tabs lead to pages a subject teacher does not read: they see the portfolio alone.
            "in_diary": request.user.has_perm("diary.view_diary", pupil),
            "can_write": request.user.has_perm("portfolio.add_achievement", pupil),
            "groups": groups,
            "shown": shown,
            "asked": asked if len(shown) == 1 and len(groups) > 1 else "",
            "count": sum(len(g.items) for g in groups),
        },
    )


@require_GET
@school_member_required
def scan(request, pupil_id: int, achievement_id: int):
    """The diploma's scan, as an attachment, to those who read the pupil's portfolio; any other entry is 404."""
    pupil, _family = _pupil(request, pupil_id)
    achievement = get_object_or_404(Achievement.objects.for_school(request.school), pk=achievement_id, pupil=pupil)
    if not achievement.scan:
        raise Http404
    try:
        handle = achievement.scan.open("rb")
    except (FileNotFoundError, ValueError) as e:
        raise Http404 from e
    return FileResponse(
        handle, as_attachment=True, filename=achievement.scan_name or achievement.scan.name.rsplit("/", 1)[-1]
    )


def _form_page(request, form, *, pupil, achievement=None, status: int = 200):
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "pupil": pupil, "achievement": achievement, "back": _portfolio_url(pupil.pk)},
        status=status,
    )


def _data(form) -> dict:
    data = form.cleaned_data
    return {k: data.get(k) for k in ("kind", "title", "subject", "level", "result", "result_note", "date", "scan")}


@require_http_methods(["GET", "POST"])
@school_member_required
def achievement_new(request, pupil_id: int):
    pupil, _family = _pupil(request, pupil_id)
    if not request.user.has_perm("portfolio.add_achievement", pupil):
        raise PermissionDenied
    if request.method == "GET":
        form = AchievementForm(school=request.school, initial={"date": today(request.school.timezone)})
        return _form_page(request, form, pupil=pupil)
    form = AchievementForm(request.POST, request.FILES, school=request.school)
    if form.is_valid():
        try:
            services.achievement_add(actor=request.user, school=request.school, pupil=pupil, **_data(form))
        except PortfolioError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The achievement is added to the portfolio."))
            return redirect(_portfolio_url(pupil.pk))
    return _form_page(request, form, pupil=pupil, status=422)


def _achievement(request, achievement_id: int) -> Achievement:
    achievement = get_object_or_404(
        Achievement.objects.for_school(request.school).select_related("pupil", "subject", "author"),
        pk=achievement_id,
    )
    if not request.user.has_perm("portfolio.change_achievement", achievement):
        raise PermissionDenied
    achievement.school = request.school  # the same school (for_school), already loaded by the middleware
    return achievement


@require_http_methods(["GET", "POST"])
@school_member_required
def achievement_edit(request, achievement_id: int):
    achievement = _achievement(request, achievement_id)
    has_scan = bool(achievement.scan)
    if request.method == "GET":
        initial = {k: getattr(achievement, k) for k in ("kind", "title", "level", "result", "result_note", "date")} | {
            "subject": achievement.subject_id
        }
        form = AchievementForm(school=request.school, has_scan=has_scan, initial=initial)
        return _form_page(request, form, pupil=achievement.pupil, achievement=achievement)
    form = AchievementForm(request.POST, request.FILES, school=request.school, has_scan=has_scan)
    if form.is_valid():
        try:
            services.achievement_update(
                actor=request.user,
                achievement=achievement,
                remove_scan=bool(form.cleaned_data.get("remove_scan")),
                **_data(form),
            )
        except PortfolioError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The achievement is saved."))
            return redirect(_portfolio_url(achievement.pupil_id))
    return _form_page(request, form, pupil=achievement.pupil, achievement=achievement, status=422)


@require_POST
@school_member_required
def achievement_delete(request, achievement_id: int):
    achievement = _achievement(request, achievement_id)
    try:
        services.achievement_delete(actor=request.user, achievement=achievement)
    except PortfolioError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The entry «%(title)s» is removed.") % {"title": achievement.title})
    return redirect(_portfolio_url(achievement.pupil_id))


# --- The deputy's report ------------------------------------------------------------------------------------------


def _year(request, day: datetime.date) -> tuple[AcademicYear | None, list[AcademicYear]]:
    years = list(AcademicYear.objects.for_school(request.school).order_by("-start"))
    asked = request.GET.get("year", "")
    chosen = next((y for y in years if str(y.pk) == asked), None)
    if chosen is None:
        current = current_year(school=request.school, day=day)
        chosen = next((y for y in years if current is not None and y.pk == current.pk), None)
    return chosen, years


def _day_in(year: AcademicYear, day: datetime.date) -> datetime.date:
    """The day whose pupils a year's report counts: today within the year, else its nearest end."""
    return min(max(day, year.start), year.end)


@require_GET
@school_permission_required("portfolio.view_portfolios")
def report(request):
    """Per class of the year: pupils, how many have at least one entry of the year, the share, the entries by level
    (R-I14; seed 004 §3.1 п.3). The administration sees every class; a class teacher their own; a subject teacher
    the classes they teach, to open their pupils' portfolios."""
    day = today(request.school.timezone)
    year, years = _year(request, day)
    reader = may_read_report(request.user, request.school.pk)
    lines, taught = [], []
    if year is not None:
        led = list(
            SchoolClass.objects.for_school(request.school)
            .filter(year=year, class_teacher=request.user)
            .values_list("pk", flat=True)
        )
        if reader or led:
            lines = class_summary(
                school=request.school, year=year, day=_day_in(year, day), class_ids=None if reader else led
            )
        if not reader:
            courses = taught_courses(request.user)
            taught = list(
                SchoolClass.objects.for_school(request.school)
                .filter(year=year)
                .filter(Q(courses__in=courses) | Q(groups__courses__in=courses))
                .exclude(pk__in=led)
                .distinct()
                .order_by("grade", "letter")
            )
    return render(
        request,
        "portfolio/report.html",
        {
            "year": year,
            "years": years,
            "reader": reader,
            "lines": lines,
            "total": summary_total(lines),
            "levels": LEVELS.choices,
            "taught": taught,
        },
    )


@require_GET
@school_member_required
def school_class(request, class_id: int):
    """The class's pupils with their entries of the year and of all years; a subject teacher sees the pupils they
    teach."""
    found = get_object_or_404(SchoolClass.objects.for_school(request.school).select_related("year"), pk=class_id)
    if not request.user.has_perm("portfolio.view_class_portfolios", found):
        raise PermissionDenied
    day = _day_in(found.year, today(request.school.timezone))
    whole = may_read_report(request.user, request.school.pk) or found.class_teacher_id == request.user.pk
    only = None if whole else taught_pupils(request.user, found, day)
    rows = list(class_pupils_entries(school=request.school, school_class=found, year=found.year, day=day, only=only))
    return render(
        request,
        "portfolio/class.html",
        {
            "school_class": found,
            "rows": rows,
            "whole": whole,
            "day": day,
            "with_entries": sum(1 for r in rows if r.year_entries),
        },
    )
