"""The timetable: a class's editor (R-C01, R-C03), the weeks of a class, a teacher and a room, and their PDFs."""

from django.urls import path

from . import views_timetable as views

urlpatterns = [
    path("timetable/", views.timetable_index, name="timetable_index"),
    path("classes/<int:class_id>/timetable/", views.timetable_class, name="timetable_class"),
    path("classes/<int:class_id>/timetable/add/", views.timetable_entry_add, name="timetable_entry_add"),
    path("timetable/<int:entry_id>/change/", views.timetable_entry_change, name="timetable_entry_change"),
    path("timetable/<int:entry_id>/end/", views.timetable_entry_end, name="timetable_entry_end"),
    path("classes/<int:class_id>/week/", views.week_class, name="week_class"),
    path("classes/<int:class_id>/week.pdf", views.week_class_pdf, name="week_class_pdf"),
    path("teachers/<int:user_id>/week/", views.week_teacher, name="week_teacher"),
    path("teachers/<int:user_id>/week.pdf", views.week_teacher_pdf, name="week_teacher_pdf"),
    path("rooms/week/", views.week_room, name="week_room"),
    path("rooms/week.pdf", views.week_room_pdf, name="week_room_pdf"),
]
