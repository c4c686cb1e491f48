"""Teaching materials of a lesson (R-G03)."""

from django.urls import path

from . import views_materials as views

urlpatterns = [
    path("lessons/<int:lesson_id>/materials/", views.materials, name="materials"),
    path("lessons/<int:lesson_id>/materials/add/", views.material_add, name="material_add"),
    path("materials/<int:material_id>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:material_id>/remove/", views.material_remove, name="material_remove"),
    path("materials/<int:material_id>/file/", views.material_file, name="material_file"),
]
