"""The course's journal grid and the writes of its cells and columns (issue 5)."""

from django.urls import path

from . import views_journal as views

urlpatterns = [
    path("courses/<int:course_id>/journal/", views.journal, name="journal"),
    path("courses/<int:course_id>/journal/print/", views.journal_print, name="journal_print"),
    path("journal/works/<int:work_id>/marks/", views.mark_set, name="mark_set"),
    path("journal/works/<int:work_id>/remove/", views.work_remove, name="work_remove"),
    path("journal/works/<int:work_id>/edit/", views.work_edit, name="work_edit"),
    path("lessons/<int:lesson_id>/works/", views.work_add, name="work_add"),
    path("journal/lessons/<int:lesson_id>/attendance/", views.attendance_set, name="attendance_set"),
    path("journal/lessons/<int:lesson_id>/attendance/taken/", views.attendance_done, name="attendance_taken"),
]
