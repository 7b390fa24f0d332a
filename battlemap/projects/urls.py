"""Project pages: the library, one battle map per project, the daily report form."""

from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_new, name="create"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/report/", views.report_create, name="report"),
    path("projects/<int:pk>/stage/", views.project_advance, name="advance"),
    path("projects/<int:pk>/notices/", views.project_notice, name="notice"),
    path("projects/<int:pk>/funds/", views.project_funds, name="funds"),
    path("projects/<int:pk>/milestones/", views.milestone_create, name="milestone-add"),
    path(
        "projects/<int:pk>/milestones/<int:milestone>/done/",
        views.milestone_done,
        name="milestone-done",
    ),
]
