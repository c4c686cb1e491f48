from django.urls import path

from . import views_archive

urlpatterns = [
    path("audit/archive/", views_archive.archive_list, name="archive"),
    path("audit/archive/<int:year_id>/build/", views_archive.archive_build, name="archive_build"),
    path("audit/archive/<int:year_id>/download/", views_archive.archive_download, name="archive_download"),
]
