from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EjournalConfig(AppConfig):
    """The project's own app: the SchoolOwned base, cross-app glue (start pages, navigation) and the demo seeder."""

    name = "ejournal"
    verbose_name = _("E-journal")
