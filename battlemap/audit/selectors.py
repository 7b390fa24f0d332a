"""Audit reads: only records of the regions where the user holds `view_audit`."""

from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core.scoping import object_for

from .models import AuditRecord


def audit_records_for(user):
    return AuditRecord.objects.visible_to(user).select_related("actor")


def get_audit_record_for(user, pk) -> AuditRecord:
    return object_for(audit_records_for(user), user, VIEW_AUDIT, pk=pk)
