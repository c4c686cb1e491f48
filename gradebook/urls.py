from django.urls import path

from . import (
    urls_appeals,
    urls_exams,
    urls_journal,
    urls_late_changes,
    urls_period_marks,
    urls_submissions,
    urls_worktypes,
    views,
)

app_name = "gradebook"

urlpatterns = [
    path("my-day/", views.my_day, name="my_day"),
    *urls_worktypes.urlpatterns,
    *urls_journal.urlpatterns,
    *urls_period_marks.urlpatterns,
    *urls_late_changes.urlpatterns,
    *urls_appeals.urlpatterns,
    *urls_submissions.urlpatterns,
    *urls_exams.urlpatterns,
]
