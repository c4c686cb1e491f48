from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import school_member_required, school_permission_required
from accounts.models import GuardianProfile, SchoolSettings
from ejournal.clock import today
from schedule.models import SchoolClass

from . import notices
from .forms_notices import NotificationForm
from .sms import mobile_number


@require_http_methods(["GET", "POST"])
@school_permission_required("diary.change_notifications")
def notifications(request):
    """A parent's own choice of marks by email and of SMS of marks and absences (R-I07): one form, one action."""
    school = request.school
    current = notices.notification_choice(school=school, user=request.user)
    initial = {"marks": current.marks, "sms_marks": current.sms_marks, "sms_absences": current.sms_absences}
    form = NotificationForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notices.notification_settings_set(actor=request.user, school=school, **form.cleaned_data)
            except notices.NoticeError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("diary:notifications")
        status = 422
    profile = GuardianProfile.objects.for_school(school).filter(guardian=request.user, diary_opt_out=True).first()
    school_rules = SchoolSettings.of(school)
    return render(
        request,
        "diary/notices/settings.html",
        {
            "form": form,
            "current": current,
            "email": request.user.email,
            "phone": request.user.phone,
            "mobile": mobile_number(request.user.phone),
            "opted_out": profile,
            "digest_hour": school_rules.mark_digest_hour,
            "quiet_from": school_rules.sms_quiet_from,
            "quiet_until": school_rules.sms_quiet_until,
            "quiet": school_rules.sms_quiet_from != school_rules.sms_quiet_until,
        },
        status=status,
    )


@require_GET
@school_member_required
def silent_parents(request, class_id: int):
    """The class's parents with the last day they opened the diary, the silent ones first (R-I12, seed 003)."""
    school_class = get_object_or_404(
        SchoolClass.objects.for_school(request.school).select_related("year", "class_teacher"), pk=class_id
    )
    if not request.user.has_perm("diary.view_silent_parents", school_class):
        raise PermissionDenied
    day = today(request.school.timezone)
    report = notices.silent_parents(
        school_class=school_class, day=day, silence_days=SchoolSettings.of(request.school).diary_silence_days
    )
    return render(
        request,
        "diary/notices/silent_parents.html",
        {"school_class": school_class, "day": day, "report": report},
    )
