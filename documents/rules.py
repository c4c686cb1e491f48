"""Who reads and who keeps the school's document store (R-G06; seed 004 §3.1 п.6, §4.1 п.14).

Staff read the folders open to one of their roles (a folder names the roles among admin, director, deputy and
teacher; all staff by default). The administration (admin, director, deputy) keeps the store: folders, uploads,
replacements and removals, in the folders they read themselves. Pupils and parents never see it (R-A06, R-A07).

A subfolder is never open to more roles than its folder (services.py keeps it so): a folder's own flags are the
whole answer, and the readable folders are one filter. The predicates read the per-request cache of
accounts.access: no query.
"""

import rules
from django.db.models import Q

from accounts.access import access
from accounts.models import STAFF_ROLES, Role

MANAGER_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY})
FOLDER_ROLES = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)


def staff_roles(user, school_id: int | None) -> frozenset[str]:
    return access(user).roles_in(school_id) & STAFF_ROLES


def readable_filter(roles: frozenset[str]) -> Q:
    """A Q over folders (prefix-free) open to one of these roles; nothing for no staff role."""
    where = Q(pk__in=[])
    for role in FOLDER_ROLES:
        if role in roles:
            where |= Q(**{f"for_{role}": True})
    return where


def may_read(user, folder) -> bool:
    if folder is None:
        return False
    return bool(staff_roles(user, folder.school_id) & folder.reader_roles)


def may_manage(user, folder) -> bool:
    return may_read(user, folder) and bool(access(user).roles_in(folder.school_id) & MANAGER_ROLES)


def is_manager_in(user, school_id: int | None) -> bool:
    return bool(access(user).roles_in(school_id) & MANAGER_ROLES)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(staff_roles(user, None))


@rules.predicate
def is_store_manager(user) -> bool:
    return is_manager_in(user, None)


@rules.predicate
def reads_folder(user, folder) -> bool:
    return may_read(user, folder)


@rules.predicate
def manages_folder(user, folder) -> bool:
    return may_manage(user, folder)


@rules.predicate
def reads_document(user, document) -> bool:
    return document is not None and may_read(user, document.folder)


@rules.predicate
def manages_document(user, document) -> bool:
    return document is not None and may_manage(user, document.folder)


rules.add_perm("documents.view_store", is_staff_member)
rules.add_perm("documents.manage_store", is_store_manager)
rules.add_perm("documents.view_folder", reads_folder)
rules.add_perm("documents.manage_folder", manages_folder)
rules.add_perm("documents.view_document", reads_document)
rules.add_perm("documents.change_document", manages_document)
