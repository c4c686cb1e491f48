"""URLs of the weekly summary sheets for families who opted out (issue 9 item 3)."""

from django.urls import path

from . import views_weekly

urlpatterns = [
    path("weekly/", views_weekly.weekly_runs, name="weekly_runs"),
    path("weekly/<int:run_id>/", views_weekly.weekly_run, name="weekly_run"),
    path("weekly/<int:run_id>/retry/", views_weekly.weekly_retry, name="weekly_retry"),
    path("weekly/bundles/<int:bundle_id>/", views_weekly.weekly_bundle, name="weekly_bundle"),
]
