"""Audit entries for what no service of ours performs (issue 10 item 2): logins, failed logins and lockouts (Django's
and django-axes' signals), logouts, and the rights that change outside our services (a role or a guardian link
removed, a django-guardian object permission granted or revoked, from a service or from Django's admin).

Connected in AuditConfig.ready(). They only record: no rule lives here (DESIGN §3).
"""

from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_delete, post_save

from .log import client_ip, record

LOGOUT_REASON = "_ej_logout_reason"


def _first_school(user):
    """The school a login belongs to: the user's first (as accounts.access chooses the active one); None for
    a platform account. Read directly, so that the user object's cached access stays untouched."""
    from accounts.models import Membership, School

    school_id = Membership.objects.filter(user=user).order_by("school_id").values_list("school_id", flat=True).first()
    return School(pk=school_id) if school_id is not None else None


def _current_request():
    """The request being served, when there is one (django-simple-history's middleware keeps it)."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _current_actor():
    request = _current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def logged_in(sender, request, user, **kwargs):
    from accounts.middleware import session_touch

    if request is not None and hasattr(request, "session"):
        session_touch(request)
    record(
        actor=user,
        school=_first_school(user),
        action="accounts.login",
        obj=user,
        data={"login": user.get_username(), "ip": client_ip(request)},
    )


def login_failed(sender, credentials, request=None, **kwargs):
    from accounts.models import User

    login = str((credentials or {}).get("username") or "")[:150]
    user = User.objects.filter(username=login).first() if login else None
    # An unknown login belongs to no school: a platform entry.
    record(
        actor=None,
        school=_first_school(user) if user is not None else None,
        action="accounts.login_failed",
        obj=user,
        data={"login": login, "ip": client_ip(request)},
    )


def locked_out(sender, request, username, ip_address, **kwargs):
    from accounts.models import User

    login = str(username or "")[:150]
    user = User.objects.filter(username=login).first() if login else None
    record(
        actor=None,
        school=_first_school(user) if user is not None else None,
        action="accounts.lockout",
        obj=user,
        data={"login": login, "ip": ip_address or client_ip(request)},
    )


def logged_out(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return
    school = getattr(request, "school", None) or _first_school(user)
    data = {"login": user.get_username(), "ip": client_ip(request)}
    reason = getattr(request, LOGOUT_REASON, None)
    if reason:
        data["reason"] = reason
    record(actor=user, school=school, action="accounts.logout", obj=user, data=data)


def role_removed(sender, instance, **kwargs):
    from accounts.models import School

    record(
        actor=_current_actor(),
        school=School(pk=instance.school_id),
        action="accounts.role.revoked",
        obj=instance.user,
        data={"role": instance.role},
    )


def guardian_unlinked(sender, instance, **kwargs):
    from accounts.models import School

    record(
        actor=_current_actor(),
        school=School(pk=instance.school_id),
        action="accounts.guardian.unlinked",
        obj=instance.pupil,
        data={"guardian": instance.guardian_id, "pupil": instance.pupil_id},
    )


def _object_permission(instance, action: str) -> None:
    from accounts.models import School

    target = instance.content_object
    school_id = getattr(target, "school_id", None)
    record(
        actor=_current_actor(),
        school=School(pk=school_id) if school_id is not None else None,
        action=action,
        obj=target,
        data={
            "permission": f"{instance.permission.content_type.app_label}.{instance.permission.codename}",
            "user": instance.user_id,
            "user_name": str(instance.user),
        },
    )


def object_permission_saved(sender, instance, created, **kwargs):
    if created:
        _object_permission(instance, "accounts.permission.granted")


def object_permission_deleted(sender, instance, **kwargs):
    _object_permission(instance, "accounts.permission.revoked")


def connect() -> None:
    from axes.signals import user_locked_out
    from guardian.models import UserObjectPermission

    from accounts.models import GuardianLink, Membership

    auth_signals.user_logged_in.connect(logged_in, dispatch_uid="audit_logged_in")
    auth_signals.user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    auth_signals.user_logged_out.connect(logged_out, dispatch_uid="audit_logged_out")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
    post_delete.connect(role_removed, sender=Membership, dispatch_uid="audit_role_removed")
    post_delete.connect(guardian_unlinked, sender=GuardianLink, dispatch_uid="audit_guardian_unlinked")
    post_save.connect(object_permission_saved, sender=UserObjectPermission, dispatch_uid="audit_perm_saved")
    post_delete.connect(object_permission_deleted, sender=UserObjectPermission, dispatch_uid="audit_perm_deleted")
