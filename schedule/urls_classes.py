"""Classes, enrollments, groups and the year's close."""

from django.urls import path

from . import views_classes as views

urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/add/", views.class_add, name="class_add"),
    path("classes/<int:class_id>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:class_id>/enroll/", views.class_enroll, name="class_enroll"),
    path("classes/<int:class_id>/move/", views.pupil_move, name="pupil_move"),
    path("classes/<int:class_id>/leave/", views.pupil_leave, name="pupil_leave"),
    path("classes/<int:class_id>/education/", views.pupil_education_form, name="pupil_education_form"),
    path("classes/<int:class_id>/groups/add/", views.group_add, name="group_add"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/add/", views.group_add_cross, name="group_add_cross"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/members/", views.group_members, name="group_members"),
    path("setup/years/<int:year_id>/close/", views.year_close, name="year_close"),
]
