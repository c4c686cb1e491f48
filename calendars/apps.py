from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendar feed")

    def ready(self):
        from accounts.profile import Section, register

        from .views import profile_section

        register(Section(key="calendar", template="calendars/_profile.html", context=profile_section, order=10))
