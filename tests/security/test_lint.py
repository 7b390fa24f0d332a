"""The lint that makes scoping the default: in every module of every app, a query over a
scoped model starts from `visible_to(` (or comes from a `get_x_for` helper), unless the
module is one of the system modules below (writes checked by their service, commands,
the worker, aggregates) or the enclosing function says why on its `def` line or the line
itself carries `# scoped: <why>`.

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
# Modules whose queries are not reads for a person, each with why (globs under battlemap/).
SYSTEM_MODULES = {
    "*/services.py": "writes: each service checks its action on the object it was given",
    "*/querysets.py": "the querysets themselves",
    "*/figures.py": "the rollup sources: aggregates per region, no row leaves",
    "board/rollups.py": "the rollup engine: aggregates per region",
    "registry/bulk.py": "validates a whole batch against the registry's unique rules",
    "*/management/commands/*.py": "commands act as system actors",
    "regions/commands.py": "command helpers (system actors)",
    "demo/*.py": "the demo generator and loader (system actors)",
    "jobs/*.py": "the worker and its jobs: each job acts as its owner through the services",
    "accounts/authentication.py": "finds the account of a login or token, before any scope",
    "accounts/lockout.py": "the failed-login counters, before anybody is logged in",
    "accounts/scopes.py": "the role loader that scoping itself reads",
    "audit/services.py": "writes audit rows",
}
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


def is_system(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    return any(relative.match(pattern) for pattern in SYSTEM_MODULES)


def checked_files() -> list[Path]:
    """Every module of every app but migrations and the system modules."""
    return sorted(
        p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts and not is_system(p)
    )


def violations(path: Path, names: set[str], root: Path = PACKAGE.parent) -> list[str]:
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []

    def justified(node) -> bool:
        """`# scoped: why` on the line, or on the signature of an enclosing function."""
        if "# scoped:" in lines[node.lineno - 1]:
            return True
        parent = parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
                body = parent.body[0].lineno if parent.body else parent.lineno
                if any("# scoped:" in line for line in lines[parent.lineno - 1 : body - 1]):
                    return True
            parent = parents.get(parent)
        return False

    def where(node, what):
        if not justified(node):
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
                isinstance(parent, ast.Attribute) and parent.attr in ("visible_to", "none")
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
    files = {str(p.relative_to(PACKAGE)) for p in checked_files()}
    assert {
        "registry/views.py",
        "registry/api.py",
        "registry/exports.py",
        "registry/selectors.py",
        "registry/workbook_import.py",
        "projects/workbook.py",
        "board/bulletins.py",
        "board/bulletin_views.py",
    } <= files
    assert "registry/services.py" not in files
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
    # A justification says why, on the line or on the function's signature; nothing else.
    excused = tmp_path / "selectors.py"
    excused.write_text(
        "def totals(projects):  # scoped: sums over projects the caller scoped\n"
        "    return Household.objects.filter(pk__in=projects)\n"
        "def one(pk):\n"
        "    a = Person.objects.get(pk=pk)  # scoped: the caller checked pk\n"
        "    b = Person.objects.get(pk=pk)\n"
    )
    found = violations(excused, set(scoped_models()), root=tmp_path)
    assert [line.split(":")[1] for line in found] == ["5"], found


@pytest.mark.parametrize("path", checked_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_unscoped_query_in_any_module(path):
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
