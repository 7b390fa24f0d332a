"""The battle map's pages; their JSON is under /api/v1/board/ (battlemap/api_urls.py)."""

from django.urls import path

from . import bulletin_views, views

app_name = "board"

urlpatterns = [
    path("map/<str:code>/", views.region_map, name="map"),
    path("screen/<str:code>/", views.region_screen, name="screen"),
    path("bulletins/", bulletin_views.bulletin_list, name="bulletins"),
    path("bulletins/generate/", bulletin_views.bulletin_create, name="bulletin-generate"),
    path("bulletins/<int:pk>/", bulletin_views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/docx/", bulletin_views.bulletin_download, name="bulletin-docx"),
]
