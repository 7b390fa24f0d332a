"""The lint that makes scoping the default: in views, API modules and exports, a query
over a scoped model must start from `visible_to(` (or come from a `get_x_for` helper).

Scoped models are found, not listed: every model whose manager has `visible_to`, plus
the user model (reached through accounts.selectors). A new model that belongs to a
region or a household must have `visible_to` too, or be named in NOT_SCOPED with why.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

PACKAGE = Path(settings.BASE_DIR)
CHECKED = ("views.py", "api.py", "*export*.py")
# Managers and helpers that bypass any queryset method.
BYPASS = {"_default_manager", "_base_manager"}
NOT_SCOPED = {
    # Aggregated figures per region and date; read only after region_for() passed.
    "board.figure": "aggregates, no personal data; read after region_for",
    # Counted by username, before anybody is logged in.
    "accounts.loginthrottle": "keyed by username, read by the login form",
}


def scoped_models() -> dict[str, type]:
    found = {
        model.__name__: model
        for model in apps.get_models()
        if hasattr(model._default_manager, "visible_to")
    }
    user = get_user_model()
    found[user.__name__] = user
    return found


def checked_files() -> list[Path]:
    return sorted(p for name in CHECKED for p in PACKAGE.rglob(name) if "migrations" not in p.parts)


def violations(path: Path, names: set[str], root: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []

    def where(node, what):
        found.append(f"{path.relative_to(root)}:{node.lineno}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", *BYPASS):
            base = node.value
            model = None
            if isinstance(base, ast.Name) and base.id in names:
                model = base.id
            elif (
                isinstance(base, ast.Call)
                and isinstance(base.func, ast.Name)
                and base.func.id == "get_user_model"
            ):
                model = "get_user_model()"
            if model is None:
                continue
            parent = parents.get(node)
            if node.attr in BYPASS or not (
                isinstance(parent, ast.Attribute) and parent.attr == "visible_to"
            ):
                method = parent.attr if isinstance(parent, ast.Attribute) else "…"
                where(node, f"{model}.{node.attr}.{method}() does not start from visible_to(")
        # get_object_or_404(Model, …) and get_list_or_404(Model, …) skip the scope too.
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in names
        ):
            where(node, f"{node.func.id}({node.args[0].id}, …) does not start from visible_to(")
    return sorted(found)


def test_the_lint_sees_the_files_and_models():
    files = {p.name for p in checked_files()}
    assert {"views.py", "api.py", "exports.py"} <= files
    names = set(scoped_models())
    for model in ("Region", "Household", "Person", "HouseholdEvent", "IncomeRecord"):
        assert model in names
    assert {"AuditRecord", "RegionPopulation", "VillageStatusEvent", "User"} <= names


def test_the_lint_catches_an_unscoped_query(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text(
        "def v(request, pk):\n"
        "    a = Household.objects.filter(pk=pk)\n"
        "    b = Person.objects.get(pk=pk)\n"
        "    c = get_object_or_404(Household, pk=pk)\n"
        "    d = Household.objects.visible_to(request.user).get(pk=pk)\n"
        "    e = Household._default_manager.all()\n"
        "    f = get_user_model().objects.all()\n"
    )
    found = violations(bad, set(scoped_models()), root=tmp_path)
    assert sorted(line.split(":")[1] for line in found) == ["2", "3", "4", "6", "7"], found


@pytest.mark.parametrize("path", checked_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_unscoped_query_in_views_api_or_exports(path):
    assert violations(path, set(scoped_models())) == []


def test_every_model_of_a_region_or_household_is_scoped():
    """A model with a region code, a region or a household must have visible_to."""
    from battlemap.regions.models import Region
    from battlemap.registry.models import Household, Person

    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model.__module__.startswith("battlemap."):
            continue
        related = {
            f.related_model for f in model._meta.get_fields() if getattr(f, "many_to_one", False)
        }
        has_code = any(f.name in ("region_code", "county_code") for f in model._meta.fields)
        belongs = related & {Region, Household, Person} or has_code or model is Region
        if belongs and not hasattr(model._default_manager, "visible_to"):
            if label not in NOT_SCOPED:
                missing.append(label)
    assert missing == [], "add visible_to(user) to these models, or say why in NOT_SCOPED"
