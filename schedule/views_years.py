"""The year's structure, the admin's pages (R-A02): academic years with their study periods and holidays (R-B01),
bell schedules (R-B02) and subjects (R-B04). The director and the deputy read them without the edit buttons."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import today

from .forms_years import BellScheduleForm, HolidayForm, PeriodForm, SubjectForm, YearForm, bell_formset
from .models import AcademicYear, Bell, BellSchedule, Holiday, SchoolClass, StudyPeriod, Subject
from .selectors import current_year
from .services import ScheduleError
from .services import years as services

VIEW, CHANGE = "schedule.view_setup", "schedule.change_setup"


def _form_page(request, form, *, title: str, back: str, status: int = 200, **extra):
    return render(
        request, "schedule/years/form.html", {"form": form, "title": title, "back": back, **extra}, status=status
    )


def _status(request) -> int:
    """A form sent back with errors answers 422, so that scripts and tests can tell it from a first view."""
    return 422 if request.method == "POST" else 200


# --- The index ---------------------------------------------------------------------------------------------


@require_GET
@school_permission_required(VIEW)
def structure(request):
    """The structure of the school year on one page: what is entered and where to change it."""
    school = request.school
    year = current_year(school=school, day=today(school.timezone))
    counts = {}
    if year is not None:
        counts = AcademicYear.objects.filter(pk=year.pk).aggregate(
            periods=Count("periods", distinct=True), holidays=Count("holidays", distinct=True)
        )
    bells = BellSchedule.objects.for_school(school).annotate(n=Count("bells")).values_list("n", flat=True)
    return render(
        request,
        "schedule/years/structure.html",
        {
            "year": year,
            "years": AcademicYear.objects.for_school(school).count(),
            "periods": counts.get("periods", 0),
            "holidays": counts.get("holidays", 0),
            "bell_schedules": len(bells),
            "bell_schedules_empty": sum(1 for n in bells if not n),
            "subjects": Subject.objects.for_school(school).count(),
            "can_edit": request.user.has_perm(CHANGE),
        },
    )


# --- Academic years ----------------------------------------------------------------------------------------


@require_GET
@school_permission_required(VIEW)
def year_list(request):
    school = request.school
    years = AcademicYear.objects.for_school(school).annotate(
        n_periods=Count("periods", distinct=True),
        n_holidays=Count("holidays", distinct=True),
        n_classes=Count("classes", distinct=True),
    )
    current = current_year(school=school, day=today(school.timezone))
    return render(
        request,
        "schedule/years/year_list.html",
        {"years": years, "current": current, "can_edit": request.user.has_perm(CHANGE)},
    )


def _next_year_initial(school, day: datetime.date) -> dict:
    """The year after the school's latest one; for a new school, the year that is running (or starts this summer)."""
    latest = AcademicYear.objects.for_school(school).order_by("-start").first()
    first = day.year if day.month >= 6 else day.year - 1
    if latest is not None:
        first = latest.end.year if latest.end.month >= 6 else latest.end.year - 1
        first = max(first, latest.start.year + 1)
    start = datetime.date(first, 9, 1)
    return {"name": f"{first}/{first + 1}", "start": start, "end": datetime.date(first + 1, 8, 31)}


@require_http_methods(["GET", "POST"])
@school_permission_required(CHANGE)
def year_add(request):
    school = request.school
    form = YearForm(request.POST or None, initial=_next_year_initial(school, today(school.timezone)))
    if request.method == "POST" and form.is_valid():
        try:
            year = services.academic_year_create(actor=request.user, school=school, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The academic year %(year)s is created.") % {"year": year})
            return redirect("schedule:year_detail", year_id=year.pk)
    return _form_page(
        request, form, title=_("New academic year"), back=reverse("schedule:year_list"), status=_status(request)
    )


def _year(request, year_id: int, perm: str) -> AcademicYear:
    year = get_object_or_404(AcademicYear.objects.for_school(request.school), pk=year_id)
    if not request.user.has_perm(perm, year):
        raise PermissionDenied
    return year


def _refuse_closed(request, year: AcademicYear):
    """A closed year's structure stays as it was; its pages say so instead of offering a form."""
    if year.is_archived:
        messages.info(request, _("The year %(year)s is closed: its structure no longer changes.") % {"year": year})
        return redirect("schedule:year_detail", year_id=year.pk)
    return None


@require_GET
@school_member_required
def year_detail(request, year_id: int):
    """The year with its study periods and holidays."""
    year = _year(request, year_id, VIEW)
    can_edit = request.user.has_perm(CHANGE, year) and not year.is_archived
    periods = list(StudyPeriod.objects.filter(year=year).order_by("grade_from", "grade_to", "start"))
    holidays = list(Holiday.objects.filter(year=year).order_by("start"))
    for h in holidays:
        h.days = (h.end - h.start).days + 1
    planned = []
    if can_edit and not periods:
        # What the one-click button would create, shown before the click.
        planned_periods, planned_holidays = services.usual_calendar(year)
        planned = [(services.period_label(StudyPeriod(**vars(p))), p.start, p.end) for p in planned_periods]
        if not holidays:
            planned += [(h.name, h.start, h.end) for h in planned_holidays]
    return render(
        request,
        "schedule/years/year_detail.html",
        {
            "year": year,
            "periods": periods,
            "holidays": holidays,
            "classes": SchoolClass.objects.filter(year=year).count(),
            "planned": planned,
            "can_edit": can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
@school_member_required
def year_edit(request, year_id: int):
    year = _year(request, year_id, CHANGE)
    if closed := _refuse_closed(request, year):
        return closed
    initial = {"name": year.name, "start": year.start, "end": year.end}
    form = YearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.academic_year_update(actor=request.user, year=year, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The academic year %(year)s is saved.") % {"year": year})
            return redirect("schedule:year_detail", year_id=year.pk)
    back = reverse("schedule:year_detail", args=[year.pk])
    title = _("Academic year %(year)s") % {"year": year}
    return _form_page(request, form, title=title, back=back, status=_status(request))


@require_POST
@school_member_required
def year_delete(request, year_id: int):
    year = _year(request, year_id, CHANGE)
    try:
        services.academic_year_delete(actor=request.user, year=year)
    except ScheduleError as e:
        messages.error(request, e.message)
        return redirect("schedule:year_detail", year_id=year.pk)
    messages.success(request, _("The academic year %(year)s is deleted.") % {"year": year})
    return redirect("schedule:year_list")


@require_POST
@school_member_required
def year_fill_usual(request, year_id: int):
    """One click: the usual quarters, halves and holidays (services.usual_calendar)."""
    year = _year(request, year_id, CHANGE)
    try:
        periods, holidays = services.year_fill_usual(actor=request.user, year=year)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _(
                "Added %(periods)s study periods and %(holidays)s holidays. Check the dates against your region's "
                "order and correct what differs."
            )
            % {"periods": len(periods), "holidays": len(holidays)},
        )
    return redirect("schedule:year_detail", year_id=year.pk)


# --- Study periods -----------------------------------------------------------------------------------------


def _period_initial(year: AcademicYear) -> dict:
    """The period after the year's latest one, of its kind and grades; the first quarter of an empty year."""
    last = StudyPeriod.objects.filter(year=year).order_by("-end").first()
    if last is None:
        return {"kind": StudyPeriod.Kind.QUARTER, "number": 1, "start": year.start, "grade_from": 1, "grade_to": 11}
    initial = {"kind": last.kind, "grade_from": last.grade_from, "grade_to": last.grade_to}
    if last.number < services.PERIODS_PER_KIND[last.kind] and last.end < year.end:
        initial |= {"number": last.number + 1, "start": last.end + datetime.timedelta(days=1)}
    return initial


@require_http_methods(["GET", "POST"])
@school_member_required
def period_add(request, year_id: int):
    year = _year(request, year_id, CHANGE)
    if closed := _refuse_closed(request, year):
        return closed
    form = PeriodForm(request.POST or None, initial=_period_initial(year))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(actor=request.user, year=year, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("%(period)s is added.") % {"period": services.period_label(period)})
            return redirect("schedule:year_detail", year_id=year.pk)
    back = reverse("schedule:year_detail", args=[year.pk])
    title = _("New study period of %(year)s") % {"year": year}
    return _form_page(request, form, title=title, back=back, status=_status(request))


def _period(request, period_id: int) -> StudyPeriod:
    period = get_object_or_404(StudyPeriod.objects.for_school(request.school).select_related("year"), pk=period_id)
    if not request.user.has_perm(CHANGE, period):
        raise PermissionDenied
    return period


@require_http_methods(["GET", "POST"])
@school_member_required
def period_edit(request, period_id: int):
    period = _period(request, period_id)
    if closed := _refuse_closed(request, period.year):
        return closed
    fields = ("kind", "number", "start", "end", "grade_from", "grade_to")
    form = PeriodForm(request.POST or None, initial={f: getattr(period, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(actor=request.user, period=period, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("%(period)s is saved.") % {"period": services.period_label(period)})
            return redirect("schedule:year_detail", year_id=period.year_id)
    back = reverse("schedule:year_detail", args=[period.year_id])
    title = services.period_label(period)
    return _form_page(request, form, title=title, back=back, status=_status(request))


@require_POST
@school_member_required
def period_delete(request, period_id: int):
    period = _period(request, period_id)
    label = services.period_label(period)
    try:
        services.period_delete(actor=request.user, period=period)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(period)s is deleted.") % {"period": label})
    return redirect("schedule:year_detail", year_id=period.year_id)


# --- Holidays ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@school_member_required
def holiday_add(request, year_id: int):
    year = _year(request, year_id, CHANGE)
    if closed := _refuse_closed(request, year):
        return closed
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.holiday_create(actor=request.user, year=year, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("«%(name)s» are added.") % {"name": holiday.name})
            return redirect("schedule:year_detail", year_id=year.pk)
    back = reverse("schedule:year_detail", args=[year.pk])
    title = _("New holidays in %(year)s") % {"year": year}
    return _form_page(request, form, title=title, back=back, status=_status(request))


def _holiday(request, holiday_id: int) -> Holiday:
    holiday = get_object_or_404(Holiday.objects.for_school(request.school).select_related("year"), pk=holiday_id)
    if not request.user.has_perm(CHANGE, holiday):
        raise PermissionDenied
    return holiday


@require_http_methods(["GET", "POST"])
@school_member_required
def holiday_edit(request, holiday_id: int):
    holiday = _holiday(request, holiday_id)
    if closed := _refuse_closed(request, holiday.year):
        return closed
    form = HolidayForm(request.POST or None, initial={"name": holiday.name, "start": holiday.start, "end": holiday.end})
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_update(actor=request.user, holiday=holiday, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("«%(name)s» are saved.") % {"name": holiday.name})
            return redirect("schedule:year_detail", year_id=holiday.year_id)
    back = reverse("schedule:year_detail", args=[holiday.year_id])
    return _form_page(request, form, title=holiday.name, back=back, status=_status(request))


@require_POST
@school_member_required
def holiday_delete(request, holiday_id: int):
    holiday = _holiday(request, holiday_id)
    name = holiday.name
    try:
        services.holiday_delete(actor=request.user, holiday=holiday)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("«%(name)s» are deleted.") % {"name": name})
    return redirect("schedule:year_detail", year_id=holiday.year_id)


# --- Bell schedules ------------------------------------------------------------------------------------------


@require_GET
@school_permission_required(VIEW)
def bell_list(request):
    school = request.school
    schedules = BellSchedule.objects.for_school(school).prefetch_related(
        Prefetch("bells", queryset=Bell.objects.order_by("number"))
    )
    # Which classes ring by each schedule (the class → schedule link has no reverse name): those of the open years
    # are named; a schedule that any class used, closed years' too, stays (bell_schedule_delete refuses).
    classes: dict[int, list[str]] = {}
    used: set[int] = set()
    rows = (
        SchoolClass.objects.for_school(school)
        .filter(bell_schedule__isnull=False)
        .order_by("grade", "letter")
        .values_list("bell_schedule_id", "grade", "letter", "year__is_archived")
    )
    for schedule_id, grade, letter, archived in rows:
        used.add(schedule_id)
        if not archived:
            classes.setdefault(schedule_id, []).append(f"{grade}{letter}")
    schedules = list(schedules)
    for s in schedules:
        s.class_names = classes.get(s.pk, [])
        s.in_use = s.pk in used
    return render(
        request,
        "schedule/years/bell_list.html",
        {"schedules": schedules, "can_edit": request.user.has_perm(CHANGE)},
    )


@require_http_methods(["GET", "POST"])
@school_permission_required(CHANGE)
def bell_schedule_add(request):
    form = BellScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = services.bell_schedule_create(
                actor=request.user, school=request.school, name=form.cleaned_data["name"]
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("«%(name)s» is created: now give its lessons' times.") % {"name": schedule})
            return redirect("schedule:bells_edit", schedule_id=schedule.pk)
    return _form_page(
        request, form, title=_("New bell schedule"), back=reverse("schedule:bell_list"), status=_status(request)
    )


def _schedule(request, schedule_id: int) -> BellSchedule:
    schedule = get_object_or_404(BellSchedule.objects.for_school(request.school), pk=schedule_id)
    if not request.user.has_perm(CHANGE, schedule):
        raise PermissionDenied
    return schedule


@require_http_methods(["GET", "POST"])
@school_member_required
def bells_edit(request, schedule_id: int):
    """All the lessons' times of one schedule as one form (R-B02)."""
    schedule = _schedule(request, schedule_id)
    saved = list(schedule.bells.order_by("number"))
    formset = bell_formset(request.POST or None, bells=saved)
    if request.method == "POST" and formset.is_valid():
        bells = [b for b in (form.bell() for form in formset.forms) if b is not None]
        try:
            services.bells_set(actor=request.user, schedule=schedule, bells=bells)
        except ScheduleError as e:
            formset.non_form_errors().append(e.message)
        else:
            messages.success(request, _("The bells of «%(name)s» are saved.") % {"name": schedule})
            return redirect("schedule:bell_list")
    return render(
        request,
        "schedule/years/bells_edit.html",
        {"schedule": schedule, "formset": formset, "suggested": not saved},
        status=_status(request),
    )


@require_http_methods(["GET", "POST"])
@school_member_required
def bell_schedule_rename(request, schedule_id: int):
    schedule = _schedule(request, schedule_id)
    form = BellScheduleForm(request.POST or None, initial={"name": schedule.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.bell_schedule_rename(actor=request.user, schedule=schedule, name=form.cleaned_data["name"])
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The bell schedule is renamed to «%(name)s».") % {"name": schedule})
            return redirect("schedule:bell_list")
    return _form_page(request, form, title=schedule.name, back=reverse("schedule:bell_list"), status=_status(request))


@require_POST
@school_member_required
def bell_schedule_delete(request, schedule_id: int):
    schedule = _schedule(request, schedule_id)
    name = schedule.name
    try:
        services.bell_schedule_delete(actor=request.user, schedule=schedule)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The bell schedule «%(name)s» is deleted.") % {"name": name})
    return redirect("schedule:bell_list")


# --- Subjects ------------------------------------------------------------------------------------------------


@require_GET
@school_permission_required(VIEW)
def subject_list(request):
    subjects = Subject.objects.for_school(request.school).annotate(n_groups=Count("groups")).order_by("name")
    can_edit = request.user.has_perm(CHANGE)
    return render(
        request,
        "schedule/years/subject_list.html",
        {"subjects": subjects, "can_edit": can_edit, "form": SubjectForm() if can_edit else None},
    )


@require_http_methods(["GET", "POST"])
@school_permission_required(CHANGE)
def subject_add(request):
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.subject_create(actor=request.user, school=request.school, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The subject «%(name)s» is added.") % {"name": subject})
            return redirect("schedule:subject_list")
    return _form_page(
        request, form, title=_("New subject"), back=reverse("schedule:subject_list"), status=_status(request)
    )


def _subject(request, subject_id: int) -> Subject:
    subject = get_object_or_404(Subject.objects.for_school(request.school), pk=subject_id)
    if not request.user.has_perm(CHANGE, subject):
        raise PermissionDenied
    return subject


@require_http_methods(["GET", "POST"])
@school_member_required
def subject_edit(request, subject_id: int):
    subject = _subject(request, subject_id)
    initial = {"name": subject.name, "short_name": subject.short_name, "no_attestation": subject.no_attestation}
    form = SubjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_update(actor=request.user, subject=subject, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The subject «%(name)s» is saved.") % {"name": subject})
            return redirect("schedule:subject_list")
    return _form_page(
        request,
        form,
        title=subject.name,
        back=reverse("schedule:subject_list"),
        status=_status(request),
        # A subject that groups refer to stays (subject_delete refuses); no button to press in vain.
        delete_url=None if subject.groups.exists() else reverse("schedule:subject_delete", args=[subject.pk]),
    )


@require_POST
@school_member_required
def subject_delete(request, subject_id: int):
    subject = _subject(request, subject_id)
    name = subject.name
    try:
        services.subject_delete(actor=request.user, subject=subject)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The subject «%(name)s» is deleted.") % {"name": name})
    return redirect("schedule:subject_list")
