"""For platform superusers only, read-only: schools write remarks through the portal's services (R-J02)."""

from django.contrib import admin

from .models import Remark


@admin.register(Remark)
class RemarkAdmin(admin.ModelAdmin):
    list_display = ("created_at", "school", "course", "due", "status", "author", "done_by", "reopened_count")
    list_filter = ("status",)
    list_select_related = ("school", "course__subject", "course__school_class", "course__group", "author", "done_by")
    raw_id_fields = ("course", "lesson", "author", "done_by", "reopened_by")
    search_fields = ("text",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
