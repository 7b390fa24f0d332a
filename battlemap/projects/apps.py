from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "battlemap.projects"
    label = "projects"
    verbose_name = _("扶贫项目")

    def ready(self):
        from battlemap.core.views import register_landing

        from . import actions, figures, workbooks  # noqa: F401  (the app's declarations)
        from .landing import projects_landing

        register_landing(20, projects_landing)
        from battlemap.accounts.selectors import UserAnchor, register_user_anchor
        from battlemap.audit.display import audit_term

        audit_term("projects.dailyreport", "reports", _("日报告数"))

        # A project's responsible person is an account of the project's region: the
        # users page lists them there, to be deactivated or reset like any other.
        register_user_anchor(
            UserAnchor("projects.Project", "responsible_user", "region__code", _("项目责任人"))
        )
