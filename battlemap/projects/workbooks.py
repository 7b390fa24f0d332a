"""The project library's workbook kind (扶贫项目库), registered for the exchange engine."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.kinds import Kind, register_kind

from .actions import EDIT_PROJECTS, VIEW_PROJECTS
from .workbook import projects_export, projects_import, template_bytes

PROJECTS = register_kind(
    Kind(
        "projects",
        _("扶贫项目库"),
        template_bytes,
        projects_import,
        projects_export,
        EDIT_PROJECTS,
        VIEW_PROJECTS,
        _(
            "按模板填写工作表“项目库”，每行一个项目。导入前检查全部数据：只要有一处错误，项目库就不作任何改动，"
            "并给出标明每个错误的工作簿。库中已有的项目（年度、地点、名称相同）内容一致的不作改动。"
        ),
    )
)
