"""Reads of the document store's pages: the tree of the folders a user reads (with their documents' counts), a
folder's documents with their older versions, a search by title. Each is one query, whatever the store's size."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from accounts.models import School

from .models import Document, Folder
from .rules import readable_filter


@dataclass
class Node:
    folder: Folder
    depth: int
    children: list["Node"] = field(default_factory=list)


@dataclass
class Tree:
    nodes: dict[int, Node]
    roots: list[Node]

    def flat(self) -> list[Node]:
        """Depth first, as the tree is drawn."""
        out: list[Node] = []

        def walk(nodes: list[Node]) -> None:
            for node in nodes:
                out.append(node)
                walk(node.children)

        walk(self.roots)
        return out

    def path(self, folder_id: int) -> list[Folder]:
        """The folder and its ancestors, from the top."""
        path: list[Folder] = []
        node = self.nodes.get(folder_id)
        while node is not None:
            path.insert(0, node.folder)
            node = self.nodes.get(node.folder.parent_id)
        return path


def readable_tree(*, school: School, roles: frozenset[str]) -> Tree:
    """The folders open to one of `roles`, each with `n_documents`; one query. A subfolder is never open to more
    roles than its folder (services.py), so the readable ones form a tree of their own."""
    folders = (
        Folder.objects.for_school(school)
        .filter(readable_filter(roles))
        .annotate(n_documents=Count("documents"))
        .order_by("name", "pk")
    )
    nodes = {f.pk: Node(f, 0) for f in folders}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.folder.parent_id)
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)

    def set_depth(items: list[Node], depth: int) -> None:
        for node in items:
            node.depth = depth
            set_depth(node.children, depth + 1)

    set_depth(roots, 0)
    return Tree(nodes, roots)


def folder_documents(*, folder: Folder) -> list[Document]:
    return list(Document.objects.filter(school_id=folder.school_id, folder=folder).select_related("uploaded_by"))


def search_documents(*, school: School, roles: frozenset[str], text: str, limit: int = 50) -> QuerySet[Document]:
    """Documents of readable folders whose title or number has the text."""
    readable = Folder.objects.for_school(school).filter(readable_filter(roles)).values("pk")
    return (
        Document.objects.for_school(school)
        .filter(Q(title__icontains=text) | Q(number__icontains=text), folder_id__in=readable)
        .select_related("folder", "uploaded_by")
        .order_by("title", "pk")[:limit]
    )


@dataclass
class Version:
    history_id: int
    file_name: str
    file_size: int
    uploaded_at: object
    uploaded_by: object


def older_versions(documents: list[Document]) -> dict[int, list[Version]]:
    """Each document's earlier files (the history's rows with another file than today's), newest first; one query.
    `document.versions` is set on each document too."""
    current = {d.pk: d.file.name for d in documents}
    found: dict[int, list[Version]] = {pk: [] for pk in current}
    seen: set[tuple[int, str]] = set()
    rows = (
        Document.history.filter(id__in=list(current))
        .select_related("uploaded_by")
        .order_by("-history_date", "-history_id")
    )
    for row in rows:
        key = (row.id, row.file)
        if row.file == current[row.id] or key in seen:
            continue
        seen.add(key)
        found[row.id].append(Version(row.history_id, row.file_name, row.file_size, row.uploaded_at, row.uploaded_by))
    for document in documents:
        document.versions = found[document.pk]
    return found
