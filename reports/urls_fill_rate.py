from django.urls import path

from . import views_fill_rate

# Journal control (fill rate, issue 9 item 1): the school level is reports:control (reports/urls.py).
urlpatterns: list = [
    path("control/classes/<int:class_id>/", views_fill_rate.fill_rate_class, name="fill_rate_class"),
    path("control/courses/<int:course_id>/", views_fill_rate.fill_rate_course, name="fill_rate_course"),
    path("control/lessons/", views_fill_rate.fill_rate_lessons, name="fill_rate_lessons"),
    path("control/pupils/", views_fill_rate.fill_rate_pupils, name="fill_rate_pupils"),
    path("control/export/", views_fill_rate.fill_rate_export, name="fill_rate_export"),
    path("control/export/school/", views_fill_rate.fill_rate_export_start, name="fill_rate_export_start"),
]
