"""The school's SMS to families (R-I07), for the administrator: what waits (for the morning, for the next attempt),
what failed and why, what went; a failed one is sent again by one POST."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import school_member_required, school_permission_required
from ejournal.clock import now

from . import sms_notices as services
from .models import SmsNotice

PER_PAGE = 50


@require_GET
@school_permission_required("diary.view_sms")
def sms_list(request):
    show = request.GET.get("show", "waiting")
    if show not in services.SHOWN:
        show = "waiting"
    page = Paginator(services.sms_list(school=request.school, show=show), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "diary/sms/list.html",
        {
            "show": show,
            "page": page,
            "counts": services.sms_counts(school=request.school),
            "now": now(),
            "tz": request.school.timezone,
            "can_retry": request.user.has_perm("diary.retry_sms"),
        },
    )


@require_POST
@school_member_required
def sms_retry(request, sms_id: int):
    sms = get_object_or_404(SmsNotice.objects.for_school(request.school), pk=sms_id)
    if not request.user.has_perm("diary.retry_sms", sms):
        raise PermissionDenied
    try:
        sms = services.sms_retry(actor=request.user, sms=sms)
    except services.SmsNoticeError as e:
        messages.error(request, e.message)
    else:
        if sms.send_after <= now():
            messages.success(request, _("The SMS is sent again."))
        else:
            messages.success(request, _("The SMS will be sent again when the quiet hours end."))
    return redirect(f"{reverse('diary:sms_list')}?show=waiting")
