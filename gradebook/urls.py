from django.urls import path

from . import urls_journal, urls_worktypes, views

app_name = "gradebook"

urlpatterns = [
    path("my-day/", views.my_day, name="my_day"),
    *urls_worktypes.urlpatterns,
    *urls_journal.urlpatterns,
]
