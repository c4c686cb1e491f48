"""Electronic tasks and teaching materials in the diary (R-G03, R-G04; included by urls.py: `diary:`)."""

from django.urls import path

from . import views_submissions as views

urlpatterns = [
    path("diary/<int:pupil_id>/tasks/<int:homework_id>/", views.task, name="task"),
    path("diary/<int:pupil_id>/tasks/<int:homework_id>/submit/", views.task_submit, name="task_submit"),
    path("diary/<int:pupil_id>/tasks/files/<int:file_id>/", views.task_file, name="task_file"),
    path("diary/<int:pupil_id>/tasks/files/<int:file_id>/remove/", views.task_file_remove, name="task_file_remove"),
    path("diary/<int:pupil_id>/materials/<int:material_id>/", views.material_file, name="material_file"),
]
