"""Lessons: generating them from the timetable, one lesson's page and its changes, substitutions (R-C04..R-C07)."""

from django.urls import path

from . import views_lessons as views

urlpatterns = [
    path("lessons/generate/", views.lessons_generate, name="lessons_generate"),
    path("lessons/<int:lesson_id>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:lesson_id>/topic/", views.lesson_topic, name="lesson_topic"),
    path("lessons/<int:lesson_id>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:lesson_id>/cancel/", views.lesson_cancel, name="lesson_cancel"),
    path("lessons/<int:lesson_id>/restore/", views.lesson_restore, name="lesson_restore"),
    path("lessons/<int:lesson_id>/delete/", views.lesson_delete, name="lesson_delete"),
    path("courses/<int:course_id>/lessons/add/", views.lesson_add, name="lesson_add"),
    path("substitutions/", views.substitutions, name="substitutions"),
    path("substitutions/log/", views.substitution_log, name="substitution_log"),
    path("lessons/<int:lesson_id>/substitute/", views.substitution_set, name="substitution_set"),
    path("lessons/<int:lesson_id>/substitute/remove/", views.substitution_remove, name="substitution_remove"),
]
