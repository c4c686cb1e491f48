from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Control and reports")

    def ready(self):
        from gradebook.signals import journal_panels, my_day_panels

        from . import receivers, receivers_weekly

        journal_panels.connect(receivers.journal_remarks, dispatch_uid="reports.journal_remarks")
        my_day_panels.connect(receivers.my_day_remarks, dispatch_uid="reports.my_day_remarks")
        my_day_panels.connect(receivers_weekly.my_day_bundles, dispatch_uid="reports.my_day_bundles")
