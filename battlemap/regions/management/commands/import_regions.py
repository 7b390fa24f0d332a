"""battlemap import_regions FILE.xlsx: the region tree, population and poor villages."""

from zipfile import BadZipFile

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from battlemap.core.tabular import ImportFailed
from battlemap.regions.commands import command_actor
from battlemap.regions.services import regions_import_workbook


class Command(BaseCommand):
    help = "Import a workbook with sheets 区划 (代码, 名称, 上级代码), 人口 and 贫困村."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            # Formulas are read as their text, never evaluated.
            workbook = load_workbook(options["file"], read_only=True, data_only=False)
        except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException) as exc:
            raise CommandError(
                _("无法读取文件%(f)s：%(e)s") % {"f": options["file"], "e": exc}
            ) from None
        try:
            changes = regions_import_workbook(
                actor=command_actor("import_regions"), workbook=workbook
            )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(error.line())
            raise CommandError(str(exc.message)) from None
        finally:
            workbook.close()
        if not changes.total:
            self.stdout.write(_("没有变化：文件内容与系统中已有数据一致。"))
            return
        self.stdout.write(
            _("导入完成：新增区划%(c)d个，更新%(u)d个；人口数据%(p)d条；贫困村状态%(v)d条。")
            % {
                "c": changes.regions_created,
                "u": changes.regions_updated,
                "p": changes.populations_written,
                "v": changes.village_events_written,
            }
        )
