from django.urls import path

from . import views

urlpatterns = [
    path("diary/<int:pupil_id>/", views.pupil, name="pupil"),
    path("diary/<int:pupil_id>/marks/", views.marks, name="marks"),
    path("diary/<int:pupil_id>/homework/", views.homework, name="homework"),
    path("diary/<int:pupil_id>/homework/files/<int:file_id>/", views.homework_file, name="homework_file"),
]
