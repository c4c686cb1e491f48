"""The year's structure: years, study periods, holidays, bell schedules and subjects (included by urls.py, which
sets the `schedule:` namespace)."""

from django.urls import path

from . import views_years as views

urlpatterns = [
    path("setup/structure/", views.structure, name="structure"),
    path("setup/years/", views.year_list, name="year_list"),
    path("setup/years/add/", views.year_add, name="year_add"),
    path("setup/years/<int:year_id>/", views.year_detail, name="year_detail"),
    path("setup/years/<int:year_id>/edit/", views.year_edit, name="year_edit"),
    path("setup/years/<int:year_id>/delete/", views.year_delete, name="year_delete"),
    path("setup/years/<int:year_id>/fill-usual/", views.year_fill_usual, name="year_fill_usual"),
    path("setup/years/<int:year_id>/periods/add/", views.period_add, name="period_add"),
    path("setup/periods/<int:period_id>/edit/", views.period_edit, name="period_edit"),
    path("setup/periods/<int:period_id>/delete/", views.period_delete, name="period_delete"),
    path("setup/years/<int:year_id>/holidays/add/", views.holiday_add, name="holiday_add"),
    path("setup/holidays/<int:holiday_id>/edit/", views.holiday_edit, name="holiday_edit"),
    path("setup/holidays/<int:holiday_id>/delete/", views.holiday_delete, name="holiday_delete"),
    path("setup/bells/", views.bell_list, name="bell_list"),
    path("setup/bells/add/", views.bell_schedule_add, name="bell_schedule_add"),
    path("setup/bells/<int:schedule_id>/", views.bells_edit, name="bells_edit"),
    path("setup/bells/<int:schedule_id>/rename/", views.bell_schedule_rename, name="bell_schedule_rename"),
    path("setup/bells/<int:schedule_id>/delete/", views.bell_schedule_delete, name="bell_schedule_delete"),
    path("setup/subjects/", views.subject_list, name="subject_list"),
    path("setup/subjects/add/", views.subject_add, name="subject_add"),
    path("setup/subjects/<int:subject_id>/edit/", views.subject_edit, name="subject_edit"),
    path("setup/subjects/<int:subject_id>/delete/", views.subject_delete, name="subject_delete"),
]
