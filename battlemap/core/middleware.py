"""Language choice: Simplified Chinese unless the user switched, whatever the browser says.

Django's LocaleMiddleware follows Accept-Language, which would show English to a
cadre whose office browser happens to be set to English.
"""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has
    no CSP of its own). The policy allows scripts and styles from Battlemap only: every
    page passes its data through json_script and data- attributes, never inline code."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
