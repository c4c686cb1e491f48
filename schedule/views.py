from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import school_member_required
from accounts.models import GuardianLink, User
from ejournal.clock import today

from .forms_classes import EducationForm, EnrollForm, LeaveForm, MoveForm
from .models import SchoolClass, StudyGroup
from .selectors import PERSON_FIELDS, class_pupils


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

        pupils = [e.pupil for e in enrollments]
        others = (
            SchoolClass.objects.for_school(request.school).filter(year=school_class.year).exclude(pk=school_class.pk)
        )
        context["enroll_form"] = EnrollForm(
            pupils=unenrolled_pupils(request.school, school_class.year, day), initial={"since": day}
        )
        context["move_form"] = MoveForm(pupils=User.objects.none(), classes=others, initial={"since": day})
        context["leave_form"] = LeaveForm(pupils=User.objects.none(), initial={"last_day": day})
        context["education_form"] = EducationForm(pupils=User.objects.none())
        context["pupil_options"] = pupils
    return render(request, "schedule/class_detail.html", context)
