"""The family's tab of state exam results (R-E12)."""

from django.urls import path

from . import views_exams as views

urlpatterns = [path("diary/<int:pupil_id>/exams/", views.exams, name="exams")]
