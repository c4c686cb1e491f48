"""For platform superusers only (read-mostly): schools record attendance through the portal's services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Absence, AbsenceNotice, AttendanceTaken


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ("lesson", "pupil", "code", "minutes", "entered_late", "author", "updated_at")
    list_filter = ("code", "entered_late")
    raw_id_fields = ("lesson", "pupil", "notice", "author")


@admin.register(AbsenceNotice)
class AbsenceNoticeAdmin(admin.ModelAdmin):
    list_display = ("pupil", "school_class", "start", "end", "code", "document", "author", "created_at")
    list_filter = ("code",)
    raw_id_fields = ("pupil", "school_class", "author")


@admin.register(AttendanceTaken)
class AttendanceTakenAdmin(admin.ModelAdmin):
    list_display = ("lesson", "by", "at", "entered_late")
    raw_id_fields = ("lesson", "by")
