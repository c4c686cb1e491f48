from django.urls import include, path

app_name = "audit"

urlpatterns = [
    # Issue 10: the mark-change report, the audit log.
    path("", include("audit.urls_changes")),
    path("", include("audit.urls_log")),
    path("", include("audit.urls_archive")),
]
