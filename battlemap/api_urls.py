"""The REST API under /api/v1/, with its OpenAPI schema and browsable docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from battlemap.audit.api import AuditRecordViewSet
from battlemap.board import api as board_api
from battlemap.projects.api import ProjectViewSet
from battlemap.regions.api import RegionViewSet
from battlemap.registry.api import HouseholdViewSet, PersonViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("audit", AuditRecordViewSet, basename="audit")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = [
    path("", include(router.urls)),
    path("board/indicators/", board_api.IndicatorList.as_view(), name="board-indicators"),
    path("board/<str:code>/", board_api.RegionBoard.as_view(), name="board-region"),
    path("board/<str:code>/trend/", board_api.RegionTrend.as_view(), name="board-trend"),
    path("board/<str:code>/geo/", board_api.RegionGeometry.as_view(), name="board-geo"),
    # Logged-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): the schema maps the
    # registry's data model, and a county's installation serves its own staff, not the world.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    # A person reads it in a browser: without a session, to the login page and back.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]
