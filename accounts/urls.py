from django.contrib.auth import views as auth_views
from django.urls import path

from . import urls_settings, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SchoolLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("school/", views.school_switch, name="school_switch"),
    path("welcome/", views.welcome, name="welcome"),
    *urls_settings.urlpatterns,
]
