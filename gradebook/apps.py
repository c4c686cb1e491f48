from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradebookConfig(AppConfig):
    name = "gradebook"
    verbose_name = _("Journal")

    def ready(self):
        from schedule.signals import lessons_in_use

        from . import receivers

        lessons_in_use.connect(receivers.lessons_with_works, dispatch_uid="gradebook.lessons_with_works")
