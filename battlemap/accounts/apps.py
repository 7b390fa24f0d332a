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
