"""People: staff, pupils, parents, their consents and links."""

from django.urls import path

from . import views_people as views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/add/staff/", views.staff_add, name="staff_add"),
    path("people/add/pupil/", views.pupil_add, name="pupil_add"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/consents/", views.consent_add, name="consent_add"),
    path("people/<int:person_id>/diary-choice/", views.diary_choice, name="diary_choice"),
    path("people/<int:pupil_id>/guardians/add/", views.guardian_add, name="guardian_add"),
    path("people/<int:pupil_id>/guardians/link/", views.guardian_link, name="guardian_link"),
]
