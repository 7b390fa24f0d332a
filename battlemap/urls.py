"""URL map: pages, the REST API under /api/v1/, the admin, and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from battlemap.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("battlemap.board.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("battlemap.api_urls")),
]
