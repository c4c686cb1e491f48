from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")

    def ready(self):
        from attendance.signals import absence_changed
        from gradebook.signals import mark_changed

        from . import receivers

        mark_changed.connect(receivers.mark_changed, dispatch_uid="diary.mark_changed")
        absence_changed.connect(receivers.absence_changed, dispatch_uid="diary.absence_changed")
