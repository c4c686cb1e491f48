"""News and the events calendar (R-I09, R-I10): the staff keep them, families read them in the diary."""

from django.urls import path

from . import views_news as views

urlpatterns = [
    path("diary/<int:pupil_id>/news/", views.family_news, name="news"),
    path("news/", views.news_list, name="news_list"),
    path("news/new/", views.news_new, name="news_new"),
    path("news/<int:news_id>/edit/", views.news_edit, name="news_edit"),
    path("news/<int:news_id>/delete/", views.news_delete, name="news_delete"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/delete/", views.event_delete, name="event_delete"),
]
