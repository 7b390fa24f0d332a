"""API plumbing shared by every app: DomainError → 400/409 with the user's message."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict, DomainError, Forbidden, NotFound


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
