from django.urls import path

from . import views_changes

urlpatterns = [
    path("audit/changes/", views_changes.changes, name="changes"),
    path("audit/changes/export/", views_changes.changes_export, name="changes_export"),
]
