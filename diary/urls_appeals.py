"""One mark in the diary and the family's report of it (issue 7, R-I11; included by urls.py: `diary:`)."""

from django.urls import path

from . import views_appeals as views

urlpatterns = [
    path("diary/<int:pupil_id>/marks/<int:work_id>/", views.mark, name="mark"),
    path("diary/<int:pupil_id>/marks/<int:work_id>/appeal/", views.appeal_new, name="appeal_new"),
]
