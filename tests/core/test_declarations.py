"""The apps' declarations: every audit code written anywhere has words, every action is
declared once with its words and roles, and the audit page shows codes in words."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from battlemap.core.actions import audit_label, declared_actions, role_actions
from battlemap.core.roles import Role
from tests import personas
from tests.factories import make_project

PACKAGE = Path(settings.BASE_DIR)
WRITERS = {"audit_record", "audit_record_many"}


def written_audit_codes() -> dict[str, str]:
    """Every `action="…"` given to an audit writer in the package, with where it is."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in WRITERS:
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                values = [kw.value]
                if isinstance(kw.value, ast.IfExp):  # "user.create" if created else …
                    values = [kw.value.body, kw.value.orelse]
                for value in values:
                    assert isinstance(value, ast.Constant), (
                        f"{path}:{node.lineno}: write audit codes as literals, so this test sees them"
                    )
                    found[value.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_the_scan_finds_the_audit_writers():
    codes = written_audit_codes()
    assert {"household.register", "project.create", "bulletin.generate", "user.lock"} <= set(codes)


def test_every_audit_code_written_has_declared_words():
    missing = {
        code: where for code, where in written_audit_codes().items() if not audit_label(code)
    }
    assert missing == {}, "declare these codes' words in the app's actions.py"


def test_every_action_is_declared_with_words_and_roles():
    actions = declared_actions()
    assert len({a.name for a in actions}) == len(actions)
    for action in actions:
        assert str(action.label) != action.name
        assert action.roles and action.roles <= set(Role.values), action.name
    # The county administrator holds every action, whatever app declared it.
    assert role_actions(Role.COUNTY_ADMIN) == {a.name for a in actions}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_audit_page_shows_project_actions_in_words(county, language):
    make_project(county.v1)
    client = Client()
    client.force_login(personas.county_admin(county.county))
    with translation.override(language):
        label = audit_label("project.create")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/audit/")
    content = response.content.decode()
    assert response.status_code == 200
    assert label in content and label != "project.create"
