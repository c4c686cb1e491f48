from django.urls import path

from . import views_year

urlpatterns = [
    # Period and year sheets, the medal sheet, the journal printout (issue 9, items 5 and 6; R-J13..R-J15).
    path("reports/year/", views_year.year_reports, name="year_reports"),
    path("reports/classes/<int:class_id>/final-marks/", views_year.final_marks, name="final_marks"),
    path("reports/medals/", views_year.medal_sheet, name="medal_sheet"),
    path("reports/courses/<int:course_id>/printout/", views_year.course_printout, name="course_printout"),
    path("reports/classes/<int:class_id>/printout/", views_year.class_printout, name="class_printout"),
]
