"""API tokens: `Authorization: Token <token>`. The token acts as its user, scoped alike."""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORD = "Token"


def token_digest(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenAuthentication(authentication.BaseAuthentication):
    """A live token of an active user; revoked or unknown tokens are refused (401)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("令牌格式不正确：应为 Authorization: Token <令牌>。")
            )
        try:
            token = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            # At most one write every five minutes per token, not one per request.
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user, row

    def authenticate_header(self, request):
        return KEYWORD


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "battlemap.accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "接口令牌：Authorization: Token <令牌>（battlemap create_api_token 用户名）"
            ),
        }
