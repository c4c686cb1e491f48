"""Mark appeals, the teacher's side (issue 7; included by urls.py, which sets the `gradebook:` namespace)."""

from django.urls import path

from . import views_appeals as views

urlpatterns = [
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:appeal_id>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:appeal_id>/answer/", views.appeal_answer, name="appeal_answer"),
]
