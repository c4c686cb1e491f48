"""The school's time rules (included by urls.py, which sets the `accounts:` namespace): /accounts/rules/."""

from django.urls import path

from . import views_settings as views

urlpatterns = [
    path("rules/", views.rules, name="rules"),
]
