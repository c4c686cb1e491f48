from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("diary/", views.home, name="home"),
    path("diary/<int:pupil_id>/", views.pupil, name="pupil"),
]
