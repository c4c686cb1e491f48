"""State exam results (R-E12) and the attestation of pupils in family or self-education (R-E11)."""

from django.urls import path

from . import views_exams as views

urlpatterns = [
    path("exams/", views.exam_results, name="exam_results"),
    path("exams/class/<int:class_id>/", views.class_exams, name="class_exams"),
    path("exams/class/<int:class_id>/add/", views.exam_result_add, name="exam_result_add"),
    path("exams/<int:result_id>/edit/", views.exam_result_edit, name="exam_result_edit"),
    path("exams/<int:result_id>/delete/", views.exam_result_delete, name="exam_result_delete"),
    path("attestation/family/", views.family_classes, name="family_classes"),
    path("attestation/family/class/<int:class_id>/", views.family_attestation, name="family_attestation"),
    path(
        "attestation/family/class/<int:class_id>/record/",
        views.family_attestation_record,
        name="family_attestation_record",
    ),
]
