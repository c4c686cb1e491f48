import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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


@shared_task(autoretry_for=(ConnectionError, TimeoutError, smtplib.SMTPException), retry_backoff=True, max_retries=5)
def issue_credentials_by_email(person_id: int, actor_id: int, school_id: int, portal_url: str = "") -> bool:
    """A new temporary password, sent to the person's own address (R-B13). Ids only: the password is made here,
    in the worker, and never travels through the broker. The permission is asked again: it may have changed
    since the page queued this (the pupil moved to another class, the class got another teacher).

    The mail is sent inside the transaction that sets the password: if sending fails, the password is not
    changed and the retry issues a fresh one. Running twice sends two passwords; the second one works.
    """
    from .access import access
    from .credentials import credentials_issue
    from .models import STAFF_ROLES, CredentialIssue, Membership, School
    from .services import AccountsError

    school = School.objects.filter(pk=school_id).first()
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    person = User.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if school is None or actor is None or person is None:
        return False
    # The worker has no request: the permission is asked in the school the page was in.
    a = access(actor)
    if school.pk not in a.schools:
        return False
    a.active_school_id = school.pk
    if not actor.has_perm("accounts.issue_credentials", person):
        return False
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        try:
            [(person, password)] = credentials_issue(
                actor=actor, school=school, people=[person], channel=CredentialIssue.Channel.EMAIL
            )
        except AccountsError:
            return False
        roles = Membership.objects.for_school(school).filter(user=person).values_list("role", flat=True)
        context = {
            "person": person,
            "password": password,
            "school": school,
            "portal_url": portal_url,
            "staff": bool(set(roles) & STAFF_ROLES),
        }
        body = render_to_string("accounts/credentials/email.txt", context)
        send_mail(_("Your login to the e-journal"), body, None, [person.email])
    return True
