from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="detail"),
    path("jobs/<uuid:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<uuid:pk>/files/<str:name>", views.job_file, name="file"),
]
