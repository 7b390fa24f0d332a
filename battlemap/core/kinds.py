"""The kinds of workbook users exchange with Battlemap, as the apps declare them.

Each domain app registers its kinds (`register_kind`) from its `AppConfig.ready()`: the
template, the import (all or nothing, raising `ImportFailed` with every bad cell and an
`outcome`), the export, and the actions that allow them. The `exchange` engine makes the
pages, the `battlemap import/export/template KIND` commands and the background jobs from
this table, and knows no sheet of any domain.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    """One kind of workbook and how it goes in and out."""

    name: str
    title: str | Promise
    template: Callable[[], bytes]
    run: Callable  # (actor=, content=, filename=, progress=) -> outcome
    export: Callable  # (user, code) -> (file name, bytes)
    import_action: str
    export_action: str
    description: str | Promise = ""
    # A CSV upload is read as this sheet (None: the kind takes .xlsx only).
    csv_sheet: str | None = None


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    known = KINDS.get(kind.name)
    if known is not None and known is not kind and known.run is not kind.run:
        raise ValueError(f"workbook kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind
