"""Every URL of Battlemap, classified: which object it reaches, which action it needs,
what it answers when allowed. tests/security/test_scoping.py runs the persona matrix
over this registry and fails on any URL that is not classified here, so a new page or
endpoint cannot ship without saying who may reach it.

Object kinds: `region` (a township or village), `household`, `person`, `audit` (an
audit record), `user` (an account), `project` (in a village or township), `bulletin`. `scope` is the action whose regions decide whether
the object is visible at all (outside: 404); `action` is what the endpoint does (a
visible object without it: 403). A persona that holds `scope` nowhere gets 403 before
any object is looked up.
"""

from dataclasses import dataclass, field

from battlemap.accounts.actions import MANAGE_USERS
from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core.kinds import KINDS
from battlemap.projects.actions import EDIT_PROJECTS, FILE_REPORT, VIEW_PROJECTS
from battlemap.regions.actions import VIEW_REGISTRY
from battlemap.registry.actions import EDIT_REGISTRY, REVEAL_PERSONAL_DATA


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str
    url: object  # (world, obj) -> str
    scope: str = VIEW_REGISTRY
    action: str = VIEW_REGISTRY
    method: str = "get"
    data: object = None  # (world, obj) -> dict, for POST and PATCH
    ok: dict = field(default_factory=dict)  # status when allowed, per object level; 200
    api: bool = False

    def expected_ok(self, obj) -> int:
        level = getattr(obj, "level", None)
        return self.ok.get(level, self.ok.get("*", 200))


def _household_version(world, obj):
    from battlemap.registry.models import Household

    return {"version": Household.objects.get(pk=obj.pk).version, "note": "checked"}


def _person(world, obj):
    return {"person": obj.members.order_by("id").first().pk}


def _role(world, obj):
    first = obj.role_assignments.order_by("id").first()
    return {"role": first.role, "region": first.region_id}


def _next_stage(world, obj):
    # Refused by the stage rule (no notice yet): still a redirect with the reason shown.
    return {"stage": "in_library", "date": "2019-01-05"}


def _payment(world, obj):
    return {"kind": "payment", "amount": "10", "date": "2019-01-05", "payee": "某公司"}


def _milestone(world, obj):
    return {"name": "前期准备", "owner": "胡建华", "start": "2019-03-01", "due": "2019-03-31"}


def _notice(world, obj):
    return {"kind": "before_entry", "start": "2018-11-01", "end": "2018-11-08", "place": "公示栏"}


def _milestone_done(world, obj):
    from battlemap.projects.models import Milestone

    step = Milestone.objects.filter(project=obj).order_by("pk").first()
    return step.pk if step else 0


def _assignment(world, obj):
    return obj.role_assignments.order_by("id").first().pk


OBJECT_ENDPOINTS = [
    # --- pages --------------------------------------------------------------------------
    Endpoint(
        "board:map",
        "region",
        lambda w, o: f"/map/{o.code}/",
        ok={"village": 302},  # a village's map is its household list
    ),
    Endpoint("board:screen", "region", lambda w, o: f"/screen/{o.code}/", ok={"village": 302}),
    Endpoint("registry:households", "region", lambda w, o: f"/map/{o.code}/households/"),
    Endpoint("registry:household", "household", lambda w, o: f"/households/{o.pk}/"),
    Endpoint(
        "registry:household-reveal",
        "household",
        lambda w, o: f"/households/{o.pk}/reveal/",
        action=REVEAL_PERSONAL_DATA,
        method="post",
        data=_person,
    ),
    # Each workbook kind's export, from the kinds the apps registered (a new kind is
    # probed without a line here).
    *[
        Endpoint(
            f"exchange:{kind.name}-export",
            "region",
            lambda w, o, name=kind.name: f"/exchange/{name}/export/{o.code}/",
            scope=kind.export_action,
            action=kind.export_action,
            method="post",
            ok={"*": 302},  # to the export job's page
        )
        for kind in KINDS.values()
    ],
    Endpoint(
        "audit:detail",
        "audit",
        lambda w, o: f"/audit/{o.pk}/",
        scope=VIEW_AUDIT,
        action=VIEW_AUDIT,
    ),
    Endpoint(
        "accounts:user",
        "user",
        lambda w, o: f"/users/{o.pk}/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
    ),
    Endpoint(
        "accounts:user-assign",
        "user",
        lambda w, o: f"/users/{o.pk}/assign/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
        method="post",
        data=_role,
        ok={"*": 302},  # already holds it: said on the user's page
    ),
    Endpoint(
        "accounts:user-unassign",
        "user",
        lambda w, o: f"/users/{o.pk}/roles/{_assignment(w, o)}/remove/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
        method="post",
        ok={"*": 302},  # the only role: refused with a message on the user's page
    ),
    Endpoint(
        "accounts:user-deactivate",
        "user",
        lambda w, o: f"/users/{o.pk}/deactivate/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
        method="post",
        ok={"*": 302},
    ),
    Endpoint(
        "accounts:user-activate",
        "user",
        lambda w, o: f"/users/{o.pk}/activate/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
        method="post",
        ok={"*": 302},
    ),
    Endpoint(
        "accounts:user-password",
        "user",
        lambda w, o: f"/users/{o.pk}/password/",
        scope=MANAGE_USERS,
        action=MANAGE_USERS,
        method="post",
    ),
    Endpoint(
        "projects:detail",
        "project",
        lambda w, o: f"/projects/{o.pk}/",
        scope=VIEW_PROJECTS,
        action=VIEW_PROJECTS,
    ),
    Endpoint(
        "projects:report",
        "project",
        lambda w, o: f"/projects/{o.pk}/report/",
        scope=VIEW_PROJECTS,
        action=FILE_REPORT,
        ok={"*": 302},  # a planned project: back to its page, which says why
    ),
    *[
        Endpoint(
            f"projects:{name}",
            "project",
            url,
            scope=VIEW_PROJECTS,
            action=EDIT_PROJECTS,
            method="post",
            data=data,
            ok={"*": 302},  # back to the project page, saved or with the reason shown
        )
        for name, url, data in (
            ("advance", lambda w, o: f"/projects/{o.pk}/stage/", _next_stage),
            ("notice", lambda w, o: f"/projects/{o.pk}/notices/", _notice),
            ("funds", lambda w, o: f"/projects/{o.pk}/funds/", _payment),
            ("milestone-add", lambda w, o: f"/projects/{o.pk}/milestones/", _milestone),
            (
                "milestone-done",
                lambda w, o: f"/projects/{o.pk}/milestones/{_milestone_done(w, o)}/done/",
                lambda w, o: {"done_on": "2019-03-20"},
            ),
        )
    ],
    Endpoint(
        "board:bulletin",
        "bulletin",
        lambda w, o: f"/bulletins/{o.pk}/",
        scope=VIEW_PROJECTS,
        action=VIEW_PROJECTS,
    ),
    Endpoint(
        "board:bulletin-docx",
        "bulletin",
        lambda w, o: f"/bulletins/{o.pk}/docx/",
        scope=VIEW_PROJECTS,
        action=VIEW_PROJECTS,
    ),
    # --- API ----------------------------------------------------------------------------
    Endpoint(
        "project-detail",
        "project",
        lambda w, o: f"/api/v1/projects/{o.pk}/",
        scope=VIEW_PROJECTS,
        action=VIEW_PROJECTS,
        api=True,
    ),
    Endpoint("region-detail", "region", lambda w, o: f"/api/v1/regions/{o.code}/", api=True),
    Endpoint("board-region", "region", lambda w, o: f"/api/v1/board/{o.code}/", api=True),
    Endpoint("board-trend", "region", lambda w, o: f"/api/v1/board/{o.code}/trend/", api=True),
    Endpoint("board-geo", "region", lambda w, o: f"/api/v1/board/{o.code}/geo/", api=True),
    Endpoint("household-detail", "household", lambda w, o: f"/api/v1/households/{o.pk}/", api=True),
    Endpoint(
        "household-detail",
        "household",
        lambda w, o: f"/api/v1/households/{o.pk}/",
        action=EDIT_REGISTRY,
        method="patch",
        data=_household_version,
        api=True,
    ),
    Endpoint(
        "household-reveal",
        "household",
        lambda w, o: f"/api/v1/households/{o.pk}/reveal/",
        action=REVEAL_PERSONAL_DATA,
        method="post",
        api=True,
    ),
    Endpoint("person-detail", "person", lambda w, o: f"/api/v1/persons/{o.pk}/", api=True),
    Endpoint(
        "person-reveal",
        "person",
        lambda w, o: f"/api/v1/persons/{o.pk}/reveal/",
        action=REVEAL_PERSONAL_DATA,
        method="post",
        api=True,
    ),
    Endpoint(
        "audit-detail",
        "audit",
        lambda w, o: f"/api/v1/audit/{o.pk}/",
        scope=VIEW_AUDIT,
        action=VIEW_AUDIT,
        api=True,
    ),
]

# Lists and pages without an object: each has its own "sees exactly its scope" test in
# test_scoping.py (named in the comment).
LIST_ENDPOINTS = {
    "home": "test_home_opens_the_users_own_region",
    "region-list": "test_api_lists_show_exactly_the_scope",
    "household-list": "test_api_lists_show_exactly_the_scope",
    "household-search": "test_api_lists_show_exactly_the_scope",
    "person-list": "test_api_lists_show_exactly_the_scope",
    "audit-list": "test_audit_lists_show_exactly_the_scope",
    "audit:list": "test_audit_lists_show_exactly_the_scope",
    "accounts:users": "test_user_lists_show_exactly_the_scope",
    "accounts:user-create": "test_user_forms_offer_only_the_scope",
    "accounts:user-import": "tests/security/test_user_management.py",
    "accounts:user-import-template": "tests/security/test_user_management.py",
    "accounts:user-import-passwords": "tests/security/test_user_management.py",
    "accounts:tokens": "tests/security/test_accounts.py (own tokens only)",
    "accounts:password": "tests/security/test_accounts.py (own password only)",
    "accounts:token-revoke": "tests/security/test_accounts.py (own tokens only)",
    **{
        f"exchange:{kind.name}-template": "no data: the empty template (the kind's export action)"
        for kind in KINDS.values()
    },
    **{
        f"exchange:{kind.name}-import": "the kind's import checks every row's place (tests/exchange)"
        for kind in KINDS.values()
    },
    "jobs:list": "tests/jobs/test_jobs.py (own jobs only)",
    "jobs:detail": "tests/jobs/test_jobs.py (own jobs only)",
    "jobs:progress": "tests/jobs/test_jobs.py (own jobs only)",
    "jobs:file": "tests/jobs/test_jobs.py (own jobs only, listed files only)",
    "board-indicators": "no data: the indicator definitions",
    "projects:list": "test_project_lists_show_exactly_the_scope",
    "projects:create": "tests/projects/test_pages.py (offers and accepts only the user's places)",
    "project-list": "test_project_lists_show_exactly_the_scope",
    "board:bulletins": "test_project_lists_show_exactly_the_scope",
    "board:bulletin-generate": "tests/projects/test_pages.py (issue_bulletin, own regions only)",
    "api-root": "no data: links to the lists",
    "schema": "no data: the OpenAPI schema (logged-in users)",
    "api-docs": "no data: Swagger UI (logged-in users)",
}

# Reachable without logging in.
PUBLIC = {"login", "logout", "set_language", "favicon"}

# The Django admin: scoped by the same roles (test_admin_lists_are_scoped).
ADMIN_NAMESPACE = "admin"

# Exports: every registered workbook kind's export function, and the registry's rows
# behind the API; each runs the same matrix.
EXPORTS = [*sorted(KINDS), "battlemap.registry.exports.member_rows"]


# --- endpoints an app classifies in its own tests folder -----------------------------------
# A domain app's tests/<app>/endpoints.py may define ENDPOINTS (Endpoint rows), LISTS
# ({url name: which test shows the list's scope}) and objects(world) -> {kind: [objects of
# township A]} (built into the matrix's world): its pages join the matrix with no line here.


def app_modules():
    import importlib
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for path in sorted(here.parent.glob("*/endpoints.py")):
        if path.parent != here:
            yield importlib.import_module(f"tests.{path.parent.name}.endpoints")


for _module in app_modules():
    OBJECT_ENDPOINTS.extend(getattr(_module, "ENDPOINTS", []))
    LIST_ENDPOINTS.update(getattr(_module, "LISTS", {}))
