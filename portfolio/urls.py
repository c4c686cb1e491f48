"""Portfolios (R-I14): the pupil's page lives in the diary's paths (`pupil_id` first, as every diary page about a
pupil); the staff's writes and the deputy's report under /portfolio/."""

from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("diary/<int:pupil_id>/portfolio/", views.pupil, name="pupil"),
    path("diary/<int:pupil_id>/portfolio/new/", views.achievement_new, name="achievement_new"),
    path("diary/<int:pupil_id>/portfolio/<int:achievement_id>/scan/", views.scan, name="scan"),
    path("portfolio/", views.report, name="report"),
    path("portfolio/class/<int:class_id>/", views.school_class, name="class"),
    path("portfolio/<int:achievement_id>/edit/", views.achievement_edit, name="achievement_edit"),
    path("portfolio/<int:achievement_id>/delete/", views.achievement_delete, name="achievement_delete"),
]
