"""The registry's workbook kind (建档立卡人员表), registered for the exchange engine."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.kinds import Kind, register_kind

from .actions import EDIT_REGISTRY, EXPORT_REGISTRY
from .workbook import PERSONS, template_bytes
from .workbook_export import registry_export
from .workbook_import import registry_import

REGISTRY = register_kind(
    Kind(
        "registry",
        _("建档立卡人员表"),
        template_bytes,
        registry_import,
        registry_export,
        EDIT_REGISTRY,
        EXPORT_REGISTRY,
        _(
            "按模板填写工作表“人员”（每行一名成员，户级列在同户各行重复），需要时填写“户状态变更”。"
            "导入前检查全部数据：只要有一处错误，登记册就不作任何改动，并给出标明每个错误的工作簿。"
            "按户编号和证件号码更新，重复导入同一文件不会改变任何数据。"
        ),
        csv_sheet=PERSONS,
    )
)
