from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import GuardianLink, Membership, School, SchoolSettings, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """For platform superusers only; schools manage their people in the portal's own pages."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("E-journal"), {"fields": ("middle_name", "phone", "must_change_password")}),
    )
    list_display = ("username", "last_name", "first_name", "middle_name", "email", "is_active")
    inlines = [MembershipInline]


class SchoolSettingsInline(admin.StackedInline):
    model = SchoolSettings


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "timezone")
    inlines = [SchoolSettingsInline]


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    list_display = ("guardian", "pupil", "relation", "school")
    raw_id_fields = ("guardian", "pupil")
