from guardian.backends import ObjectPermissionBackend


class GuardianBackend(ObjectPermissionBackend):
    """django-guardian's object permissions, for explicit grants only (a substitute's lesson, a temporary access).

    Derived rights are `rules` permissions whose names need not match the object's app ("diary.view_diary" asked of
    a pupil, who is an accounts.User). Guardian refuses such a pair with an exception; here it is simply "no grant".
    """

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None:
            return False
        app_label, _, _codename = perm.partition(".")
        if _codename and app_label != obj._meta.app_label:
            return False
        return super().has_perm(user_obj, perm, obj)
