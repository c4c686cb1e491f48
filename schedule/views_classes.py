"""Classes, enrollments, study groups and the year's close: the admin's pages (R-B06, R-B07, R-B17)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import Role, User
from ejournal.clock import today

from .forms_classes import (
    CrossGroupForm,
    EducationForm,
    EnrollForm,
    GroupForm,
    GroupMembersForm,
    LeaveForm,
    MoveForm,
    SchoolClassForm,
    YearCloseForm,
)
from .models import AcademicYear, Enrollment, GroupMembership, SchoolClass, StudyGroup
from .selectors import PERSON_FIELDS, class_pupils, current_year
from .services import ScheduleError
from .services import classes as services


def _year(request) -> AcademicYear | None:
    day = today(request.school.timezone)
    year_id = request.GET.get("year")
    if year_id and year_id.isdigit():
        return get_object_or_404(AcademicYear.objects.for_school(request.school), pk=year_id)
    return current_year(school=request.school, day=day)


@require_GET
@school_permission_required("schedule.view_setup")
def class_list(request):
    year = _year(request)
    day = today(request.school.timezone)
    on_day = Q(enrollments__since__lte=day) & (Q(enrollments__until__isnull=True) | Q(enrollments__until__gte=day))
    classes = (
        SchoolClass.objects.for_school(request.school)
        .filter(year=year)
        .select_related("class_teacher", "bell_schedule")
        .annotate(pupils=Count("enrollments", filter=on_day))
        .order_by("grade", "letter")
    )
    can_edit = request.user.has_perm("schedule.change_class")
    form = SchoolClassForm(school=request.school) if can_edit and year and not year.is_archived else None
    return render(
        request,
        "schedule/classes/list.html",
        {
            "year": year,
            "years": AcademicYear.objects.for_school(request.school),
            "classes": classes,
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_POST
@school_permission_required("schedule.change_class")
def class_add(request):
    year = _year(request)
    if year is None:
        messages.error(request, _("Create the academic year first."))
        return redirect("schedule:class_list")
    form = SchoolClassForm(request.POST, school=request.school)
    if form.is_valid():
        try:
            school_class = services.school_class_create(actor=request.user, year=year, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Class %(name)s created.") % {"name": school_class})
            return redirect("schedule:class_list")
    return render(request, "schedule/classes/form.html", {"form": form, "year": year}, status=422)


def _class(request, class_id) -> SchoolClass:
    return get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )


@require_http_methods(["GET", "POST"])
@school_member_required
def class_edit(request, class_id: int):
    school_class = _class(request, class_id)
    if not request.user.has_perm("schedule.change_class", school_class):
        raise PermissionDenied
    initial = {
        "letter": school_class.letter,
        "class_teacher": school_class.class_teacher,
        "bell_schedule": school_class.bell_schedule,
    }
    form = SchoolClassForm(request.POST or None, school=request.school, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_class_update(actor=request.user, school_class=school_class, **form.cleaned_data)
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Class %(name)s saved.") % {"name": school_class})
            return redirect("schedule:class_detail", class_id=school_class.pk)
    return render(request, "schedule/classes/form.html", {"form": form, "school_class": school_class})


def unenrolled_pupils(school, year, day):
    """Pupils of the school who are in no class of the year on the day."""
    busy = Enrollment.objects.on(day).filter(school_class__year=year).values("pupil_id")
    return (
        User.objects.filter(memberships__school=school, memberships__role=Role.PUPIL)
        .exclude(pk__in=busy)
        .only(*PERSON_FIELDS)
        .order_by("last_name", "first_name", "middle_name")
    )


@require_POST
@school_member_required
def class_enroll(request, class_id: int):
    school_class = _class(request, class_id)
    if not request.user.has_perm("schedule.change_class", school_class):
        raise PermissionDenied
    day = today(request.school.timezone)
    form = EnrollForm(request.POST, pupils=unenrolled_pupils(request.school, school_class.year, day))
    if form.is_valid():
        try:
            services.pupils_enroll(
                actor=request.user,
                school_class=school_class,
                pupils=[form.cleaned_data["pupil"]],
                since=form.cleaned_data["since"],
            )
        except ScheduleError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(name)s enrolled.") % {"name": form.cleaned_data["pupil"]})
    else:
        messages.error(request, _("Choose a pupil and a date."))
    return redirect("schedule:class_detail", class_id=school_class.pk)


def _class_for_change(request, class_id) -> SchoolClass:
    school_class = _class(request, class_id)
    if not request.user.has_perm("schedule.change_class", school_class):
        raise PermissionDenied
    return school_class


def _enrolled_ever(school_class):
    return User.objects.filter(pk__in=Enrollment.objects.filter(school_class=school_class).values("pupil_id"))


@require_POST
@school_member_required
def pupil_move(request, class_id: int):
    school_class = _class_for_change(request, class_id)
    classes = SchoolClass.objects.for_school(request.school).filter(year=school_class.year).exclude(pk=school_class.pk)
    form = MoveForm(request.POST, pupils=_enrolled_ever(school_class), classes=classes)
    if form.is_valid():
        pupil, to_class = form.cleaned_data["pupil"], form.cleaned_data["to_class"]
        try:
            services.enrollment_move(
                actor=request.user, pupil=pupil, to_class=to_class, since=form.cleaned_data["since"]
            )
        except ScheduleError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(name)s moves to %(cls)s.") % {"name": pupil, "cls": to_class})
    else:
        messages.error(request, _("Choose a pupil, a class and a date."))
    return redirect("schedule:class_detail", class_id=school_class.pk)


@require_POST
@school_member_required
def pupil_leave(request, class_id: int):
    school_class = _class_for_change(request, class_id)
    form = LeaveForm(request.POST, pupils=_enrolled_ever(school_class))
    if form.is_valid():
        pupil = form.cleaned_data["pupil"]
        try:
            services.enrollment_end(
                actor=request.user, pupil=pupil, year=school_class.year, last_day=form.cleaned_data["last_day"]
            )
        except ScheduleError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(name)s leaves the class.") % {"name": pupil})
    else:
        messages.error(request, _("Choose a pupil and give the last day."))
    return redirect("schedule:class_detail", class_id=school_class.pk)


@require_POST
@school_member_required
def pupil_education_form(request, class_id: int):
    """R-E11: a pupil of the class learns at school, in family education or in self-education."""
    school_class = _class_for_change(request, class_id)
    form = EducationForm(request.POST, pupils=_enrolled_ever(school_class))
    if form.is_valid():
        pupil = form.cleaned_data["pupil"]
        try:
            enrollment = services.enrollment_form_set(
                actor=request.user,
                pupil=pupil,
                school_class=school_class,
                form=form.cleaned_data["form"],
                day=today(request.school.timezone),
            )
        except ScheduleError as e:
            messages.error(request, e.message)
        else:
            messages.success(
                request,
                _("%(name)s: %(form)s.") % {"name": pupil, "form": enrollment.get_form_display()},
            )
    else:
        messages.error(request, _("Choose a pupil and a form of education."))
    return redirect("schedule:class_detail", class_id=school_class.pk)


def _pupils_on(school_class, day):
    ids = class_pupils(school_class=school_class, day=day).values("pupil_id")
    return User.objects.filter(pk__in=ids).only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")


@require_http_methods(["GET", "POST"])
@school_member_required
def group_add(request, class_id: int):
    """Split a class into a subgroup (R-B06)."""
    school_class = _class(request, class_id)
    if not request.user.has_perm("schedule.split_class", school_class):
        raise PermissionDenied
    day = max(today(request.school.timezone), school_class.year.start)
    form = GroupForm(
        request.POST or None,
        school=request.school,
        pupils=_pupils_on(school_class, day),
        initial={"since": day},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=request.user,
                year=school_class.year,
                name=form.cleaned_data["name"],
                school_class=school_class,
                subject=form.cleaned_data["subject"],
            )
            services.group_members_set(
                actor=request.user,
                group=group,
                pupils=list(form.cleaned_data["pupils"]),
                since=form.cleaned_data["since"],
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Group «%(name)s» created.") % {"name": group})
            return redirect("schedule:group_detail", group_id=group.pk)
    return render(request, "schedule/classes/group_form.html", {"form": form, "school_class": school_class})


def _group_perm(request, group) -> bool:
    if group.school_class_id is not None:
        return request.user.has_perm("schedule.split_class", group.school_class)
    return request.user.has_perm("schedule.change_class")


@require_GET
@school_permission_required("schedule.view_setup")
def group_list(request):
    """Every group of the year; the admin also creates groups across classes (a profile group) here."""
    year = _year(request)
    groups = (
        StudyGroup.objects.for_school(request.school)
        .filter(year=year)
        .select_related("school_class", "subject")
        .annotate(members=Count("memberships", filter=Q(memberships__until__isnull=True)))
        .order_by("school_class__grade", "school_class__letter", "name")
    )
    can_edit = request.user.has_perm("schedule.change_class") and year is not None and not year.is_archived
    form = CrossGroupForm(school=request.school) if can_edit else None
    return render(request, "schedule/classes/group_list.html", {"year": year, "groups": groups, "form": form})


@require_POST
@school_permission_required("schedule.change_class")
def group_add_cross(request):
    year = _year(request)
    form = CrossGroupForm(request.POST, school=request.school)
    if year is None or not form.is_valid():
        messages.error(request, _("Give the group a name."))
        return redirect("schedule:group_list")
    try:
        group = services.group_create(actor=request.user, year=year, name=form.cleaned_data["name"],
                                      subject=form.cleaned_data["subject"])  # fmt: skip
    except ScheduleError as e:
        messages.error(request, e.message)
        return redirect("schedule:group_list")
    messages.success(request, _("Group «%(name)s» created.") % {"name": group})
    return redirect("schedule:group_detail", group_id=group.pk)


def _year_pupils(group, class_ids, day):
    """Pupils enrolled on the day in the chosen classes of the group's year."""
    ids = Enrollment.objects.on(day).filter(school_class__year=group.year, school_class_id__in=class_ids)
    return (
        User.objects.filter(pk__in=ids.values("pupil_id"))
        .only(*PERSON_FIELDS)
        .order_by("last_name", "first_name", "middle_name")
    )


def _chosen_classes(request, group) -> list[int]:
    valid = set(SchoolClass.objects.filter(year=group.year).values_list("pk", flat=True))
    return [
        int(c)
        for c in request.GET.getlist("classes") + request.POST.getlist("classes")
        if c.isdigit() and int(c) in valid
    ]


@require_GET
@school_member_required
def group_detail(request, group_id: int):
    group = get_object_or_404(
        StudyGroup.objects.for_school(request.school).select_related("school_class", "subject", "year"), pk=group_id
    )
    can_edit = _group_perm(request, group) and not group.year.is_archived
    if not (
        can_edit
        or request.user.has_perm("schedule.view_setup")
        or (group.school_class and request.user.has_perm("schedule.view_class", group.school_class))
    ):
        raise PermissionDenied
    day = max(min(today(request.school.timezone), group.year.end), group.year.start)
    members = (
        GroupMembership.objects.filter(group=group)
        .select_related("pupil")
        .only("since", "until", "pupil_id", "group_id", *(f"pupil__{f}" for f in PERSON_FIELDS))
        .order_by("pupil__last_name", "pupil__first_name", "since")
    )
    form = None
    classes, chosen = None, []
    current = list(GroupMembership.objects.on(day).filter(group=group).values_list("pupil_id", flat=True))
    if can_edit and group.school_class_id:
        form = GroupMembersForm(pupils=_pupils_on(group.school_class, day), initial={"since": day, "pupils": current})
    elif can_edit:
        # A group across classes: the admin picks the classes to choose from; members of other classes stay.
        classes = SchoolClass.objects.filter(year=group.year).order_by("grade", "letter")
        chosen = _chosen_classes(request, group)
        if chosen:
            form = GroupMembersForm(pupils=_year_pupils(group, chosen, day), initial={"since": day, "pupils": current})
    return render(
        request,
        "schedule/classes/group_detail.html",
        {"group": group, "members": members, "form": form, "day": day, "can_edit": can_edit,
         "classes": classes, "chosen": chosen},
    )  # fmt: skip


@require_POST
@school_member_required
def group_members(request, group_id: int):
    group = get_object_or_404(
        StudyGroup.objects.for_school(request.school).select_related("school_class", "year"), pk=group_id
    )
    if not _group_perm(request, group):
        raise PermissionDenied
    day = max(today(request.school.timezone), group.year.start)
    chosen = _chosen_classes(request, group)
    shown = _pupils_on(group.school_class, day) if group.school_class_id else _year_pupils(group, chosen, day)
    form = GroupMembersForm(request.POST, pupils=shown)
    if form.is_valid():
        since = form.cleaned_data["since"]
        wanted = list(form.cleaned_data["pupils"])
        if group.school_class_id is None:
            # Members of the classes not shown on the form stay in the group.
            shown_ids = set(shown.values_list("pk", flat=True))
            kept = GroupMembership.objects.on(since).filter(group=group).exclude(pupil_id__in=shown_ids)
            wanted += list(User.objects.filter(pk__in=kept.values("pupil_id")))
        try:
            joined, left = services.group_members_set(actor=request.user, group=group, pupils=wanted, since=since)
        except ScheduleError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Joined: %(j)s, left: %(l)s.") % {"j": joined, "l": left})
    else:
        messages.error(request, _("Check the date and the pupils."))
    return redirect("schedule:group_detail", group_id=group.pk)


@require_http_methods(["GET", "POST"])
@school_permission_required("schedule.change_setup")
def year_close(request, year_id: int):
    """Close the year on the director's order and promote its pupils (R-B17)."""
    year = get_object_or_404(AcademicYear.objects.for_school(request.school), pk=year_id)
    if year.is_archived:
        messages.info(request, _("The year %(year)s is already closed.") % {"year": year})
        return redirect("schedule:class_list")
    enrollments = list(
        Enrollment.objects.on(year.end)
        .filter(school_class__year=year)
        .select_related("school_class", "pupil")
        .only(
            "pupil_id",
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
            *(f"pupil__{f}" for f in PERSON_FIELDS),
        )
        .order_by("school_class__grade", "school_class__letter", "pupil__last_name", "pupil__first_name")
    )
    for e in enrollments:
        e.default_decision = services.default_decision(e.school_class.grade)
    initial = {
        "new_name": f"{year.start.year + 1}/{year.start.year + 2}",
        "new_start": year.end + datetime.timedelta(days=1),
        "new_end": year.end.replace(year=year.end.year + 1),
    }
    form = YearCloseForm(request.POST or None, enrollments=enrollments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_year = services.year_close(
                actor=request.user,
                year=year,
                order=data["order"],
                new_name=data["new_name"],
                new_start=data["new_start"],
                new_end=data["new_end"],
                decisions=form.decisions(),
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, _("The year %(old)s is closed; %(new)s is open.") % {"old": year, "new": new_year}
            )
            return redirect(f"{reverse('schedule:class_list')}?year={new_year.pk}")
    return render(request, "schedule/classes/year_close.html", {"year": year, "form": form})
