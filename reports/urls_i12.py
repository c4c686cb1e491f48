from django.urls import path

from . import views_activity, views_council, views_publish, views_workload

urlpatterns = [
    # Issue 12: user activity (R-J10), pupils' workload (R-J12), files for the website (R-J16), the council (R-J17).
    path("reports/activity/", views_activity.activity_report, name="activity"),
    path("reports/activity/staff/", views_activity.activity_staff, name="activity_staff"),
    path("reports/workload/", views_workload.workload_report, name="workload"),
    path("reports/council/", views_council.council, name="council_report"),
    path("reports/published/", views_publish.published, name="published"),
    path("reports/published/add/", views_publish.publish, name="publish"),
    path("reports/published/<int:report_id>/download/", views_publish.published_download, name="published_download"),
]
