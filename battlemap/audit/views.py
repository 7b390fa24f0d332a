"""The audit trail's pages: records of the user's regions, filtered, with before and after."""

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core.scoping import require_anywhere

from .actions import action_label
from .filters import AuditFilter
from .selectors import audit_records_for, get_audit_record_for

PAGE_SIZE = 50


def shown(value) -> str:
    """A value of a before/after snapshot as text (lists and dicts as compact JSON)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes(record) -> list[dict]:
    """Each field of the record's before and after states, and whether it changed.
    A state that is not a dict of fields (a count, a list) is shown whole."""
    before, after = record.before, record.after
    if not all(isinstance(state, (dict, type(None))) for state in (before, after)):
        return [{"field": "", "before": shown(before), "after": shown(after), "changed": True}]
    old, new = before or {}, after or {}
    return [
        {
            "field": key,
            "before": shown(old.get(key)) if before is not None else "",
            "after": shown(new.get(key)) if after is not None else "",
            "changed": old.get(key) != new.get(key),
        }
        for key in [*old, *(k for k in new if k not in old)]
    ]


@login_required
def audit_list(request):
    """Audit records of the user's regions, newest first, filtered by user, object,
    region, action and date."""
    require_anywhere(request.user, VIEW_AUDIT)
    filterset = AuditFilter(request.GET, queryset=audit_records_for(request.user))
    page = Paginator(filterset.qs.order_by("-at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"record": record, "label": action_label(record.action), "changes": changes(record)}
        for record in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"filterset": filterset, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
def audit_detail(request, pk: int):
    """One audit record with its full before and after."""
    require_anywhere(request.user, VIEW_AUDIT)
    record = get_audit_record_for(request.user, pk)
    return render(
        request,
        "audit/detail.html",
        {"record": record, "label": action_label(record.action), "changes": changes(record)},
    )
