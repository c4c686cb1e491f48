from django.urls import path

from . import views_class

urlpatterns = [
    # Class reports (issue 9, item 4; R-J03, R-J05): `?format=pdf|xlsx` for the files.
    path("reports/classes/", views_class.class_reports, name="class_reports"),
    path("reports/classes/export/", views_class.class_reports_export, name="class_reports_export"),
    path("reports/classes/<int:class_id>/performance/", views_class.class_performance, name="class_performance"),
    path("reports/classes/<int:class_id>/attendance/", views_class.class_attendance, name="class_attendance"),
    # The risk list (item 7): one class (`?class=`) or the whole school; the school's file is built in the background.
    path("reports/risk/", views_class.risk, name="risk"),
    path("reports/risk/export/", views_class.risk_export, name="risk_export"),
]
