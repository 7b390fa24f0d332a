"""What the menu offers: `may.view_audit`, `may.manage_users`… for the current user."""

from .permissions import Action, user_can_anywhere


class _May:
    """Looked up lazily, so pages that do not ask pay nothing."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, action: str) -> bool:
        if action not in Action.values:
            raise KeyError(action)
        return user_can_anywhere(self.user, action)


def permissions(request):
    return {"may": _May(getattr(request, "user", None))}
