"""The exchange engine over the workbook kinds the apps register (`core.kinds`): import
outcomes, error reports and the background jobs of each kind."""

from pathlib import Path

from django.utils.translation import gettext as _

from battlemap.core.kinds import KINDS, Kind
from battlemap.core.tabular import ImportFailed, RowError
from battlemap.jobs.services import IMPORTS_QUEUE, JobFailed, handler, job_dir, write_private

from .reports import error_report, errors_by_kind

__all__ = ["KINDS", "Kind", "outcome_message", "outcome_result", "register_handlers", "report_for"]


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


def report_for(
    kind: Kind, exc: ImportFailed, content: bytes, filename: str
) -> tuple[dict, bytes]:
    """(job result, error workbook) of a refused import."""
    outcome = getattr(exc, "outcome", None)
    result = outcome_result(outcome, exc.errors) if outcome else {"summary": [], "lines": []}
    report = error_report(
        content,
        filename,
        exc.errors,
        result["summary"],
        outcome.warnings if outcome else [],
        csv_sheet=kind.csv_sheet,
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
            result, report = report_for(kind, exc, content, filename)
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


def register_handlers() -> None:
    """The jobs of every kind the apps registered (exchange's ready(), after theirs):
    imports one after another on their own queue, exports beside them."""
    for kind in KINDS.values():
        handler(f"import_{kind.name}", queue=IMPORTS_QUEUE)(_import_job(kind))
        handler(f"export_{kind.name}")(_export_job(kind))
