from django.urls import path

from . import urls_classes, urls_credentials, urls_imports, urls_people, urls_years, views

app_name = "schedule"

urlpatterns = [
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    *urls_years.urlpatterns,
    *urls_classes.urlpatterns,
    *urls_people.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_credentials.urlpatterns,
]
