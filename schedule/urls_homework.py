"""Homework of a lesson and its files."""

from django.urls import path

from . import views_homework as views

urlpatterns = [
    path("lessons/<int:lesson_id>/homework/", views.homework_set, name="homework_set"),
    path("lessons/<int:lesson_id>/homework/clear/", views.homework_clear, name="homework_clear"),
    path("lessons/<int:lesson_id>/homework/files/", views.homework_file_add, name="homework_file_add"),
    path("homework/files/<int:file_id>/", views.homework_file, name="homework_file"),
    path("homework/files/<int:file_id>/remove/", views.homework_file_remove, name="homework_file_remove"),
]
