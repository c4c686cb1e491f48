from django.urls import include, path

from . import views, views_index, views_jobs, views_remarks

app_name = "reports"

urlpatterns = [
    path("control/", views.control, name="control"),
    # Remarks of journal control (R-J02).
    path("courses/<int:course_id>/remarks/add/", views_remarks.remark_add, name="remark_add"),
    path("remarks/", views_remarks.remark_list, name="remark_list"),
    path("remarks/<int:remark_id>/", views_remarks.remark_detail, name="remark_detail"),
    path("remarks/<int:remark_id>/done/", views_remarks.remark_done, name="remark_done"),
    path("remarks/<int:remark_id>/reopen/", views_remarks.remark_reopen, name="remark_reopen"),
    path("reports/", views_index.index, name="index"),
    # Reports built in the background.
    path("reports/jobs/<int:job_id>/", views_jobs.job_detail, name="job_detail"),
    path("reports/jobs/<int:job_id>/download/", views_jobs.job_download, name="job_download"),
    # Issue 9: each part of the reports in its own module.
    path("", include("reports.urls_fill_rate")),
    path("", include("reports.urls_sheets")),
    path("", include("reports.urls_class")),
    path("", include("reports.urls_year")),
    path("", include("reports.urls_weekly")),
    path("", include("reports.urls_i12")),
]
