"""Password login with the lockout: the only authentication backend."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout


class LockoutModelBackend(ModelBackend):
    """Django's username/password check, refused while the username is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        if lockout.locked_until(username) is not None:
            # Stops authenticate() here: not even the right password gets in.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.login_failed(username, request)
        else:
            lockout.login_succeeded(username)
        return user
