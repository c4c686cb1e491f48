from django.urls import path

from . import views_log

urlpatterns = [
    path("audit/log/", views_log.log, name="log"),
]
