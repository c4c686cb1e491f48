from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradebookConfig(AppConfig):
    name = "gradebook"
    verbose_name = _("Journal")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from schedule.signals import lessons_in_use

        from . import receivers
        from .models import Mark

        lessons_in_use.connect(receivers.lessons_with_works, dispatch_uid="gradebook.lessons_with_works")
        post_create_historical_record.connect(
            receivers.mark_history_written,
            sender=Mark.history.model,
            dispatch_uid="gradebook.mark_history_written",
        )
