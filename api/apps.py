from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Diary API")

    def ready(self):
        from accounts.profile import Section, register

        from . import profile, schema  # noqa: F401 - the schema's Bearer scheme registers on import

        register(Section(key="api_tokens", template="api/_profile_section.html", context=profile.section, order=60))
