"""The school's document store (R-G06; seed 004 §3.1 п.6, §4.1 п.14): orders, regulations, forms and plans in
folders, each folder read by the staff roles it names. Families never see it.

Nothing is lost: folders and documents keep their history (simple_history, with the author of each change), and a
replaced or removed document's file stays in storage, reachable from the history's rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role
from ejournal.models import SchoolOwned

# The roles a folder may be opened to, in the order the forms offer them; "all staff" by default.
READER_CHOICES = [(r, Role(r).label) for r in (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)]


class Folder(SchoolOwned):
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("in folder")
    )
    # Who reads it, one flag per staff role (plain columns: the readable folders are one indexed filter, on PostgreSQL
    # and on the demo's SQLite alike).
    for_admin = models.BooleanField(_("administrator"), default=True)
    for_director = models.BooleanField(_("director"), default=True)
    for_deputy = models.BooleanField(_("deputy head"), default=True)
    for_teacher = models.BooleanField(_("teachers"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document folder")
        verbose_name_plural = _("document folders")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "parent", "name"], name="folder_unique_name"),
            models.UniqueConstraint(
                fields=["school", "name"], condition=models.Q(parent__isnull=True), name="folder_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reader_roles(self) -> frozenset[str]:
        return frozenset(r for r, _label in READER_CHOICES if getattr(self, f"for_{r}"))


def _document_path(instance, filename: str) -> str:
    # One directory per school; the stored name is ours (services.py), never the user's.
    return f"documents/{instance.school_id}/{filename}"


class Document(SchoolOwned):
    class Kind(models.TextChoices):
        ORDER = "order", _("school order")
        REGULATION = "regulation", _("regulation")
        FORM = "form", _("form or template")
        PLAN = "plan", _("plan")
        OTHER = "other", _("other")

    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("folder"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    # As printed on the document: «№ 123-о» of 01.09.2026; both optional (a form has neither).
    number = models.CharField(_("number"), max_length=50, blank=True)
    dated = models.DateField(_("document date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["school", "folder"], name="document_folder")]

    def __str__(self) -> str:
        return self.title
