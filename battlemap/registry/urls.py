"""The registry's pages (their JSON is under /api/v1/households/ and /api/v1/persons/)."""

from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("map/<str:code>/households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_file, name="household"),
    path("households/<int:pk>/reveal/", views.household_reveal, name="household-reveal"),
]
