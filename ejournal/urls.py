from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("status", views.status, name="status"),
    path("setup/", views.setup, name="setup"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("schedule.urls")),
    path("", include("attendance.urls")),
    path("", include("gradebook.urls")),
    path("", include("diary.urls")),
    path("", include("messaging.urls")),
    path("", include("portfolio.urls")),
    path("", include("documents.urls")),
    path("", include("calendars.urls")),
    path("", include("api.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    # Django's admin is for platform superusers only; schools work in the portal's own pages.
    path("django-admin/", admin.site.urls),
]
