"""Credentials: logins and temporary passwords on slips or by email (R-B11..B15)."""

from django.urls import path

from . import views_credentials as views

urlpatterns = [
    path("credentials/class/<int:class_id>/", views.class_credentials, name="credentials_class"),
    path("credentials/class/<int:class_id>/print/", views.class_credentials_print, name="credentials_class_print"),
    path("credentials/class/<int:class_id>/email/", views.class_credentials_email, name="credentials_class_email"),
    path("credentials/staff/", views.staff_credentials, name="credentials_staff"),
    path("credentials/staff/print/", views.staff_credentials_print, name="credentials_staff_print"),
    path("credentials/staff/email/", views.staff_credentials_email, name="credentials_staff_email"),
    path("credentials/person/<int:user_id>/", views.person_credentials, name="credentials_person"),
    path("credentials/person/<int:user_id>/print/", views.person_credentials_print, name="credentials_person_print"),
    path("credentials/person/<int:user_id>/email/", views.person_credentials_email, name="credentials_person_email"),
]
