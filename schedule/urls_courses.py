"""The teaching load (R-B05): the year's courses, a class's and a teacher's load."""

from django.urls import path

from . import views_courses as views

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/add/", views.course_add, name="course_add"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/delete/", views.course_delete, name="course_delete"),
    path("classes/<int:class_id>/load/", views.class_load, name="class_load"),
    path("teachers/load/", views.teacher_loads, name="teacher_loads"),
    path("teachers/<int:user_id>/load/", views.teacher_load, name="teacher_load"),
    path("my/load/", views.my_load, name="my_load"),
]
