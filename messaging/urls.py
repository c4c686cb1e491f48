"""Internal mail (R-I08)."""

from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.new, name="new"),
    path("messages/email/", views.email_settings, name="settings"),
    path("messages/<int:thread_id>/", views.thread, name="thread"),
    path("messages/<int:thread_id>/reply/", views.reply, name="reply"),
    path("messages/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
