from django.urls import path

from . import views
from .kinds import KINDS

app_name = "exchange"
urlpatterns = []
for _name in KINDS:
    urlpatterns += [
        path(f"{_name}/template/", views.template, {"kind": _name}, name=f"{_name}-template"),
        path(f"{_name}/import/", views.upload, {"kind": _name}, name=f"{_name}-import"),
        path(f"{_name}/export/<str:code>/", views.export, {"kind": _name}, name=f"{_name}-export"),
    ]
