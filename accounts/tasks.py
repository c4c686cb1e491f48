from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import User


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_password_changed(user_id: int) -> bool:
    """Tell the owner that their password was changed, so that a stolen session is noticed. Safe to run twice."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("accounts/email/password_changed.txt", {"user": user})
        send_mail(_("Your e-journal password was changed"), body, None, [user.email])
    return True
