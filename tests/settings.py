"""The test settings: the site's, plus a throwaway domain app (tests/scopetest) that proves
a new app is scoped by declaring, without touching any other app. Like every domain app it
is listed before the engines (board, exchange), which read what the apps registered."""

from battlemap.settings import *  # noqa: F403
from battlemap.settings import INSTALLED_APPS

_engines = INSTALLED_APPS.index("battlemap.board")
INSTALLED_APPS = [*INSTALLED_APPS[:_engines], "tests.scopetest", *INSTALLED_APPS[_engines:]]

ROOT_URLCONF = "tests.urls"
