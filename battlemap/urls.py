"""URL map: pages, the REST API under /api/v1/, the admin, and language switching.

Every URL here is classified in tests/security/endpoints.py (public, or scoped with the
persona matrix): the suite fails on a URL nobody classified.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from battlemap.accounts.forms import AdminLoginForm
from battlemap.accounts.views import LoginView
from battlemap.core import views as core_views

# The admin's login takes the same lockout as the login page.
admin.site.login_form = AdminLoginForm
# The admin wears the platform's name, not "Django 管理".
admin.site.site_header = _("挂图作战 管理")
admin.site.site_title = _("挂图作战 管理")
admin.site.index_title = _("后台管理")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("battlemap.registry.urls")),
    path("", include("battlemap.board.urls")),
    path("", include("battlemap.projects.urls")),
    path("", include("battlemap.accounts.urls")),
    path("audit/", include("battlemap.audit.urls")),
    path("", include("battlemap.jobs.urls")),
    path("exchange/", include("battlemap.exchange.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("battlemap.api_urls")),
]

# Error pages in the site's frame and language (battlemap/core/error_pages.py).
handler400 = "battlemap.core.error_pages.bad_request"
handler403 = "battlemap.core.error_pages.permission_denied"
handler404 = "battlemap.core.error_pages.page_not_found"
handler500 = "battlemap.core.error_pages.server_error"
