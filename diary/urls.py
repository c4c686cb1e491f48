from django.urls import path

from . import urls_appeals, urls_exams, urls_news, urls_notices, urls_sms, urls_submissions, urls_week, views

app_name = "diary"

# Every page about one pupil carries `pupil_id` in its path: the scope a family may reach is checked first, and
# tests/diary/test_privacy.py walks each such URL with every other pupil's ids.
urlpatterns = [
    path("diary/", views.home, name="home"),
    *urls_week.urlpatterns,
    *urls_appeals.urlpatterns,
    *urls_news.urlpatterns,
    *urls_notices.urlpatterns,
    *urls_sms.urlpatterns,
    *urls_submissions.urlpatterns,
    *urls_exams.urlpatterns,
]
