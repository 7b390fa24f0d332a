"""The workbooks users exchange with Battlemap, and how each is imported and exported.

One entry per kind of workbook: its template, its import (all or nothing, raising
ImportFailed with every bad cell and an `outcome`), its export, and the actions that
allow them. Pages, commands and background jobs are made from this table, so a new
workbook is one entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from battlemap.accounts.permissions import Action
from battlemap.core.tabular import ImportFailed, RowError
from battlemap.jobs.services import IMPORTS_QUEUE, JobFailed, handler, job_dir, write_private

from . import projects_workbook, registry_workbook
from .projects_workbook import projects_export, projects_import
from .registry_export import registry_export
from .registry_import import registry_import
from .reports import error_report, errors_by_kind


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    template: Callable[[], bytes]
    run: Callable  # (actor=, content=, filename=, progress=) -> outcome
    export: Callable  # (user, code) -> (file name, bytes)
    import_action: str
    export_action: str
    description: str = ""


KINDS = {
    "registry": Kind(
        "registry",
        gettext_lazy("建档立卡人员表"),
        registry_workbook.template_bytes,
        registry_import,
        registry_export,
        Action.EDIT_REGISTRY,
        Action.EXPORT_REGISTRY,
        gettext_lazy(
            "按模板填写工作表“人员”（每行一名成员，户级列在同户各行重复），需要时填写“户状态变更”。"
            "导入前检查全部数据：只要有一处错误，登记册就不作任何改动，并给出标明每个错误的工作簿。"
            "按户编号和证件号码更新，重复导入同一文件不会改变任何数据。"
        ),
    ),
    "projects": Kind(
        "projects",
        gettext_lazy("扶贫项目库"),
        projects_workbook.template_bytes,
        projects_import,
        projects_export,
        Action.EDIT_PROJECTS,
        Action.VIEW_PROJECTS,
        gettext_lazy(
            "按模板填写工作表“项目库”，每行一个项目。导入前检查全部数据：只要有一处错误，项目库就不作任何改动，"
            "并给出标明每个错误的工作簿。库中已有的项目（年度、地点、名称相同）内容一致的不作改动。"
        ),
    ),
}


def outcome_result(outcome, errors: list[RowError] = ()) -> dict:
    """A job result (summary rows, lines) from an import's outcome and errors."""
    summary = [[str(label), value] for label, value in outcome.summary()]
    if errors:
        summary = (
            summary[:3]
            + [[_("错误总数"), len(errors)]]
            + [[str(kind), n] for kind, n in errors_by_kind(list(errors))]
        )
    return {"summary": summary, "lines": [*outcome.warnings[:50]]}


def outcome_message(outcome) -> str:
    if not outcome.changed:
        return _("文件与系统中的数据一致，没有任何改动。")
    return _("导入完成。")


def report_for(exc: ImportFailed, content: bytes, filename: str) -> tuple[dict, bytes]:
    """(job result, error workbook) of a refused import."""
    outcome = getattr(exc, "outcome", None)
    result = outcome_result(outcome, exc.errors) if outcome else {"summary": [], "lines": []}
    report = error_report(
        content, filename, exc.errors, result["summary"], outcome.warnings if outcome else []
    )
    return result, report


def _import_job(kind: Kind):
    def run(job, progress) -> dict:
        stored = job_dir(job) / job.params["stored"]
        filename = job.params["filename"]
        content = stored.read_bytes()
        try:
            outcome = kind.run(
                actor=job.owner, content=content, filename=filename, progress=progress
            )
        except ImportFailed as exc:
            if getattr(exc, "outcome", None) is None:
                # The file could not be read at all (not a workbook, an unknown encoding,
                # too big): no workbook to mark, the same lines as the command line says.
                lines = [e.line() for e in exc.errors[:200]]
                raise JobFailed(str(exc), {"lines": lines}) from None
            progress(progress.total, progress.total, _("生成错误报告"))
            result, report = report_for(exc, content, filename)
            write_private(job_dir(job) / "errors.xlsx", report)
            result["lines"] = [e.line() for e in exc.errors[:200]]
            result["more"] = max(0, len(exc.errors) - 200)
            result["files"] = {
                "errors.xlsx": {
                    "label": _("下载错误报告（标出了每个错误的工作簿）"),
                    "filename": f"{Path(filename).stem}-错误报告.xlsx",
                }
            }
            raise JobFailed(str(exc), result) from None
        finally:
            stored.unlink(missing_ok=True)  # an upload may hold clear ID numbers: not kept
        return {**outcome_result(outcome), "message": outcome_message(outcome)}

    return run


def _export_job(kind: Kind):
    def run(job, progress) -> dict:
        progress(0, 1, _("写出工作簿"))
        filename, content = kind.export(job.owner, job.params["code"])
        write_private(job_dir(job) / "export.xlsx", content)
        return {
            "message": _("导出完成。"),
            "files": {
                "export.xlsx": {"label": _("下载 %(f)s") % {"f": filename}, "filename": filename}
            },
        }

    return run


for _kind in KINDS.values():
    handler(f"import_{_kind.name}", queue=IMPORTS_QUEUE)(_import_job(_kind))
    handler(f"export_{_kind.name}")(_export_job(_kind))
