"""Handed-in work of electronic tasks (R-G04), the teacher's side."""

from django.urls import path

from . import views_submissions as views

urlpatterns = [
    path("homework/<int:homework_id>/submissions/", views.submissions, name="submissions"),
    path("submissions/<int:submission_id>/", views.submission, name="submission"),
    path("submissions/<int:submission_id>/comment/", views.submission_comment, name="submission_comment"),
    path("submissions/<int:submission_id>/mark/", views.submission_mark, name="submission_mark"),
    path("submissions/files/<int:file_id>/", views.submission_file, name="submission_file"),
]
