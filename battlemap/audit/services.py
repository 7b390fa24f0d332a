"""Writing audit records: called explicitly by every service, never by signals.

Signals miss commands, scripts and bulk paths; an explicit call in the service
does not.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from .models import AuditRecord


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor: a command, an import or a job, named in the trail."""

    label: str
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_system = True  # scoping lets system actors act everywhere, and no person
    pk = None


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"actor": None, "actor_label": "system"}
    if isinstance(actor, SystemActor):
        return {"actor": None, "actor_label": actor.label}
    return {"actor": actor, "actor_label": actor.get_username()}


def _object_fields(obj) -> dict:
    if isinstance(obj, models.Model):
        return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)}
    if isinstance(obj, tuple):
        return {"object_type": obj[0], "object_id": str(obj[1])}
    return {"object_type": str(obj), "object_id": ""}


def audit_record(
    *, actor, action: str, obj, region_code: str = "", before=None, after=None
) -> AuditRecord:
    """Write one audit record inside the caller's transaction."""
    return AuditRecord.objects.create(
        **_actor_fields(actor),
        **_object_fields(obj),
        action=action,
        region_code=region_code or "",
        before=before,
        after=after,
    )


def audit_record_many(*, actor, action: str, entries: Iterable[tuple]) -> int:
    """Bulk paths: one record per (obj, region_code, before, after), written in batches."""
    who = _actor_fields(actor)
    rows = [
        AuditRecord(
            **who,
            **_object_fields(obj),
            action=action,
            region_code=region or "",
            before=before,
            after=after,
        )
        for obj, region, before, after in entries
    ]
    AuditRecord.objects.bulk_create(rows, batch_size=500)
    return len(rows)
