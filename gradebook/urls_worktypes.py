"""Work types and their weights (included by urls.py, which sets the `gradebook:` namespace)."""

from django.urls import path

from . import views_worktypes as views

urlpatterns = [
    path("setup/work-types/", views.worktype_list, name="worktype_list"),
    path("setup/work-types/add/", views.worktype_add, name="worktype_add"),
    path("setup/work-types/add-usual/", views.worktype_add_usual, name="worktype_add_usual"),
    path("setup/work-types/<int:work_type_id>/edit/", views.worktype_edit, name="worktype_edit"),
    path("setup/work-types/<int:work_type_id>/delete/", views.worktype_delete, name="worktype_delete"),
]
