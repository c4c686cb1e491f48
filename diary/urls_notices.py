from django.urls import path

from . import views_notices as views

urlpatterns = [
    path("diary/notifications/", views.notifications, name="notifications"),
    path("classes/<int:class_id>/silent-parents/", views.silent_parents, name="silent_parents"),
]
