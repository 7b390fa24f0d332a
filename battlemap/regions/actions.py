"""The regions app's actions and audit codes (see `core.actions`)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import declare_action, declare_audit_labels
from battlemap.core.roles import Role

# The base read: the battle map of one's regions and the registry behind it.
VIEW_REGISTRY = declare_action(
    "view_registry", _("查看建档立卡数据和作战图"), roles=list(Role), app="regions"
)

# The tree itself, its population and its poor villages: the county's set-up.
EDIT_REGIONS = declare_action(
    "edit_regions",
    _("维护行政区划、人口和贫困村"),
    roles=[Role.COUNTY_ADMIN],
    app="regions",
)

declare_audit_labels(
    "regions",
    {
        "region.create": _("新建区划"),
        "region.update": _("修改区划"),
        "region.boundary": _("导入边界"),
        "population.set": _("录入人口"),
        "village.poverty_status": _("贫困村认定或出列"),
    },
)
