"""Thematic plans (КТП, R-C08, R-J07)."""

from django.urls import path

from . import views_plans as views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/sample.xlsx", views.plan_sample, name="plan_sample"),
    path("courses/<int:course_id>/plan/", views.plan, name="plan"),
    path("courses/<int:course_id>/plan/upload/", views.plan_upload, name="plan_upload"),
    path("courses/<int:course_id>/plan/confirm/", views.plan_confirm, name="plan_confirm"),
    path("courses/<int:course_id>/plan/apply/", views.plan_apply, name="plan_apply"),
    path("courses/<int:course_id>/plan.xlsx", views.plan_export, name="plan_export"),
]
