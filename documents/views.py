"""The school's document store (R-G06): the staff's tree of folders, a folder's documents, the administration's forms
that keep them, and the downloads (attachments, recorded by audit.log.DownloadLogMiddleware). Each view fetches
through the school's scope (another school's row is 404), asks the permission layer once and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import school_member_required, school_permission_required

from . import services
from .forms import DocumentForm, FolderForm
from .models import READER_CHOICES, Document, Folder
from .rules import is_manager_in, may_manage, staff_roles
from .selectors import Tree, folder_documents, older_versions, readable_tree, search_documents
from .services import MAX_DEPTH, DocumentsError

SEARCH_MIN = 2


def _tree(request) -> Tree:
    return readable_tree(school=request.school, roles=staff_roles(request.user, request.school.pk))


def _paths(tree: Tree) -> dict[int, str]:
    return {pk: " › ".join(f.name for f in tree.path(pk)) for pk in tree.nodes}


def _folder_url(folder_id: int) -> str:
    return reverse("documents:folder", kwargs={"folder_id": folder_id})


@require_GET
@school_permission_required("documents.view_store")
def index(request):
    """The folders the user reads, as a tree with their documents' counts; a search by title or number."""
    tree = _tree(request)
    text = " ".join(request.GET.get("q", "").split())[:100]
    found = (
        list(search_documents(school=request.school, roles=staff_roles(request.user, request.school.pk), text=text))
        if len(text) >= SEARCH_MIN
        else None
    )
    return render(
        request,
        "documents/index.html",
        {
            "nodes": tree.flat(),
            "text": text,
            "found": found,
            "can_manage": is_manager_in(request.user, request.school.pk),
        },
    )


def _folder(request, folder_id: int, perm: str) -> Folder:
    folder = get_object_or_404(Folder.objects.for_school(request.school), pk=folder_id)
    if not request.user.has_perm(perm, folder):
        raise PermissionDenied
    folder.school = request.school
    return folder


@require_GET
@school_member_required
def folder(request, folder_id: int):
    """A folder's documents (with their older versions) and subfolders."""
    found = _folder(request, folder_id, "documents.view_folder")
    tree = _tree(request)
    documents = folder_documents(folder=found)
    older_versions(documents)
    node = tree.nodes.get(found.pk)
    can_manage = may_manage(request.user, found)
    return render(
        request,
        "documents/folder.html",
        {
            "folder": found,
            "folder_roles": [(r, label) for r, label in READER_CHOICES if r in found.reader_roles],
            "path": tree.path(found.pk),
            "children": node.children if node else [],
            "documents": documents,
            "can_manage": can_manage,
            "can_nest": can_manage and len(tree.path(found.pk)) < MAX_DEPTH,
        },
    )


# --- Folders -------------------------------------------------------------------------------------------------------


def _parents(request, tree: Tree):
    """The folders a new one may go in: those the user keeps, less deep than the limit."""
    ids = [
        pk for pk, node in tree.nodes.items() if node.depth < MAX_DEPTH - 1 and may_manage(request.user, node.folder)
    ]
    return Folder.objects.filter(pk__in=ids).order_by("name", "pk")


def _roles(form) -> list[str]:
    return form.cleaned_data["roles"]


@require_http_methods(["GET", "POST"])
@school_permission_required("documents.manage_store")
def folder_new(request):
    tree = _tree(request)
    parent_id = request.GET.get("parent", "")
    initial = {"roles": [r for r, _label in READER_CHOICES]}
    if parent_id.isdigit() and int(parent_id) in tree.nodes:
        initial["parent"] = int(parent_id)
        initial["roles"] = sorted(tree.nodes[int(parent_id)].folder.reader_roles)
    form = FolderForm(
        request.POST if request.method == "POST" else None,
        parents=_parents(request, tree),
        paths=_paths(tree),
        initial=initial,
    )
    if request.method == "GET":
        return render(request, "documents/folder_form.html", {"form": form})
    if form.is_valid():
        try:
            created = services.folder_create(
                actor=request.user,
                school=request.school,
                name=form.cleaned_data["name"],
                roles=_roles(form),
                parent=form.cleaned_data.get("parent"),
            )
        except DocumentsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The folder «%(name)s» is created.") % {"name": created.name})
            return redirect(_folder_url(created.pk))
    return render(request, "documents/folder_form.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
@school_member_required
def folder_edit(request, folder_id: int):
    found = _folder(request, folder_id, "documents.manage_folder")
    form = FolderForm(
        request.POST if request.method == "POST" else None,
        initial={"name": found.name, "roles": sorted(found.reader_roles)},
    )
    context = {"form": form, "folder": found}
    if request.method == "GET":
        return render(request, "documents/folder_form.html", context)
    if form.is_valid():
        try:
            services.folder_update(actor=request.user, folder=found, name=form.cleaned_data["name"], roles=_roles(form))
        except DocumentsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The folder is saved."))
            return redirect(_folder_url(found.pk))
    return render(request, "documents/folder_form.html", context, status=422)


@require_POST
@school_member_required
def folder_delete(request, folder_id: int):
    found = _folder(request, folder_id, "documents.manage_folder")
    try:
        services.folder_delete(actor=request.user, folder=found)
    except DocumentsError as e:
        messages.error(request, e.message)
        return redirect(_folder_url(found.pk))
    messages.success(request, _("The folder «%(name)s» is deleted.") % {"name": found.name})
    return redirect(_folder_url(found.parent_id) if found.parent_id else reverse("documents:index"))


# --- Documents -----------------------------------------------------------------------------------------------------


def _document_data(form) -> dict:
    data = form.cleaned_data
    return {k: data.get(k) for k in ("title", "kind", "number", "dated")}


@require_http_methods(["GET", "POST"])
@school_member_required
def document_new(request, folder_id: int):
    found = _folder(request, folder_id, "documents.manage_folder")
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"form": form, "folder": found}
    if request.method == "GET":
        return render(request, "documents/document_form.html", context)
    if form.is_valid():
        try:
            document = services.document_add(
                actor=request.user, folder=found, upload=form.cleaned_data["file"], **_document_data(form)
            )
        except DocumentsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The document «%(title)s» is uploaded.") % {"title": document.title})
            return redirect(_folder_url(found.pk))
    return render(request, "documents/document_form.html", context, status=422)


def _document(request, document_id: int, perm: str) -> Document:
    document = get_object_or_404(
        Document.objects.for_school(request.school).select_related("folder", "uploaded_by"), pk=document_id
    )
    if not request.user.has_perm(perm, document):
        raise PermissionDenied
    document.school = document.folder.school = request.school
    return document


@require_http_methods(["GET", "POST"])
@school_member_required
def document_edit(request, document_id: int):
    """The document's card, its folder, and a new file that replaces the current one (kept in the history)."""
    document = _document(request, document_id, "documents.change_document")
    tree = _tree(request)
    folders = Folder.objects.filter(
        pk__in=[pk for pk, node in tree.nodes.items() if may_manage(request.user, node.folder)]
    ).order_by("name", "pk")
    initial = {k: getattr(document, k) for k in ("title", "kind", "number", "dated")} | {"folder": document.folder_id}
    posted = request.method == "POST"
    form = DocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        folders=folders,
        paths=_paths(tree),
        replacing=True,
        initial=initial,
    )
    context = {"form": form, "folder": document.folder, "document": document}
    if request.method == "GET":
        return render(request, "documents/document_form.html", context)
    if form.is_valid():
        try:
            services.document_update(
                actor=request.user,
                document=document,
                folder=form.cleaned_data["folder"],
                upload=form.cleaned_data.get("file"),
                **_document_data(form),
            )
        except DocumentsError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The document is saved."))
            return redirect(_folder_url(document.folder_id))
    return render(request, "documents/document_form.html", context, status=422)


@require_POST
@school_member_required
def document_delete(request, document_id: int):
    document = _document(request, document_id, "documents.change_document")
    try:
        services.document_remove(actor=request.user, document=document)
    except DocumentsError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The document «%(title)s» is removed.") % {"title": document.title})
    return redirect(_folder_url(document.folder_id))


def _attachment(path: str, filename: str) -> FileResponse:
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, ValueError) as e:
        raise Http404 from e
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_GET
@school_member_required
def document_download(request, document_id: int):
    document = _document(request, document_id, "documents.view_document")
    return _attachment(document.file.name, document.file_name)


@require_GET
@school_member_required
def version_download(request, document_id: int, history_id: int):
    """An older file of the document, from its history, to those who read the document today."""
    document = _document(request, document_id, "documents.view_document")
    row = get_object_or_404(Document.history.filter(id=document.pk), history_id=history_id)
    if not row.file:
        raise Http404
    return _attachment(row.file, row.file_name)
