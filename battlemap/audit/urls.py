"""The audit trail's pages; the API is /api/v1/audit/ (battlemap/api_urls.py)."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("<int:pk>/", views.audit_detail, name="detail"),
]
