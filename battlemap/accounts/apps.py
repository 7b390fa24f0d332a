from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "battlemap.accounts"
    label = "accounts"
    verbose_name = _("账户与权限")

    def ready(self):
        from battlemap.core.scoping import register_role_loader

        from . import actions  # noqa: F401  (declares the app's actions)
        from .scopes import load_roles

        register_role_loader(load_roles)
        from battlemap.audit.display import audit_term

        # The account snapshot's keys (services._snapshot) that are no model field.
        audit_term("auth.user", "name", _("姓名"))
        audit_term("auth.user", "active", _("启用"))
        audit_term("auth.user", "staff", _("可进入管理后台"))
        audit_term("auth.user", "roles", _("角色"), _roles_shown)


def _roles_shown(value, reader) -> str:
    """`role@region` entries as 县级管理员 · 绩溪县."""
    from .roles import Role

    shown = []
    for entry in value or []:
        role, _sep, code = str(entry).partition("@")
        label = Role(role).label if role in Role.values else role
        shown.append(f"{label} · {reader.region(code)}")
    return "、".join(shown) or "—"
