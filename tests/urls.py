"""The test site's URLs: the site's, plus the throwaway app's (tests/scopetest)."""

from django.urls import include, path

from battlemap.urls import urlpatterns as site

urlpatterns = [path("", include("tests.scopetest.urls")), *site]
