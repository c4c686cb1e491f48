from django.urls import path

from . import (
    urls_classes,
    urls_courses,
    urls_credentials,
    urls_homework,
    urls_imports,
    urls_lessons,
    urls_materials,
    urls_people,
    urls_plans,
    urls_timetable,
    urls_years,
    views,
)

app_name = "schedule"

urlpatterns = [
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    *urls_years.urlpatterns,
    *urls_classes.urlpatterns,
    *urls_people.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_credentials.urlpatterns,
    *urls_courses.urlpatterns,
    *urls_timetable.urlpatterns,
    *urls_lessons.urlpatterns,
    *urls_homework.urlpatterns,
    *urls_materials.urlpatterns,
    *urls_plans.urlpatterns,
]
