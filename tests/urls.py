"""The test site's URLs: the site's (its error handlers too), plus the throwaway app's
(tests/scopetest)."""

from django.urls import include, path

from battlemap.urls import handler400, handler403, handler404, handler500  # noqa: F401
from battlemap.urls import urlpatterns as site

urlpatterns = [path("", include("tests.scopetest.urls")), *site]
