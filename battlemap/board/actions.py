"""The battle map's actions and audit codes (see `core.actions`)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import declare_action, declare_audit_labels
from battlemap.core.roles import Role as R

ISSUE_BULLETIN = declare_action(
    "issue_bulletin", _("生成日通报"), roles=[R.COUNTY_ADMIN], app="board"
)

declare_audit_labels(
    "board",
    {
        "bulletin.generate": _("生成日通报"),
        "rollups.rebuild": _("重算汇总"),
    },
)
