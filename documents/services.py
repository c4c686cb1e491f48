"""The school's document store (R-G06): every write goes through these functions, which ask documents/rules.py who
may keep the store (the administration, in the folders they read).

Nothing is lost: each change's history row names its author; a replaced file and a removed document stay in the
history, and their stored files are kept, so that older versions can still be downloaded."""

import datetime
import os

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import School, User
from ejournal.clock import now, today
from ejournal.uploads import content_matches, upload_max_mb

from .models import Document, Folder
from .rules import FOLDER_ROLES, is_manager_in, may_manage, staff_roles

__all__ = [
    "DocumentsError",
    "document_add",
    "document_remove",
    "document_update",
    "folder_create",
    "folder_delete",
    "folder_update",
]

# What a school keeps as documents: office files, PDF, pictures of scans, plain text, archives.
ALLOWED_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp",
    ".jpg", ".jpeg", ".png", ".zip",
)  # fmt: skip
# A root folder, its subfolders and theirs: deeper trees are hard to find one's way in on a phone.
MAX_DEPTH = 3
NAME_MAX = Folder._meta.get_field("name").max_length
TITLE_MAX = Document._meta.get_field("title").max_length
NUMBER_MAX = Document._meta.get_field("number").max_length


class DocumentsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_problem(upload) -> str | None:
    """Why the file is refused (kind, size, content), or None. The form and the services ask the same."""
    extension = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        return _(
            "Files of this kind are not accepted. Use PDF, Word, Excel, PowerPoint, OpenDocument, pictures or ZIP."
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("The file is larger than %(size)s MB.") % {"size": upload_max_mb()}
    if not upload.size:
        return _("The file is empty.")
    if not content_matches(upload, extension):
        return _("The file's content is not what its name says (%(ext)s). Save it again in that format.") % {
            "ext": extension
        }
    return None


# --- Folders -------------------------------------------------------------------------------------------------------


def _depth(folder: Folder | None) -> int:
    depth = 0
    while folder is not None:
        depth += 1
        folder = folder.parent
    return depth


def _check_manager(actor: User, school_id: int) -> None:
    if not is_manager_in(actor, school_id):
        raise DocumentsError(_("Only the administrator, the director and the deputy head keep the school's documents."))


def _check_manages(actor: User, folder: Folder) -> None:
    _check_manager(actor, folder.school_id)
    if not may_manage(actor, folder):
        raise DocumentsError(_("The folder «%(name)s» is not open to your role.") % {"name": folder.name})


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DocumentsError(_("Name the folder."))
    if len(name) > NAME_MAX:
        raise DocumentsError(_("The name is longer than %(limit)s characters.") % {"limit": NAME_MAX})
    return name


def _check_unique(school_id: int, parent: Folder | None, name: str, exclude: int | None = None) -> None:
    siblings = Folder.objects.filter(school_id=school_id, parent=parent, name__iexact=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude)
    if siblings.exists():
        raise DocumentsError(_("There is already a folder «%(name)s» here.") % {"name": name})


def _clean_roles(actor: User, school_id: int, roles, parent: Folder | None) -> frozenset[str]:
    roles = frozenset(roles or ()) & frozenset(FOLDER_ROLES)
    if not roles:
        raise DocumentsError(_("Choose who reads the folder."))
    if parent is not None and not roles <= parent.reader_roles:
        raise DocumentsError(
            _("A subfolder is open to no more roles than its folder «%(name)s».") % {"name": parent.name}
        )
    if not roles & staff_roles(actor, school_id):
        raise DocumentsError(_("Leave the folder open to your own role, or you could no longer keep it."))
    return roles


def _set_roles(folder: Folder, roles: frozenset[str]) -> None:
    for role in FOLDER_ROLES:
        setattr(folder, f"for_{role}", role in roles)


@transaction.atomic
def folder_create(
    *, actor: User, school: School, name: str, roles=FOLDER_ROLES, parent: Folder | None = None
) -> Folder:
    """A folder at the top of the store or in another; open to all staff unless `roles` says otherwise."""
    _check_manager(actor, school.pk)
    if parent is not None:
        if parent.school_id != school.pk:
            raise DocumentsError(_("This folder is not of your school."))
        _check_manages(actor, parent)
        if _depth(parent) >= MAX_DEPTH:
            raise DocumentsError(
                _("Folders nest at most %(depth)s levels deep: put it in a higher folder.") % {"depth": MAX_DEPTH}
            )
    name = _clean_name(name)
    _check_unique(school.pk, parent, name)
    folder = Folder(school=school, parent=parent, name=name, created_by=actor, created_at=now())
    _set_roles(folder, _clean_roles(actor, school.pk, roles, parent))
    folder._history_user = actor
    folder.save()
    return folder


def _descendants(folder: Folder) -> list[Folder]:
    found, level = [], [folder]
    for _i in range(MAX_DEPTH):
        level = list(Folder.objects.filter(parent__in=level).order_by("pk"))
        if not level:
            break
        found += level
    return found


@transaction.atomic
def folder_update(*, actor: User, folder: Folder, name: str, roles) -> Folder:
    """Renames the folder and sets who reads it; a narrower folder narrows its subfolders with it (a subfolder is
    never open to more roles than its folder)."""
    _check_manages(actor, folder)
    name = _clean_name(name)
    _check_unique(folder.school_id, folder.parent, name, exclude=folder.pk)
    roles = _clean_roles(actor, folder.school_id, roles, folder.parent)
    folder.name = name
    _set_roles(folder, roles)
    folder._history_user = actor
    folder.save()
    for child in _descendants(folder):
        narrowed = child.reader_roles & roles
        if narrowed != child.reader_roles:
            _set_roles(child, narrowed)
            child._history_user = actor
            child.save()
    return folder


@transaction.atomic
def folder_delete(*, actor: User, folder: Folder) -> None:
    """Removes an empty folder; one with documents or subfolders is refused, so that nothing goes by mistake."""
    _check_manages(actor, folder)
    if folder.children.exists() or folder.documents.exists():
        raise DocumentsError(
            _("The folder «%(name)s» is not empty: move or remove its documents and subfolders first.")
            % {"name": folder.name}
        )
    folder._history_user = actor
    folder.delete()


# --- Documents -----------------------------------------------------------------------------------------------------


def _clean_document(*, title: str, kind: str, number: str, dated: datetime.date | None, tz: str) -> dict[str, object]:
    title = " ".join((title or "").split())
    number = " ".join((number or "").split())
    if not title:
        raise DocumentsError(_("Give the document's title."))
    if len(title) > TITLE_MAX:
        raise DocumentsError(_("The title is longer than %(limit)s characters.") % {"limit": TITLE_MAX})
    if kind not in Document.Kind.values:
        raise DocumentsError(_("Choose the kind of the document."))
    if len(number) > NUMBER_MAX:
        raise DocumentsError(_("The number is longer than %(limit)s characters.") % {"limit": NUMBER_MAX})
    if dated is not None and dated > today(tz) + datetime.timedelta(days=366):
        raise DocumentsError(
            _("The document's date %(date)s is more than a year ahead: check the year.")
            % {"date": date_format(dated, "d.m.Y")}
        )
    return {"title": title, "kind": kind, "number": number, "dated": dated}


def _store_file(document: Document, upload) -> None:
    problem = file_problem(upload)
    if problem:
        raise DocumentsError(problem)
    name = os.path.basename(upload.name or "")[:200]
    extension = os.path.splitext(name)[1].lower()
    document.file_name, document.file_size = name, upload.size
    # The stored name is ours: the user's is kept for display and download only. A new name for every upload keeps
    # the older versions' files where the history points.
    document.file.save(f"{now():%Y%m%d%H%M%S%f}{extension}", upload, save=False)


@transaction.atomic
def document_add(
    *,
    actor: User,
    folder: Folder,
    title: str,
    upload,
    kind: str = Document.Kind.OTHER,
    number: str = "",
    dated: datetime.date | None = None,
) -> Document:
    _check_manages(actor, folder)
    if upload is None:
        raise DocumentsError(_("Choose the file to upload."))
    fields = _clean_document(title=title, kind=kind, number=number, dated=dated, tz=folder.school.timezone)
    document = Document(school_id=folder.school_id, folder=folder, uploaded_by=actor, uploaded_at=now(), **fields)
    _store_file(document, upload)
    document._history_user = actor
    document.save()
    return document


@transaction.atomic
def document_update(
    *,
    actor: User,
    document: Document,
    title: str,
    kind: str,
    number: str = "",
    dated: datetime.date | None = None,
    folder: Folder | None = None,
    upload=None,
) -> Document:
    """Corrects the document's card, moves it to another folder, or replaces its file (the older file stays in the
    history and can still be downloaded)."""
    _check_manages(actor, document.folder)
    if folder is not None and folder.pk != document.folder_id:
        if folder.school_id != document.school_id:
            raise DocumentsError(_("This folder is not of your school."))
        _check_manages(actor, folder)
        document.folder = folder
    fields = _clean_document(title=title, kind=kind, number=number, dated=dated, tz=document.school.timezone)
    for name, value in fields.items():
        setattr(document, name, value)
    if upload is not None:
        _store_file(document, upload)
        document.uploaded_by, document.uploaded_at = actor, now()
    document._history_user = actor
    document.save()
    return document


@transaction.atomic
def document_remove(*, actor: User, document: Document) -> None:
    """Removes the document from the store; its history keeps it, with who removed it."""
    _check_manages(actor, document.folder)
    document._history_user = actor
    document.delete()
