"""Late-change requests and retake protocols (issue 6; included by urls.py, which sets the `gradebook:` namespace)."""

from django.urls import path

from . import views_late_changes as views

urlpatterns = [
    path("late-changes/", views.late_change_list, name="late_change_list"),
    path("courses/<int:course_id>/late-changes/new/", views.late_change_new, name="late_change_new"),
    path("late-changes/<int:request_id>/", views.late_change_detail, name="late_change_detail"),
    path("late-changes/<int:request_id>/scan/", views.late_change_scan, name="late_change_scan"),
    path("late-changes/<int:request_id>/approve/", views.late_change_approve, name="late_change_approve"),
    path("late-changes/<int:request_id>/reject/", views.late_change_reject, name="late_change_reject"),
    path("late-changes/<int:request_id>/withdraw/", views.late_change_withdraw, name="late_change_withdraw"),
    path("courses/<int:course_id>/retakes/new/", views.retake_new, name="retake_new"),
]
