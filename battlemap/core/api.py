"""API plumbing shared by every app: DomainError → 400/409 with the user's message, and
the ETag / If-Match of versioned records."""

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict, DomainError, Forbidden, NotFound, StaleWrite


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, Conflict):
            code = status.HTTP_409_CONFLICT
        elif isinstance(exc, NotFound):
            code = status.HTTP_404_NOT_FOUND
        elif isinstance(exc, Forbidden):
            code = status.HTTP_403_FORBIDDEN
        body = {"detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=code)
    return drf_exception_handler(exc, context)


class PreconditionFailed(APIException):
    """`If-Match` named a version that is no longer the record's (RFC 9110: 412)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = StaleWrite.default_message
    default_code = "precondition_failed"


def version_etag(version: int) -> str:
    """The ETag of a versioned record: its `version`, which every write increments. It names
    the record's version (what PATCH compares), not the bytes of one representation."""
    return f'"{version}"'


def if_match_version(request, current: int) -> int | None:
    """The version `If-Match` names, None without the header (or with `*`); 412 when it
    names no current version. Compared strongly, as RFC 9110 wants for If-Match: a weak
    ETag (`W/"…"`) never matches."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    if version_etag(current) not in [tag.strip() for tag in header.split(",")]:
        raise PreconditionFailed()
    return current
