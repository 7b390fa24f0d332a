"""battlemap import_registry FILE: the registry workbook (.xlsx) or person sheet (.csv).

All or nothing: on any error each bad cell is one line (sheet, row as Excel shows it,
column, value, reason), the error workbook is written next to the file (or to
--report), nothing changes, and the exit status is non-zero.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.core.commands import command_actor
from battlemap.core.tabular import ImportFailed
from battlemap.exchange.registry_import import outcome_message, outcome_result, registry_import
from battlemap.exchange.reports import error_report
from battlemap.jobs.services import Progress


def _bar(stream):
    def echo(stage: str, done: int, total: int) -> None:
        if total:
            filled = done * 30 // total
            stream.write(f"\r{stage} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} ")
        else:
            stream.write(f"\r{stage} {done} ")
        stream.flush()

    return echo


class Command(BaseCommand):
    help = _("导入建档立卡人员表（.xlsx，或只含人员表的 .csv）；有错误时不作任何改动。")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--report", help=_("错误报告工作簿的路径（默认写在文件旁边）。"))
        parser.add_argument("--quiet", action="store_true", help=_("不显示进度条。"))

    def handle(self, *args, file: str, report: str | None, quiet: bool, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件%(f)s：%(e)s") % {"f": file, "e": exc}) from None
        progress = None if quiet else Progress(echo=_bar(sys.stderr))
        try:
            outcome = registry_import(
                actor=command_actor("import_registry"),
                content=content,
                filename=path.name,
                progress=progress,
            )
        except ImportFailed as exc:
            if progress:
                sys.stderr.write("\n")
            for error in exc.errors:
                self.stderr.write(error.line())
            outcome = getattr(exc, "outcome", None)
            if outcome is not None:
                result = outcome_result(outcome, exc.errors)
                target = Path(report) if report else path.with_name(f"{path.stem}-错误报告.xlsx")
                target.write_bytes(
                    error_report(
                        content, path.name, exc.errors, result["summary"], outcome.warnings
                    )
                )
                self.stderr.write(_("错误报告已写入%(f)s。") % {"f": target})
            raise CommandError(exc.message) from None
        if progress:
            sys.stderr.write("\n")
        for warning in outcome.warnings:
            self.stdout.write(warning)
        for label, value in outcome.summary():
            self.stdout.write(f"{label}: {value}")
        self.stdout.write(outcome_message(outcome))
