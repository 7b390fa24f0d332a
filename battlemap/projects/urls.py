"""Project pages: the library, one battle map per project, the daily report form."""

from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/report/", views.report_create, name="report"),
]
