"""Import and export of staff, pupils and parents (R-B08)."""

from django.urls import path

from . import views_imports as views

urlpatterns = [
    path("people/import/", views.import_upload, name="import_upload"),
    path("people/import/<int:job_id>/", views.import_preview, name="import_preview"),
    path("people/import/<int:job_id>/apply/", views.import_apply, name="import_apply"),
    path("people/import/template/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("people/export/", views.export_index, name="export_index"),
    path("people/export/staff.<slug:fmt>", views.export_staff, name="export_staff"),
    path("people/export/pupils.<slug:fmt>", views.export_pupils, name="export_pupils"),
    path(
        "people/export/classes/<int:class_id>/pupils.<slug:fmt>",
        views.export_class_pupils,
        name="export_class_pupils",
    ),
]
