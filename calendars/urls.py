"""The calendar feed (issue 12 item 4): the token URL that calendar apps read, and one POST URL per action on one's
own link from the profile page."""

from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("calendar/feed/create/", views.feed_create, name="feed_create"),
    path("calendar/feed/reset/", views.feed_reset, name="feed_reset"),
    path("calendar/feed/revoke/", views.feed_revoke, name="feed_revoke"),
]
