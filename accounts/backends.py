import rules
from django.contrib.auth.backends import ModelBackend
from guardian.backends import ObjectPermissionBackend


class GuardianBackend(ObjectPermissionBackend):
    """django-guardian's object permissions, for explicit grants only (a substitute's lesson, a temporary access).

    Derived rights are `rules` permissions whose names need not match the object's app ("diary.view_diary" asked of
    a pupil, who is an accounts.User). Guardian refuses such a pair with an exception; here it is simply "no grant".
    """

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None:
            return False
        # A permission defined by `rules` is derived, never granted: its predicates ask for grants themselves
        # (schedule.fill_lesson asks for the substitute's grant), so looking it up here would be two wasted queries.
        if rules.perm_exists(perm):
            return False
        app_label, _, _codename = perm.partition(".")
        if _codename and app_label != obj._meta.app_label:
            return False
        return super().has_perm(user_obj, perm, obj)


class StaffModelBackend(ModelBackend):
    """Django's model permissions, asked only for platform staff (the Django admin).

    School users hold no Django model permissions: their rights are `rules` predicates and guardian grants. Asking
    the model tables for them would cost two queries on every page for an answer that is always "no".
    """

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_staff and not user_obj.is_superuser:
            return False
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_staff and not user_obj.is_superuser:
            return False
        return super().has_module_perms(user_obj, app_label)
