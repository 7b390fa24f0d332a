import io

from openpyxl import Workbook

from battlemap.core.kinds import Kind, register_kind
from battlemap.regions.selectors import get_region_for

from .models import Note


def _template() -> bytes:
    wb = Workbook()
    wb.active.append(["村", "内容"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def notes_export(user, code: str):
    region = get_region_for(user, code, "export_registry")
    wb = Workbook()
    wb.active.append(["村", "内容"])
    for note in Note.objects.visible_to(user, "export_registry").in_region(region):
        wb.active.append([note.village_id, note.text])
    out = io.BytesIO()
    wb.save(out)
    return "notes.xlsx", out.getvalue()


def notes_import(*, actor, content, filename, progress=None):
    raise NotImplementedError  # the test app exports only


NOTES = register_kind(
    Kind(
        "notes",
        "村情记录",
        _template,
        notes_import,
        notes_export,
        "edit_registry",
        "export_registry",
    )
)
