"""The audit trail's action, and the words of every audit code (declared by each app)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import audit_label, declare_action
from battlemap.core.roles import Role as R

VIEW_AUDIT = declare_action(
    "view_audit",
    _("查看审计记录"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL, R.INSPECTOR],
    app="audit",
)


def action_label(action: str) -> str:
    """The words of an audit code; an undeclared one (a test fails on it) as written."""
    return audit_label(action) or action
