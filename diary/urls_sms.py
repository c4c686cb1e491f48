from django.urls import path

from . import views_sms as views

urlpatterns = [
    path("diary/sms/", views.sms_list, name="sms_list"),
    path("diary/sms/<int:sms_id>/retry/", views.sms_retry, name="sms_retry"),
]
