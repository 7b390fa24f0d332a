"""Template filters of the audit trail: system actors in words wherever an author shows."""

from django import template

from battlemap.audit.display import actor_name as _actor_name

register = template.Library()


@register.filter
def actor_name(label: str) -> str:
    """command:demo as 系统（演示数据）, job:bulletin as 系统（定时任务 bulletin）."""
    return _actor_name(label or "")
