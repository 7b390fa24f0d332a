"""Password login with the lockout: the only authentication backend."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout


class LockoutModelBackend(ModelBackend):
    """Django's username/password check, refused while the username is locked or its
    address has failed too often. The attempt is counted before the password is checked,
    so parallel attempts cannot get more checks than the lockout allows."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        attempt = lockout.attempt_begin(username, request)
        if attempt is None:
            # Stops authenticate() here: not even the right password gets in.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.attempt_failed(attempt, request)
        else:
            lockout.attempt_succeeded(attempt)
        return user
