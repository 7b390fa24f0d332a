"""Printing: the map page (with its ranking), the household file and a project page print
on A4 without the menu and controls, with their title, date and region; every chart of
them offers ECharts' save-as-image with a translated title."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from tests.factories import ACTOR, make_county, make_project, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345678"
A4 = (595.3, 841.9)  # points; Chromium rounds up to whole pixels (595.92 × 842.88)


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def save_titles(page, *chart_ids: str) -> list[str]:
    return page.evaluate(
        """ids => ids.map(id => {
            const option = echarts.getInstanceByDom(document.getElementById(id)).getOption();
            return option.toolbox[0].feature.saveAsImage.title;
        })""",
        list(chart_ids),
    )


def test_pages_print_on_a4_with_title_date_and_region(page, live_server):
    county = make_county()
    household = register(county.v1, "H1", dt.date(2015, 10, 1), members=2)
    project = make_project(county.v1)
    user_ensure(
        actor=ACTOR,
        username="boss",
        password=PASSWORD,
        role=Role.COUNTY_ADMIN,
        region=county.county,
    )
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click(".login button[type=submit]")
    page.wait_for_url("**/map/*/")

    visits = [
        (f"/map/{county.county.code}/?date=2016-12-31", "绩溪县", ["map-chart", "trend-chart"]),
        (f"/households/{household.pk}/?date=2016-12-31", "H1", []),
        (f"/projects/{project.pk}/?date=2019-06-30", project.name, ["gantt-chart", "money-chart"]),
    ]
    for path, title, charts in visits:
        page.emulate_media(media="screen")
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if charts:
            page.wait_for_selector(f"#{charts[0]} canvas")
            assert save_titles(page, *charts) == ["保存为图片"] * len(charts), path
        page.emulate_media(media="print")
        assert not page.locator(".topbar").is_visible(), f"{path}: the menu prints"
        assert page.locator("h1").is_visible() and title in page.inner_text("h1")
        meta = page.inner_text(".print-meta")
        assert "打印时间" in meta
        date = path.split("date=")[1]
        shown = page.inner_text("main")
        if page.locator("#board-date").count():  # the map's date prints as its date box
            shown += page.locator("#board-date").input_value()
        assert date in shown, f"{path}: the date does not print"
        assert county.v1.name in meta or county.county.name in meta, f"{path}: no region"
        if folder := os.environ.get("BATTLEMAP_SCREENSHOTS"):
            # What the paper shows, roughly: the print layout at A4's width.
            page.set_viewport_size({"width": 794, "height": 1123})
            name = path.strip("/").split("/")[0]
            page.screenshot(path=str(Path(folder) / f"print-{name}.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 800})
        sizes = pdf_pages(page.pdf(format="A4", print_background=True))
        assert sizes and all(abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2 for w, h in sizes), sizes
        assert len(sizes) <= 4, f"{path}: {len(sizes)} pages"
