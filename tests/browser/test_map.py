"""The battle map in headless Chromium, on the demo county: the map draws, the date control
redraws the 2019 and 2014 figures, a click drills county → township → village → household,
and the big screen shows the same data. Nothing is loaded from anywhere but Battlemap.

The demo takes a few seconds to load and live-server tests flush the database after each
test, so the whole walk is one test. Set BATTLEMAP_SCREENSHOTS=docs/screenshots to write
the README's screenshots (map.png, screen.png) on the way.
"""

import datetime as dt
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from shapely.geometry import shape

from battlemap.board.selectors import first_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNTY = "341824000000"
MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")


def shown_figures(page) -> dict[str, str]:
    return dict(
        zip(
            page.locator("#figures .figure-label").all_inner_texts(),
            page.locator("#figures .figure-value").all_inner_texts(),
            strict=True,
        )
    )


def wait_shown(page, date: str) -> None:
    """Wait until the page has redrawn everything for `date` (map.js sets data-shown)."""
    page.wait_for_function(
        "date => (document.getElementById('board').dataset.shown || '').startsWith(date)",
        arg=date,
    )


def map_ready(page) -> None:
    page.wait_for_selector("#map-chart[data-ready='1']")
    page.wait_for_selector("#trend-chart[data-ready='1']")


def canvas_coverage(page) -> float:
    """Share of the map canvas's pixels that something was drawn on."""
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#map-chart canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let drawn = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
            return drawn / (data.length / 4);
        }"""
    )


def click_region(page, code: str) -> None:
    """Click inside a region on the map: a point inside its shape, to pixels by ECharts."""
    geo_url = page.locator("#board").get_attribute("data-geo-url")
    geojson = page.evaluate("url => fetch(url).then(r => r.json())", geo_url)
    feature = next(f for f in geojson["features"] if f["properties"]["code"] == code)
    point = shape(feature["geometry"]).representative_point()
    x, y = page.evaluate(
        """([lng, lat]) => echarts.getInstanceByDom(document.getElementById('map-chart'))
              .convertToPixel({seriesIndex: 0}, [lng, lat])""",
        [point.x, point.y],
    )
    box = page.locator("#map-chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def screenshot(page, name: str) -> None:
    folder = os.environ.get("BATTLEMAP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=name == "map.png")


def test_map_drill_down_dates_and_big_screen(page, live_server):
    call_command("demo", stdout=StringIO())
    start = first_date()

    page.goto(live_server.url + "/")
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click(".login button[type=submit]")
    page.wait_for_url(f"**/map/{COUNTY}/")
    map_ready(page)
    assert page.locator("#map-chart canvas").count() >= 1
    assert canvas_coverage(page) > 0.05, "the map canvas is blank"
    assert page.locator("#map-schematic").is_visible()  # township shapes are schematic

    # The date box: the figures strip shows the demo's November 2019 figures.
    page.fill("#board-date", "2019-11-30")
    wait_shown(page, "2019-11-30")
    figures = shown_figures(page)
    assert figures["未脱贫户"] == "11"
    assert figures["未脱贫人口"] == "28"
    assert figures["贫困发生率"] == "0.02"
    assert "date=2019-11-30" in page.url

    # The slider: back to the end of 2014.
    page.fill("#board-slider", str((dt.date(2014, 12, 31) - start).days))
    wait_shown(page, "2014-12-31")
    assert page.input_value("#board-date") == "2014-12-31"
    figures = shown_figures(page)
    assert (figures["未脱贫户"], figures["未脱贫人口"], figures["贫困发生率"]) == (
        "5,307",
        "10,100",
        "7.10",
    )
    assert "date=2014-12-31" in page.url
    ranking = page.locator("#ranking-body td.name a")
    assert ranking.count() == 12
    assert "date=2014-12-31" in ranking.first.get_attribute("href")

    # Reloading the shared address shows the same figures, drawn by the server this time.
    page.reload()
    map_ready(page)
    assert shown_figures(page)["未脱贫户"] == "5,307"
    page.click("[data-period=month]")
    page.wait_for_function(
        "() => echarts.getInstanceByDom(document.getElementById('trend-chart'))"
        ".getOption().xAxis[0].data[0] === '2014-01'"
    )
    map_ready(page)
    screenshot(page, "map.png")

    # Click a township on the map: its villages.
    township = "341824100000"  # 华阳镇
    click_region(page, township)
    page.wait_for_url(f"**/map/{township}/?date=2014-12-31*")
    map_ready(page)
    assert page.locator(".breadcrumb a", has_text="绩溪县").count() == 1
    villages = page.locator("#ranking-body td.name a")
    assert villages.count() >= 5
    village_name = page.locator("#ranking-body td.name a").first.inner_text()

    # Click a village on the map: its household list on the same date.
    geojson = page.evaluate(
        "url => fetch(url).then(r => r.json())", f"/api/v1/board/{township}/geo/"
    )
    village = next(f for f in geojson["features"] if f["properties"]["name"] == village_name)
    click_region(page, village["properties"]["code"])
    page.wait_for_url(f"**/map/{village['properties']['code']}/households/?date=2014-12-31")
    assert village_name in page.inner_text("h1")
    first = page.locator("table.households tbody a").first
    number = first.inner_text()

    # A household opens its file: members with masked ID numbers, history, income.
    first.click()
    page.wait_for_url("**/households/*/?date=2014-12-31")
    text = page.inner_text("main")
    assert number in text
    assert "家庭成员" in text and "状态变化" in text and "两不愁三保障" in text
    assert MASKED_ID.search(text)

    # The big screen: the same figures, large, dark.
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/screen/{COUNTY}/?date=2016-12-31")
    map_ready(page)
    assert canvas_coverage(page) > 0.05
    assert shown_figures(page)["未脱贫户"] == "2,692"
    assert page.locator("#ranking-body tr").count() == 12
    screenshot(page, "screen.png")

    hosts = {url.split("/")[2] for url in page.requests}
    assert hosts == {live_server.url.split("/")[2]}, "a page loaded something from elsewhere"
