"""The teaching load (нагрузка, R-B05): the year's courses by class, a class's and a teacher's load, and the
admin's and deputy's add, edit and delete. Each course shows how many lessons a week the timetable gives it today,
so a course planned for 4 hours with 3 in the timetable stands out before the hours drive anything else (R-E06)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import access
from accounts.decorators import school_member_required, school_permission_required
from accounts.models import Membership, Role, User
from ejournal.clock import today

from .forms_courses import CourseEditForm, CourseForm
from .models import AcademicYear, Course, CourseTeacher, SchoolClass
from .selectors import PERSON_FIELDS
from .services import ScheduleError
from .services import timetable as services
from .views_classes import _year


def _day(request, year: AcademicYear | None) -> datetime.date:
    """Today, or the year's nearest day when the year shown is not the current one."""
    day = today(request.school.timezone)
    if year is not None:
        day = min(max(day, year.start), year.end)
    return day


def _courses(school, day: datetime.date) -> QuerySet[Course]:
    """Courses with their subject, audience and teachers, and `in_timetable`: their timetable lessons a week on
    the day. A fixed number of queries however many courses there are."""
    on_day = Q(entries__valid_from__lte=day) & (Q(entries__valid_to__isnull=True) | Q(entries__valid_to__gte=day))
    teachers = User.objects.only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")
    return (
        Course.objects.for_school(school)
        .select_related("subject", "school_class", "group")
        .annotate(in_timetable=Count("entries", filter=on_day))
        .prefetch_related(Prefetch("teachers", queryset=teachers))
        .order_by("subject__name", "title", "pk")
    )


def _mark(courses) -> list[Course]:
    """Whole-class courses first, then the groups'; each flagged where the timetable differs from the plan."""
    rows = sorted(courses, key=lambda c: (c.group_id is not None, c.group.name if c.group_id else ""))
    for c in rows:
        c.mismatch = Decimal(c.in_timetable) != c.hours_per_week
    return rows


@dataclass
class Section:
    """One class's load (or, with no class, the groups across classes)."""

    school_class: SchoolClass | None
    courses: list[Course] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.hours_per_week for c in self.courses), Decimal(0))

    @property
    def whole_class(self) -> Decimal:
        return sum((c.hours_per_week for c in self.courses if c.group_id is None), Decimal(0))

    @property
    def in_groups(self) -> Decimal:
        return self.total - self.whole_class

    @property
    def mismatches(self) -> int:
        return sum(1 for c in self.courses if c.mismatch)


def _sections(school, year: AcademicYear, day: datetime.date) -> tuple[list[Section], Section]:
    classes = SchoolClass.objects.for_school(school).filter(year=year).order_by("grade", "letter")
    by_class = {c.pk: Section(c) for c in classes}
    cross = Section(None)
    for course in _courses(school, day).filter(year=year):
        section = by_class.get(course.school_class_id, cross)
        section.courses.append(course)
    for section in [*by_class.values(), cross]:
        section.courses = _mark(section.courses)
    return list(by_class.values()), cross


def _list(request, year: AcademicYear | None, form: CourseForm | None = None, status: int = 200):
    can_edit = request.user.has_perm("schedule.change_courses") and year is not None and not year.is_archived
    if can_edit and form is None:
        form = CourseForm(school=request.school, year=year)
    day = _day(request, year)
    sections, cross = _sections(request.school, year, day) if year is not None else ([], Section(None))
    return render(
        request,
        "schedule/courses/list.html",
        {
            "year": year,
            "years": AcademicYear.objects.for_school(request.school),
            "day": day,
            "sections": sections,
            "cross": cross,
            "total": sum((s.total for s in [*sections, cross]), Decimal(0)),
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
        status=status,
    )


@require_GET
@school_permission_required("schedule.view_courses")
def course_list(request):
    """The year's load by class (R-B05)."""
    return _list(request, _year(request))


def _list_url(year_id: int) -> str:
    return f"{reverse('schedule:course_list')}?year={year_id}"


@require_POST
@school_permission_required("schedule.change_courses")
def course_add(request):
    year = _year(request)
    if year is None:
        messages.error(request, _("Create the academic year first."))
        return redirect("schedule:course_list")
    form = CourseForm(request.POST, school=request.school, year=year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                year=year,
                subject=data["subject"],
                school_class=data["school_class"],
                group=data["group"],
                teachers=list(data["teachers"]),
                hours_per_week=data["hours_per_week"],
                kind=data["kind"],
                attested=data["attested"],
                title=data["title"],
            )
        except ScheduleError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Course «%(course)s» added.") % {"course": course})
            return redirect(_list_url(year.pk))
    return _list(request, year, form=form, status=422)


def _course_to_change(request, course_id: int) -> Course:
    course = get_object_or_404(
        Course.objects.for_school(request.school).select_related("subject", "school_class", "group", "year"),
        pk=course_id,
    )
    if not request.user.has_perm("schedule.change_courses", course):
        raise PermissionDenied
    return course


@require_http_methods(["GET", "POST"])
@school_member_required
def course_edit(request, course_id: int):
    course = _course_to_change(request, course_id)
    initial = {
        "teachers": list(course.teachers.all()),
        "hours_per_week": course.hours_per_week,
        "kind": course.kind,
        "attested": course.attested,
        "title": course.title,
    }
    posted = request.POST if request.method == "POST" else None
    form = CourseEditForm(posted, school=request.school, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.course_update(
                    actor=request.user,
                    course=course,
                    teachers=list(data["teachers"]),
                    hours_per_week=data["hours_per_week"],
                    kind=data["kind"],
                    attested=data["attested"],
                    title=data["title"],
                )
            except ScheduleError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Course «%(course)s» saved.") % {"course": course})
                return redirect(_list_url(course.year_id))
        status = 422
    return render(request, "schedule/courses/edit.html", {"form": form, "course": course}, status=status)


@require_POST
@school_member_required
def course_delete(request, course_id: int):
    course = _course_to_change(request, course_id)
    name = str(course)
    try:
        services.course_delete(actor=request.user, course=course)
    except ScheduleError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Course «%(course)s» deleted.") % {"course": name})
    return redirect(_list_url(course.year_id))


@require_GET
@school_member_required
def class_load(request, class_id: int):
    """A class's load: its own courses and its subgroups'; for its class teacher and the readers."""
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )
    if not request.user.has_perm("schedule.view_class", school_class):
        raise PermissionDenied
    day = _day(request, school_class.year)
    section = Section(school_class, _mark(_courses(request.school, day).filter(school_class=school_class)))
    return render(
        request,
        "schedule/courses/class_load.html",
        {"school_class": school_class, "section": section, "day": day},
    )


def _school_teachers(school) -> QuerySet[User]:
    ids = Membership.objects.filter(school=school, role=Role.TEACHER).values("user_id")
    return User.objects.filter(pk__in=ids)


@require_GET
@school_member_required
def teacher_load(request, user_id: int):
    """One teacher's courses of the year with the classes and groups, and the hours a week."""
    teacher = get_object_or_404(_school_teachers(request.school).only(*PERSON_FIELDS), pk=user_id)
    if not request.user.has_perm("schedule.view_teacher_load", teacher):
        raise PermissionDenied
    year = _year(request)
    day = _day(request, year)
    courses = []
    if year is not None:
        taught = CourseTeacher.objects.filter(teacher=teacher, course__year=year).values("course_id")
        courses = list(
            _courses(request.school, day)
            .filter(year=year, pk__in=taught)
            .order_by(F("school_class__grade").asc(nulls_last=True), "school_class__letter", "group__name")
        )
        for c in courses:
            c.mismatch = Decimal(c.in_timetable) != c.hours_per_week
    section = Section(None, courses)
    return render(
        request,
        "schedule/courses/teacher_load.html",
        {
            "teacher": teacher,
            "year": year,
            "years": AcademicYear.objects.for_school(request.school),
            "section": section,
            "day": day,
            "can_list": request.user.has_perm("schedule.view_courses"),
        },
    )


@require_GET
@school_permission_required("schedule.view_courses")
def teacher_loads(request):
    """Every teacher of the school with their hours a week and number of courses in the year."""
    year = _year(request)
    in_year = Q(course_links__course__year=year)
    teachers = (
        _school_teachers(request.school)
        .only(*PERSON_FIELDS)
        .annotate(
            hours=Coalesce(Sum("course_links__course__hours_per_week", filter=in_year), Decimal(0)),
            course_count=Count("course_links", filter=in_year),
        )
        .order_by("last_name", "first_name", "middle_name")
    )
    return render(
        request,
        "schedule/courses/teacher_loads.html",
        {"year": year, "years": AcademicYear.objects.for_school(request.school), "teachers": teachers},
    )


@require_GET
@school_member_required
def my_load(request):
    if Role.TEACHER not in access(request.user).roles_in(request.school.pk):
        raise PermissionDenied
    return redirect("schedule:teacher_load", user_id=request.user.pk)
