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
