"""URLs of the summary sheets (issue 9 item 2)."""

from django.urls import path

from . import views_sheets

urlpatterns = [
    path("sheets/pupils/<int:pupil_id>/", views_sheets.pupil_sheet_view, name="pupil_sheet"),
    path("sheets/pupils/<int:pupil_id>/pdf/", views_sheets.pupil_sheet_pdf, name="pupil_sheet_pdf"),
    path("sheets/classes/<int:class_id>/", views_sheets.class_sheets_view, name="class_sheets"),
    path("sheets/classes/<int:class_id>/pdf/", views_sheets.class_sheets_pdf, name="class_sheets_pdf"),
]
