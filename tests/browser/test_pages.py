"""Every page, as the demo personas see it, on a phone (390×844) and a desktop (1440×900),
and the big screen at the command hall's 1920×1080 too:
the page never scrolls sideways, no figure card clips its text, and nothing is logged to
the console (errors, Content-Security-Policy violations, uncaught exceptions).

Set BATTLEMAP_SCREENSHOTS=/some/folder to write a full-page screenshot of every page at
both sizes there (`<persona>-<page>-<width>.png`), to look at them.

The demo takes ~20 s to build and a live-server test flushes the database afterwards, so
the whole walk is one test; it reports every problem it met at the end, not only the first.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import REPORT_CSP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTY = "341824000000"
HUAYANG = "341824100000"
VILLAGE = "341824100201"  # 郎家溪村, the village cadre's
SIZES = [(390, 844), (1440, 900), (1920, 1080)]
# The big screen is made for the command hall's 1920×1080; the other pages are not.
HALL = (1920, 1080)

# Checked on every page after it has drawn: page overflow, clipped figure cards.
MEASURE = """() => {
  const doc = document.documentElement;
  const problems = [];
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).split(' ').join('.') : ''));
    problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth} (${wide.join(', ')})`);
  }
  const cards = document.querySelectorAll('.figure, .figure > *, .figures dd, .figures dt');
  for (const e of cards) {
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
      problems.push(`clipped in a figure card: "${e.innerText.trim().slice(0, 40)}" ${e.scrollWidth} > ${e.clientWidth}`);
    }
  }
  return problems;
}"""


def pages(world) -> list[tuple[str, str, str, int]]:
    """(persona, page name, path, expected status): a representative URL of each page."""
    hh, project, bulletin, record, user = (
        world["household"],
        world["project"],
        world["bulletin"],
        world["audit"],
        world["user"],
    )
    return [
        ("anonymous", "login", "/login/", 200),
        ("anonymous", "404", "/no-such-page/", 404),
        ("county_admin", "map", f"/map/{COUNTY}/", 200),
        ("county_admin", "map-2014", f"/map/{COUNTY}/?date=2014-12-31", 200),
        ("county_admin", "map-township", f"/map/{HUAYANG}/?date=2016-12-31", 200),
        ("county_admin", "households", f"/map/{VILLAGE}/households/?date=2014-12-31", 200),
        ("county_admin", "household", f"/households/{hh}/?date=2016-12-31", 200),
        ("county_admin", "screen", f"/screen/{COUNTY}/", 200),
        ("county_admin", "screen-2016", f"/screen/{COUNTY}/?date=2016-12-31", 200),
        ("county_admin", "projects", "/projects/", 200),
        ("county_admin", "project", f"/projects/{project}/?date=2019-10-15", 200),
        ("county_admin", "project-new", "/projects/new/", 200),
        ("county_admin", "bulletins", "/bulletins/", 200),
        ("county_admin", "bulletin", f"/bulletins/{bulletin}/", 200),
        ("county_admin", "audit", "/audit/", 200),
        ("county_admin", "audit-record", f"/audit/{record}/", 200),
        ("county_admin", "users", "/users/", 200),
        ("county_admin", "user", f"/users/{user}/", 200),
        ("county_admin", "user-new", "/users/new/", 200),
        ("county_admin", "user-import", "/users/import/", 200),
        ("county_admin", "registry-import", "/exchange/registry/import/", 200),
        ("county_admin", "projects-import", "/exchange/projects/import/", 200),
        ("county_admin", "tokens", "/account/tokens/", 200),
        ("county_admin", "password", "/account/password/", 200),
        ("county_admin", "404", "/no-such-page/", 404),
        ("township_huayang", "map", f"/map/{HUAYANG}/?date=2016-12-31", 200),
        ("township_huayang", "projects", "/projects/", 200),
        ("township_huayang", "users", "/users/", 200),
        ("village_cadre", "households", f"/map/{VILLAGE}/households/", 200),
        ("village_cadre", "household", f"/households/{hh}/", 200),
        ("project_owner", "projects", "/projects/", 200),
        ("project_owner", "project", f"/projects/{project}/", 200),
        ("project_owner", "report", f"/projects/{project}/report/", 200),
        ("project_owner", "403", "/audit/", 403),
        ("leader", "map", f"/map/{COUNTY}/?date=2019-06-30", 200),
    ]


def build_world() -> dict:
    from django.contrib.auth import get_user_model

    from battlemap.audit.models import AuditRecord
    from battlemap.board.models import Bulletin
    from battlemap.projects.models import Project
    from battlemap.registry.models import Household

    call_command("demo", stdout=StringIO())
    owner = get_user_model().objects.get(username="project_owner")
    return {
        # A household of the village cadre's village that was poor at the end of 2016.
        "household": Household.objects.filter(village__code=VILLAGE).order_by("pk").first().pk,
        "project": Project.objects.filter(responsible_user=owner).order_by("pk").first().pk,
        "bulletin": Bulletin.objects.order_by("-date").first().pk,
        "audit": AuditRecord.objects.order_by("-pk").first().pk,
        "user": get_user_model().objects.get(username="township_huayang").pk,
    }


def settle(page) -> None:
    """Wait until the page's charts have drawn (their scripts mark them)."""
    page.wait_for_load_state("networkidle")
    for selector, attribute in (
        ("#map-chart", "data-ready='1'"),
        ("#trend-chart", "data-ready='1'"),
        ("#gantt-chart", "data-drawn"),
    ):
        if page.locator(selector).count():
            page.wait_for_selector(f"{selector}[{attribute}]", state="attached", timeout=15000)
    page.wait_for_timeout(150)


def test_every_page_fits_phone_and_desktop(browser, live_server):
    world = build_world()
    folder = os.environ.get("BATTLEMAP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    by_persona: dict[str, list] = {}
    for persona, name, path, status in pages(world):
        by_persona.setdefault(persona, []).append((name, path, status))

    for width, height in SIZES:
        for persona, visits in by_persona.items():
            if (width, height) == HALL and not any(n.startswith("screen") for n, _, _ in visits):
                continue
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            context.add_init_script(REPORT_CSP)
            page = context.new_page()
            console: list[str] = []
            page.on(
                "console",
                lambda m, log=console: log.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e, log=console: log.append(f"uncaught: {e}"))
            if persona != "anonymous":
                page.goto(live_server.url + "/login/")
                page.fill("input[name=username]", persona)
                page.fill("input[name=password]", settings.DEMO_PASSWORD)
                page.click(".login button[type=submit]")
                page.wait_for_load_state()
            for name, path, status in visits:
                if (width, height) == HALL and not name.startswith("screen"):
                    continue
                where = f"{persona} {path} at {width}×{height}"
                console.clear()
                response = page.goto(live_server.url + path)
                if response.status != status:
                    problems.append(f"{where}: status {response.status}, expected {status}")
                    continue
                settle(page)
                problems += [f"{where}: {p}" for p in page.evaluate(MEASURE)]
                for text in console:
                    # The browser logs an error page's own status; that one is expected.
                    if status >= 400 and f"status of {status}" in text:
                        continue
                    problems.append(f"{where}: console: {text}")
                if folder:
                    page.screenshot(
                        path=str(Path(folder) / f"{persona}-{name}-{width}.png"), full_page=True
                    )
            context.close()
    if folder:
        (Path(folder) / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert problems == [], "\n".join(problems)
