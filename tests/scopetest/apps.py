from django.apps import AppConfig


class ScopeTestConfig(AppConfig):
    name = "tests.scopetest"
    label = "scopetest"

    def ready(self):
        from . import workbooks  # noqa: F401  (registers the kind)
