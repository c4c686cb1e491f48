"""The state final attestation's results (R-E12) and the attestation of pupils learning at home (R-E11): the
school's list for the administration, a grade 9 or 11 class's page where the deputy and the subject teachers enter
results, and the commission's page of a class's pupils in family or self-education. Each view fetches through the
school's scope (another school's row is 404), asks the permission layer, validates with a form and calls one
service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import User
from accounts.predicates import is_admin, is_deputy
from ejournal.clock import today
from schedule.models import Enrollment, SchoolClass, Subject
from schedule.selectors import HOME_FORMS, PERSON_FIELDS, current_year

from . import exams as services
from .family_education import family_attestation_set, family_sheet
from .forms_exams import ExamFilterForm, ExamResultChangeForm, ExamResultForm, FamilyAttestationForm
from .models import ExamResult
from .rules_exams import EXAM_GRADES, ClassSubject, taught_subjects
from .services import GradebookError

PER_PAGE = 100
# What the entry and the change forms hand to the services, as the services name them (ExamResult's own fields).
RESULT_FIELDS = ("exam_date", "received_on", "primary_score", "test_score", "mark", "retake")


def _year(request):
    return current_year(school=request.school, day=today(request.school.timezone))


def _class(request, class_id: int, perm: str) -> SchoolClass:
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "school"), pk=class_id
    )
    if not request.user.has_perm(perm, school_class):
        raise PermissionDenied
    return school_class


def _exam_class(request, class_id: int) -> SchoolClass:
    school_class = _class(request, class_id, "gradebook.view_class_exam_results")
    if school_class.grade not in EXAM_GRADES:
        raise Http404
    return school_class


def _class_name(year_id: int, field: str):
    """The pupil's (latest) class of the year, for a list of results."""
    return Subquery(
        Enrollment.objects.filter(pupil_id=OuterRef("pupil_id"), school_class__year_id=year_id)
        .order_by("-since")
        .values(f"school_class__{field}")[:1]
    )


# --- The school's list (the deputy's control of R-E12) ---------------------------------------------------------


@require_GET
@school_permission_required("gradebook.view_exam_results")
def exam_results(request):
    year = _year(request)
    subjects = Subject.objects.for_school(request.school).order_by("name")
    form = ExamFilterForm(request.GET or None, subjects=subjects)
    rows = ExamResult.objects.for_school(request.school).filter(year=year)
    totals = rows.aggregate(total=Count("pk"), late=Count("pk", filter=Q(late=True)))
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["subject"] is not None:
            rows = rows.filter(subject=data["subject"])
        if data["late"]:
            rows = rows.filter(late=data["late"] == "1")
    if year is not None:
        rows = rows.annotate(grade=_class_name(year.pk, "grade"), letter=_class_name(year.pk, "letter"))
    rows = rows.select_related("pupil", "subject", "entered_by").order_by(
        "exam_date", "subject__name", "pupil__last_name", "pupil__first_name", "pk"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    classes = (
        SchoolClass.objects.for_school(request.school)
        .filter(year=year, grade__in=EXAM_GRADES)
        .order_by("grade", "letter")
        if year is not None
        else SchoolClass.objects.none()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "gradebook/exams/list.html",
        {
            "year": year,
            "form": form,
            "page": page,
            "totals": totals,
            "classes": classes,
            "query": query.urlencode(),
            "may_family": request.user.has_perm("gradebook.view_family_attestation"),
        },
    )


# --- A class's results -------------------------------------------------------------------------------------------


def _may_enter_any(user, school_class) -> bool:
    return is_admin(user, school_class) or is_deputy(user, school_class)


def _subjects(request, school_class):
    """The subjects whose results this user enters in the class: any (the deputy, the admin) or those they teach."""
    subjects = Subject.objects.for_school(request.school).order_by("name")
    if _may_enter_any(request.user, school_class):
        return subjects
    return subjects.filter(pk__in=list(taught_subjects(request.user, school_class)))


def _class_pupils(school_class):
    ids = Enrollment.objects.filter(school_class=school_class).values("pupil_id")
    return User.objects.filter(pk__in=ids).only(*PERSON_FIELDS).order_by("last_name", "first_name", "middle_name")


def _class_page(request, school_class, form=None, status=200):
    may_add = request.user.has_perm("gradebook.change_exam_results", ClassSubject(school_class))
    if form is None and may_add:
        form = ExamResultForm(
            pupils=_class_pupils(school_class), subjects=_subjects(request, school_class), grade=school_class.grade
        )
    pupil_ids = Enrollment.objects.filter(school_class=school_class).values("pupil_id")
    results = list(
        ExamResult.objects.for_school(request.school)
        .filter(year_id=school_class.year_id, pupil_id__in=pupil_ids)
        .select_related("pupil", "subject", "entered_by")
        .order_by("pupil__last_name", "pupil__first_name", "exam_date", "subject__name", "pk")
    )
    everything = _may_enter_any(request.user, school_class)
    mine = taught_subjects(request.user, school_class) if may_add and not everything else frozenset()
    for result in results:
        result.can_edit = may_add and (everything or result.subject_id in mine) and not school_class.year.is_archived
    return render(
        request,
        "gradebook/exams/class.html",
        {
            "school_class": school_class,
            "results": results,
            "late_count": sum(1 for r in results if r.late),
            "form": form if may_add and not school_class.year.is_archived else None,
            "may_list": request.user.has_perm("gradebook.view_exam_results"),
        },
        status=status,
    )


@require_GET
@school_member_required
def class_exams(request, class_id: int):
    return _class_page(request, _exam_class(request, class_id))


@require_POST
@school_member_required
def exam_result_add(request, class_id: int):
    school_class = _exam_class(request, class_id)
    if not request.user.has_perm("gradebook.change_exam_results", ClassSubject(school_class)):
        raise PermissionDenied
    form = ExamResultForm(
        request.POST,
        pupils=_class_pupils(school_class),
        subjects=_subjects(request, school_class),
        grade=school_class.grade,
    )
    if not form.is_valid():
        return _class_page(request, school_class, form, status=422)
    data = form.cleaned_data
    if not request.user.has_perm("gradebook.change_exam_results", ClassSubject(school_class, data["subject"].pk)):
        raise PermissionDenied
    try:
        result = services.exam_result_set(
            actor=request.user,
            school_class=school_class,
            pupil=data["pupil"],
            subject=data["subject"],
            kind=data["kind"],
            **{field: data[field] for field in RESULT_FIELDS},
        )
    except GradebookError as e:
        form.add_error(None, e.message)
        return _class_page(request, school_class, form, status=409)
    if result.late:
        messages.warning(
            request,
            _("The result is saved and counted as entered late: results are due the day after they arrive."),
        )
    else:
        messages.success(request, _("The result is saved."))
    return redirect("gradebook:class_exams", class_id=school_class.pk)


def _result(request, result_id: int) -> tuple[ExamResult, SchoolClass]:
    """The result through the school's scope, and the pupil's class of its year, whose permission decides."""
    result = get_object_or_404(
        ExamResult.objects.for_school(request.school).select_related("pupil", "subject", "year", "school"),
        pk=result_id,
    )
    enrollment = (
        Enrollment.objects.filter(pupil_id=result.pupil_id, school_class__year_id=result.year_id)
        .select_related("school_class__year", "school_class__school")
        .order_by("-since")
        .first()
    )
    if enrollment is None:
        raise Http404
    school_class = enrollment.school_class
    if not request.user.has_perm("gradebook.view_class_exam_results", school_class):
        raise PermissionDenied
    if not request.user.has_perm("gradebook.change_exam_results", ClassSubject(school_class, result.subject_id)):
        raise PermissionDenied
    return result, school_class


@require_http_methods(["GET", "POST"])
@school_member_required
def exam_result_edit(request, result_id: int):
    result, school_class = _result(request, result_id)
    initial = {field: getattr(result, field) for field in RESULT_FIELDS}
    form = ExamResultChangeForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.exam_result_change(
                    actor=request.user,
                    result=result,
                    **{field: data[field] for field in RESULT_FIELDS},
                )
            except GradebookError as e:
                form.add_error(None, e.message)
                status = 409
            else:
                messages.success(request, _("The result is changed."))
                return redirect("gradebook:class_exams", class_id=school_class.pk)
        else:
            status = 422
    return render(
        request,
        "gradebook/exams/edit.html",
        {"form": form, "result": result, "school_class": school_class},
        status=status,
    )


@require_POST
@school_member_required
def exam_result_delete(request, result_id: int):
    result, school_class = _result(request, result_id)
    try:
        services.exam_result_delete(actor=request.user, result=result)
    except GradebookError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The result is removed."))
    return redirect("gradebook:class_exams", class_id=school_class.pk)


# --- Family education and self-education (R-E11) -------------------------------------------------------------------


@require_GET
@school_permission_required("gradebook.view_family_attestation")
def family_classes(request):
    """The classes of the year with pupils in family or self-education, and how many."""
    year = _year(request)
    classes = []
    if year is not None:
        classes = list(
            SchoolClass.objects.for_school(request.school)
            .filter(year=year)
            .annotate(home=Count("enrollments__pupil", filter=Q(enrollments__form__in=HOME_FORMS), distinct=True))
            .filter(home__gt=0)
            .order_by("grade", "letter")
        )
    return render(request, "gradebook/exams/family_classes.html", {"year": year, "classes": classes})


def _family_page(request, school_class, form=None, status=200):
    sheet = family_sheet(school_class=school_class)
    may_record = request.user.has_perm("gradebook.change_family_attestation", school_class) and not (
        school_class.year.is_archived
    )
    if may_record and form is None:
        form = _family_form(sheet, None, initial={"protocol_date": today(request.school.timezone)})
    columns = [*sheet.periods, None]
    table = [
        (
            home,
            [(course, [home.marks.get((course.pk, p.pk if p else None)) for p in columns]) for course in sheet.courses],
        )
        for home in sheet.pupils
    ]
    return render(
        request,
        "gradebook/exams/family.html",
        {
            "school_class": school_class,
            "sheet": sheet,
            "columns": columns,
            "table": table,
            "form": form if may_record and sheet.pupils else None,
        },
        status=status,
    )


def _family_form(sheet, data, **kwargs) -> FamilyAttestationForm:
    ids = [h.pupil.pk for h in sheet.pupils]
    return FamilyAttestationForm(
        data,
        pupils=User.objects.filter(pk__in=ids).order_by("last_name", "first_name"),
        courses=sheet.courses,
        periods=sheet.periods,
        **kwargs,
    )


@require_GET
@school_member_required
def family_attestation(request, class_id: int):
    return _family_page(request, _class(request, class_id, "gradebook.view_family_attestation"))


@require_POST
@school_member_required
def family_attestation_record(request, class_id: int):
    school_class = _class(request, class_id, "gradebook.change_family_attestation")
    sheet = family_sheet(school_class=school_class)
    form = _family_form(sheet, request.POST)
    if not form.is_valid():
        return _family_page(request, school_class, form, status=422)
    data = form.cleaned_data
    try:
        family_attestation_set(
            actor=request.user,
            pupil=data["pupil"],
            course=data["course"],
            period=data["period"],
            value=data["value"],
            protocol=data["protocol"],
            protocol_date=data["protocol_date"],
        )
    except GradebookError as e:
        form.add_error(None, e.message)
        return _family_page(request, school_class, form, status=409)
    messages.success(request, _("The attestation result is recorded."))
    return redirect("gradebook:family_attestation", class_id=school_class.pk)
