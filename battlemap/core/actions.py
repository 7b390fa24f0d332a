"""What each app declares it brings: named actions (and the roles that hold them) and the
words of its audit codes.

Apps declare these in their own `actions.py`, imported by their `AppConfig.ready()`; the
role table, the scoping, the audit page and the user-management pages read them here and
know no app by name. Deny by default: an action nobody declared is held by no role, and a
role holds exactly the actions whose declarations name it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ActionDef:
    """One named action: what it lets a user do (in words) and which roles hold it."""

    name: str
    label: str | Promise
    roles: frozenset[str]
    app: str


_ACTIONS: dict[str, ActionDef] = {}
_AUDIT_LABELS: dict[str, str | Promise] = {}
_AUDIT_APPS: dict[str, str] = {}


def declare_action(name: str, label, *, roles, app: str) -> str:
    """Declare an action and the roles that hold it; returns its name, for constants.

    Declaring the same action again with the same roles is harmless (a module imported
    twice); two apps declaring one name differently is a programming error.
    """
    action = ActionDef(name, label, frozenset(str(r) for r in roles), app)
    known = _ACTIONS.get(name)
    if known is not None and (known.roles, known.app) != (action.roles, action.app):
        raise ValueError(f"action {name!r} is declared by {known.app} and {app} differently")
    _ACTIONS[name] = action
    return name


def declare_audit_labels(app: str, labels: dict) -> None:
    """Declare the audit codes an app writes, each with its words (translated lazily)."""
    for code, label in labels.items():
        owner = _AUDIT_APPS.get(code)
        if owner is not None and owner != app:
            raise ValueError(f"audit code {code!r} is declared by {owner} and {app}")
        _AUDIT_LABELS[code] = label
        _AUDIT_APPS[code] = app


def declared_actions() -> list[ActionDef]:
    return list(_ACTIONS.values())


def action_label(name: str) -> str:
    action = _ACTIONS.get(name)
    return str(action.label) if action else name


def role_grants(role: str, action: str) -> bool:
    """Whether `role` holds `action` (deny by default)."""
    declared = _ACTIONS.get(action)
    return declared is not None and role in declared.roles


def role_actions(role: str) -> frozenset[str]:
    """Every action a role holds: the role table, read from the declarations."""
    return frozenset(a.name for a in _ACTIONS.values() if role in a.roles)


def audit_labels() -> dict:
    return dict(_AUDIT_LABELS)


def audit_label(code: str) -> str | None:
    """The words of an audit code, or None when no app declared it."""
    label = _AUDIT_LABELS.get(code)
    return None if label is None else str(label)
