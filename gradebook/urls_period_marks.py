"""Period and year marks of a course (issue 6; included by urls.py, which sets the `gradebook:` namespace)."""

from django.urls import path

from . import views_period_marks as views

urlpatterns = [
    path("courses/<int:course_id>/period-marks/", views.period_marks, name="period_marks"),
    path("courses/<int:course_id>/period-marks/save/", views.period_marks_save_view, name="period_marks_save"),
]
