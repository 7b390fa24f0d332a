"""The registry's actions and audit codes (see `core.actions`)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import declare_action, declare_audit_labels
from battlemap.core.roles import Role as R
from battlemap.regions.actions import VIEW_REGISTRY

__all__ = [
    "EDIT_REGISTRY",
    "EXPORT_REGISTRY",
    "REVEAL_PERSONAL_DATA",
    "VIEW_PERSONAL_DATA",
    "VIEW_REGISTRY",
]

EDIT_REGISTRY = declare_action(
    "edit_registry",
    _("修改建档立卡数据"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL, R.VILLAGE_CADRE],
    app="registry",
)
# Leaders read everything, but never a personal number.
VIEW_PERSONAL_DATA = declare_action(
    "view_personal_data",
    _("导出完整的证件号码和电话"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL],
    app="registry",
)
# Departments match their deliveries to persons by ID number, one at a time; a paired
# cadre reveals a number to call their household.
REVEAL_PERSONAL_DATA = declare_action(
    "reveal_personal_data",
    _("逐条查看完整的证件号码和电话"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL, R.VILLAGE_CADRE, R.DEPARTMENT, R.PAIRED_CADRE],
    app="registry",
)
EXPORT_REGISTRY = declare_action(
    "export_registry",
    _("导出建档立卡数据"),
    roles=[
        R.COUNTY_ADMIN,
        R.LEADER,
        R.TOWNSHIP_OFFICIAL,
        R.VILLAGE_CADRE,
        R.DEPARTMENT,
        R.INSPECTOR,
    ],
    app="registry",
)

declare_audit_labels(
    "registry",
    {
        "household.register": _("登记贫困户"),
        "household.update": _("修改户信息"),
        "household.event": _("户状态变更"),
        "household.guarantees": _("评估两不愁三保障"),
        "household.guarantees_bulk": _("批量写入保障评估"),
        "household.reveal": _("查看完整联系电话"),
        "person.add": _("添加家庭成员"),
        "person.update": _("修改家庭成员"),
        "person.reveal": _("查看完整证件号码"),
        "income.set": _("录入收入"),
        "income.bulk_set": _("批量录入收入"),
        "registry.bulk_register": _("批量登记"),
        "registry.export": _("导出建档立卡数据"),
    },
)
