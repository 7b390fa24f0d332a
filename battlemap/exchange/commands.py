"""The command-line side of the workbook kinds: `battlemap import KIND FILE`, `battlemap
export KIND --region CODE FILE`, and the older `import_<kind>`/`export_<kind>` names."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.core.tabular import ImportFailed
from battlemap.jobs.services import Progress
from battlemap.regions.commands import command_actor, region_arg

from .kinds import KINDS, outcome_message, report_for


def _bar(stream):
    def echo(stage: str, done: int, total: int) -> None:
        if total:
            filled = done * 30 // total
            stream.write(f"\r{stage} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} ")
        else:
            stream.write(f"\r{stage} {done} ")
        stream.flush()

    return echo


class ImportCommand(BaseCommand):
    """All or nothing: on any error each bad cell is one line (sheet, row as Excel shows it,
    column, value, reason), the error workbook is written next to the file (or to
    --report), nothing changes, and the exit status is non-zero."""

    kind = ""  # fixed by import_<kind>; `battlemap import` takes it as its first argument

    def add_arguments(self, parser):
        if not self.kind:
            parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--report", help=_("错误报告工作簿的路径（默认写在文件旁边）。"))
        parser.add_argument("--quiet", action="store_true", help=_("不显示进度条。"))

    def handle(self, *args, file: str, report: str | None, quiet: bool, **options):
        kind = KINDS[options.get("kind") or self.kind]
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件%(f)s：%(e)s") % {"f": file, "e": exc}) from None
        progress = None if quiet else Progress(echo=_bar(sys.stderr))
        try:
            outcome = kind.run(
                actor=command_actor(f"import_{kind.name}"),
                content=content,
                filename=path.name,
                progress=progress,
            )
        except ImportFailed as exc:
            if progress:
                sys.stderr.write("\n")
            for error in exc.errors:
                self.stderr.write(error.line())
            if getattr(exc, "outcome", None) is not None:
                _result, workbook = report_for(kind, exc, content, path.name)
                target = Path(report) if report else path.with_name(f"{path.stem}-错误报告.xlsx")
                target.write_bytes(workbook)
                self.stderr.write(_("错误报告已写入%(f)s。") % {"f": target})
            raise CommandError(exc.message) from None
        if progress:
            sys.stderr.write("\n")
        for warning in outcome.warnings:
            self.stdout.write(warning)
        for label, value in outcome.summary():
            self.stdout.write(f"{label}: {value}")
        self.stdout.write(outcome_message(outcome))


class ExportCommand(BaseCommand):
    kind = ""  # fixed by export_<kind>; `battlemap export` takes it as its first argument

    def add_arguments(self, parser):
        if not self.kind:
            parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--region", required=True, help=_("区划代码（6、9或12位）"))
        parser.add_argument("file")

    def handle(self, *args, region: str, file: str, **options):
        kind = KINDS[options.get("kind") or self.kind]
        _name, content = kind.export(command_actor(f"export_{kind.name}"), region_arg(region).code)
        Path(file).write_bytes(content)
        self.stdout.write(_("已导出到%(f)s。") % {"f": file})
