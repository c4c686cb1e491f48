from django.urls import path

from . import views, views_docs, views_tokens

app_name = "api"

urlpatterns = [
    path("api/", views_docs.docs, name="docs"),
    path("api/tokens/create/", views_tokens.token_create, name="token_create"),
    path("api/tokens/<int:token_id>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    path("api/v1/schema/", views_docs.SchemaView.as_view(), name="schema"),
    path("api/v1/pupils/", views.PupilsView.as_view(), name="pupils"),
    path("api/v1/pupils/<int:pupil_id>/week/", views.WeekView.as_view(), name="week"),
    path("api/v1/pupils/<int:pupil_id>/marks/", views.MarksView.as_view(), name="marks"),
    path("api/v1/pupils/<int:pupil_id>/homework/", views.HomeworkView.as_view(), name="homework"),
    path("api/v1/pupils/<int:pupil_id>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("api/v1/pupils/<int:pupil_id>/period-marks/", views.PeriodMarksView.as_view(), name="period_marks"),
    path("api/v1/pupils/<int:pupil_id>/files/<int:file_id>/", views.FileView.as_view(), name="file"),
]
