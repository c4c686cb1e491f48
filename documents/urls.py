"""The school's document store (R-G06): staff only; every file leaves through a permission-checked download."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/folders/new/", views.folder_new, name="folder_new"),
    path("documents/folders/<int:folder_id>/", views.folder, name="folder"),
    path("documents/folders/<int:folder_id>/edit/", views.folder_edit, name="folder_edit"),
    path("documents/folders/<int:folder_id>/delete/", views.folder_delete, name="folder_delete"),
    path("documents/folders/<int:folder_id>/upload/", views.document_new, name="document_new"),
    path("documents/<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:document_id>/delete/", views.document_delete, name="document_delete"),
    path("documents/<int:document_id>/download/", views.document_download, name="document_download"),
    path(
        "documents/<int:document_id>/versions/<int:history_id>/download/",
        views.version_download,
        name="version_download",
    ),
]
