"""Attendance: the class's day (R-H04), one pupil's mark on a lesson (R-H01), notices of several days (R-H03)."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("classes/<int:class_id>/attendance/", views.class_day_page, name="class_day"),
    path("classes/<int:class_id>/attendance/notice/", views.notice_add, name="notice_add"),
    path("attendance/notices/<int:notice_id>/delete/", views.notice_delete, name="notice_delete"),
    path("lessons/<int:lesson_id>/absences/", views.absence_set, name="absence_set"),
    path("lessons/<int:lesson_id>/absences/clear/", views.absence_clear, name="absence_clear"),
]
