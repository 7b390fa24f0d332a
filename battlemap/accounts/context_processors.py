"""What the menu offers: `may.view_audit`, `may.manage_users`… for the current user."""

from battlemap.core.actions import declared_actions
from battlemap.core.scoping import user_can_anywhere


class _May:
    """Looked up lazily, so pages that do not ask pay nothing."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, action: str) -> bool:
        if action not in {a.name for a in declared_actions()}:
            raise KeyError(action)
        return user_can_anywhere(self.user, action)


def permissions(request):
    return {"may": _May(getattr(request, "user", None))}
