from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from schedule.signals import lessons_created, lessons_in_use

        from . import receivers

        lessons_in_use.connect(receivers.lessons_with_attendance, dispatch_uid="attendance.lessons_with_attendance")
        lessons_created.connect(receivers.fill_new_lessons, dispatch_uid="attendance.fill_new_lessons")
