from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("control/", views.control, name="control"),
]
