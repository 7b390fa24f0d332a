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
        "project.create": _("新建项目"),
        "project.notice": _("登记项目公示公告"),
        "project.stage": _("项目进入下一阶段"),
        "project.allocate": _("下达资金"),
        "project.disburse": _("拨付资金"),
        "milestone.add": _("添加节点"),
        "milestone.complete": _("完成节点"),
        "project.report": _("填报日报告"),
        "project.report_bulk": _("批量导入日报告"),
    },
)
