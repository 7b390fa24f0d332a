from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("notes", views.NoteViewSet, basename="note")

app_name = "scopetest"
urlpatterns = [
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("api/notes/", include(router.urls)),
]
