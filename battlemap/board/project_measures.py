"""The projects' measures on the battle map, read on demand (see measures.COMPUTED)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from battlemap.projects.selectors import project_measures

from .measures import computed_measure, reader

computed_measure("projects_planned", _("年度计划项目数"), pgettext_lazy("unit", "个"))
computed_measure("projects_completed", _("已竣工项目数"), pgettext_lazy("unit", "个"))
computed_measure("funds_allocated_fen", _("下达专项资金（分）"), pgettext_lazy("unit", "分"))
computed_measure("funds_disbursed_fen", _("已支付资金（分）"), pgettext_lazy("unit", "分"))
computed_measure("milestones_late", _("逾期节点数"), pgettext_lazy("unit", "个"))


@reader
def projects_reader(codes, dates):
    return project_measures(codes, dates)
