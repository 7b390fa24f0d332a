"""The project library's actions and audit codes (see `core.actions`)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import declare_action, declare_audit_labels
from battlemap.core.roles import Role as R

VIEW_PROJECTS = declare_action(
    "view_projects",
    _("查看扶贫项目、资金和日通报"),
    roles=[
        R.COUNTY_ADMIN,
        R.LEADER,
        R.TOWNSHIP_OFFICIAL,
        R.VILLAGE_CADRE,
        R.DEPARTMENT,
        R.INSPECTOR,
    ],
    app="projects",
)
EDIT_PROJECTS = declare_action(
    "edit_projects",
    _("管理扶贫项目库、资金和项目作战图"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL],
    app="projects",
)
FILE_REPORT = declare_action(
    "file_report",
    _("填报项目日报告"),
    roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL, R.VILLAGE_CADRE],
    app="projects",
)
# A project's responsible person (责任人) holds these over that project only, whatever
# roles they hold elsewhere (the projects' scope declarations).
RESPONSIBLE_PERSON_ACTIONS = frozenset({VIEW_PROJECTS, FILE_REPORT})

declare_audit_labels(
    "projects",
    {
        "project.create": _("新建扶贫项目"),
        "project.stage": _("项目进入新阶段"),
        "project.notice": _("项目公示"),
        "project.allocate": _("下达项目资金"),
        "project.disburse": _("支付项目资金"),
        "project.report": _("填报项目日报告"),
        "project.report_bulk": _("批量写入项目日报告"),
        "milestone.add": _("添加项目节点"),
        "milestone.complete": _("完成项目节点"),
    },
)
