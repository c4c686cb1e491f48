from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import GuardianLink, Membership, Role
from ejournal.clock import today

from .forms_classes import EnrollForm
from .models import AcademicYear, Enrollment, SchoolClass, StudyGroup
from .selectors import PERSON_FIELDS, class_pupils, current_year


@require_GET
@school_permission_required("schedule.view_setup")
def setup(request):
    """The set-up checklist (DESIGN §6.1): what is done and what is still missing."""
    school = request.school
    day = today(school.timezone)
    year = current_year(school=school, day=day)
    people = Membership.objects.for_school(school).aggregate(
        staff=Count("user", filter=Q(role=Role.TEACHER), distinct=True),
        admins=Count("user", filter=Q(role=Role.ADMIN), distinct=True),
        pupils=Count("user", filter=Q(role=Role.PUPIL), distinct=True),
        guardians=Count("user", filter=Q(role=Role.GUARDIAN), distinct=True),
    )
    classes = (
        SchoolClass.objects.filter(year=year).aggregate(
            total=Count("id"), with_teacher=Count("id", filter=Q(class_teacher__isnull=False))
        )
        if year
        else {"total": 0, "with_teacher": 0}
    )
    enrolled = Enrollment.objects.for_school(school).on(day).filter(school_class__year=year).count() if year else 0
    linked = GuardianLink.objects.for_school(school).values("pupil").distinct().count()
    steps = [
        {"key": "year", "done": year is not None, "value": str(year) if year else ""},
        {"key": "admins", "done": people["admins"] > 0, "value": people["admins"]},
        {"key": "staff", "done": people["staff"] > 0, "value": people["staff"]},
        {"key": "classes", "done": classes["total"] > 0, "value": classes["total"]},
        {
            "key": "class_teachers",
            "done": classes["total"] > 0 and classes["with_teacher"] == classes["total"],
            "value": f"{classes['with_teacher']} / {classes['total']}",
        },
        {"key": "pupils", "done": people["pupils"] > 0, "value": people["pupils"]},
        {
            "key": "enrolled",
            "done": people["pupils"] > 0 and enrolled == people["pupils"],
            "value": f"{enrolled} / {people['pupils']}",
        },
        {"key": "guardians", "done": people["guardians"] > 0, "value": people["guardians"]},
        {
            "key": "links",
            "done": people["pupils"] > 0 and linked == people["pupils"],
            "value": f"{linked} / {people['pupils']}",
        },
    ]
    return render(
        request,
        "schedule/setup.html",
        {"steps": steps, "year": year, "years": AcademicYear.objects.for_school(school)},
    )


@require_GET
@school_member_required
def class_detail(request, class_id: int):
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )
    if not request.user.has_perm("schedule.view_class", school_class):
        raise PermissionDenied
    day = today(request.school.timezone)
    enrollments = class_pupils(school_class=school_class, day=day).prefetch_related(
        Prefetch(
            "pupil__guardian_links",
            queryset=GuardianLink.objects.for_school(request.school)
            .select_related("guardian")
            .only("pupil_id", "relation", *(f"guardian__{f}" for f in PERSON_FIELDS)),
        )
    )
    can_edit = request.user.has_perm("schedule.change_class", school_class) and not school_class.year.is_archived
    context = {
        "school_class": school_class,
        "enrollments": enrollments,
        "day": day,
        "groups": StudyGroup.objects.filter(school_class=school_class).select_related("subject"),
        "can_edit": can_edit,
        "can_split": request.user.has_perm("schedule.split_class", school_class) and not school_class.year.is_archived,
        "can_issue": request.user.has_perm("schedule.issue_class_credentials", school_class),
    }
    if can_edit:
        from .views_classes import unenrolled_pupils

        context["enroll_form"] = EnrollForm(
            pupils=unenrolled_pupils(request.school, school_class.year, day), initial={"since": day}
        )
        context["classes"] = SchoolClass.objects.for_school(request.school).filter(year=school_class.year)
    return render(request, "schedule/class_detail.html", context)
