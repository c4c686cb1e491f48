"""Permission-matrix rows of the school's document store (R-G06; R-A06, R-A07: families never see it). The builders
are shared with tests/documents/: a folder open to all staff with an order in it (whose file was replaced once), and
a folder of the administration only with a document."""

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document, Folder

from . import REDIRECT, STAFF_READERS, Case, only

OTHER_SCHOOL = {"foreign_teacher": 404}
STAFF = (*STAFF_READERS, "class_teacher", "teacher")
ADMINISTRATION = ("admin", "director", "deputy")


def pdf(name: str = "приказ.pdf", content: bytes = b"%PDF-1.4 the order") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def staff_folder(w) -> Folder:
    if not hasattr(w, "_dc_staff"):
        w._dc_staff = services.folder_create(actor=w.deputy, school=w.school, name="Приказы")
    return w._dc_staff


def administration_folder(w) -> Folder:
    if not hasattr(w, "_dc_adm"):
        w._dc_adm = services.folder_create(
            actor=w.director, school=w.school, name="Кадровые приказы", roles=("admin", "director", "deputy")
        )
    return w._dc_adm


def order(w) -> Document:
    """An order in the all-staff folder whose file was replaced once: its first file is an older version."""
    if not hasattr(w, "_dc_order"):
        document = services.document_add(
            actor=w.deputy,
            folder=staff_folder(w),
            title="О режиме работы школы",
            kind=Document.Kind.ORDER,
            number="45-о",
            upload=pdf(),
        )
        w._dc_order = services.document_update(
            actor=w.director,
            document=document,
            title=document.title,
            kind=document.kind,
            number=document.number,
            upload=pdf("приказ-исправленный.pdf", b"%PDF-1.4 the corrected order"),
        )
    return w._dc_order


def administration_document(w) -> Document:
    if not hasattr(w, "_dc_adm_doc"):
        w._dc_adm_doc = services.document_add(
            actor=w.director, folder=administration_folder(w), title="Штатное расписание", upload=pdf("штат.pdf")
        )
    return w._dc_adm_doc


def older_version(w):
    document = order(w)
    first = Document.history.filter(id=document.pk).order_by("history_id").first()
    return {"document_id": document.pk, "history_id": first.history_id}


def staff_folder_id(w):
    return {"folder_id": staff_folder(w).pk}


def administration_folder_id(w):
    return {"folder_id": administration_folder(w).pk}


def fresh_empty_folder(w):
    """A new folder on every call: each role that may delete one deletes its own."""
    return {
        "folder_id": services.folder_create(actor=w.admin, school=w.school, name=f"Пустая {Folder.objects.count()}").pk
    }


def order_id(w):
    return {"document_id": order(w).pk}


def administration_document_id(w):
    return {"document_id": administration_document(w).pk}


def fresh_document(w):
    return {
        "document_id": services.document_add(
            actor=w.admin, folder=staff_folder(w), title="Удаляемый бланк", upload=pdf("бланк.pdf")
        ).pk
    }


READ_STAFF = only(*STAFF) | OTHER_SCHOOL
READ_ADMINISTRATION = only(*ADMINISTRATION) | OTHER_SCHOOL
KEEP = only(*ADMINISTRATION) | OTHER_SCHOOL

ROWS: dict[str, list[Case]] = {
    # Every teacher sees the store of their own school (the foreign teacher theirs); families never.
    "documents:index": [
        Case("tree", only(*STAFF, "foreign_teacher")),
        Case("search", only(*STAFF, "foreign_teacher"), data=lambda w: {"q": "приказ"}),
    ],
    "documents:folder_new": [
        Case("form", only(*ADMINISTRATION)),
        Case("empty form", only(*ADMINISTRATION, ok=422), method="post"),
    ],
    "documents:folder": [
        Case("a folder of all staff", READ_STAFF, kwargs=staff_folder_id),
        Case("a folder of the administration", READ_ADMINISTRATION, kwargs=administration_folder_id),
    ],
    "documents:folder_edit": [
        Case("form", KEEP, kwargs=staff_folder_id),
        Case("empty form", only(*ADMINISTRATION, ok=422) | OTHER_SCHOOL, kwargs=staff_folder_id, method="post"),
    ],
    "documents:folder_delete": [
        Case(
            "an empty folder",
            only(*ADMINISTRATION, ok=REDIRECT) | OTHER_SCHOOL,
            kwargs=fresh_empty_folder,
            method="post",
        ),
    ],
    "documents:document_new": [
        Case("form", KEEP, kwargs=staff_folder_id),
        Case("empty form", only(*ADMINISTRATION, ok=422) | OTHER_SCHOOL, kwargs=staff_folder_id, method="post"),
    ],
    "documents:document_edit": [
        Case("form", KEEP, kwargs=order_id),
        Case("empty form", only(*ADMINISTRATION, ok=422) | OTHER_SCHOOL, kwargs=order_id, method="post"),
    ],
    "documents:document_delete": [
        Case("a document", only(*ADMINISTRATION, ok=REDIRECT) | OTHER_SCHOOL, kwargs=fresh_document, method="post"),
    ],
    "documents:document_download": [
        Case("a document of all staff", READ_STAFF, kwargs=order_id),
        Case("a document of the administration", READ_ADMINISTRATION, kwargs=administration_document_id),
    ],
    "documents:version_download": [
        Case("an older version", READ_STAFF, kwargs=older_version),
    ],
}
