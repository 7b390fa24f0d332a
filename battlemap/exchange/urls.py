from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("registry/template/", views.registry_template, name="registry-template"),
    path("registry/import/", views.registry_import, name="registry-import"),
    path("registry/export/<str:code>/", views.registry_export_view, name="registry-export"),
]
