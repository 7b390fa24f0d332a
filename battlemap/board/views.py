"""The battle map's pages: a region's map, its households, a household's file, the big screen.

Thin views: read the date and indicator from the query string, fetch the region or the
household through the user's scope (a miss is a 404, existing or not), call the board
selectors, render. The map and the big screen draw the same JSON the API serves
(/api/v1/board/…); the page embeds the first answer so it shows figures before any
script runs, and the scripts (static/js/) redraw from the API when the date changes.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from battlemap.core.codes import Level
from battlemap.core.figures import INDICATORS, default_indicator, key_figures
from battlemap.regions.models import Region
from battlemap.regions.selectors import top_region_codes
from battlemap.registry.views import _url, page_date, region_link

from . import selectors

PAGE_SIZE = 50
STATUS_CHOICES = ("registered", "poor", "exited", "removed")


def page_indicator(request: HttpRequest) -> str:
    name = request.GET.get("indicator")
    return name if name in INDICATORS else default_indicator()


def records_link(region: Region, indicator, date: dt.date) -> str | None:
    """The rows behind a figure, where the app that declared the indicator lists them."""
    return indicator.records_link(region, date) if indicator.records_link else None


def _detail(measures: dict, name: str | None, indicator) -> int | None:
    """A ratio's numerator or denominator as the figure's detail line shows it."""
    if not indicator.denominator or name is None:
        return None
    return round(measures.get(name, 0) / indicator.detail_scale)


def board_context(request: HttpRequest, region: Region) -> dict:
    """What the map page and the big screen render: the board selector's answer, as the API."""
    date, today = page_date(request)
    indicator = page_indicator(request)
    data = selectors.board(region, date, indicator)
    first = selectors.first_date(region.code)
    data["breadcrumb"] = selectors.breadcrumb(request.user, region)
    data["first_date"] = first.isoformat() if first else None
    data["today"] = today.isoformat()

    figures = []
    for name in key_figures():
        item = INDICATORS[name]
        figures.append(
            {
                "indicator": item,
                "value": data["indicators"][name],
                "numerator": _detail(data["measures"], item.numerator, item),
                "denominator": _detail(data["measures"], item.denominator, item),
                "url": records_link(region, item, date),
            }
        )
    children = {child["code"]: child for child in data["children"]}
    chosen = INDICATORS[indicator]
    ranking = [
        {
            "rank": rank,
            "child": children[code],
            "value": children[code]["indicators"][indicator],
            "url": region_link(children[code], date, indicator),
        }
        for rank, code in enumerate(data["ranking"], start=1)
    ]
    # Places 1-3 are marked as the worst only where they differ from the best value:
    # when everyone ties (all 0.00) nobody is singled out.
    valued = [row["value"] for row in ranking if row["value"] is not None]
    for row in ranking:
        row["worst"] = row["rank"] <= 3 and row["value"] is not None and row["value"] != valued[-1]
    child_level = data["children"][0]["level"] if data["children"] else None
    first_day = first or date
    # A day without a poor household (the campaign ended in 2020) draws an all-zero map:
    # say so, and offer the last day that had poor households.
    last_poor = selectors.last_poor_date(region.code)
    poor_gone = bool(last_poor and last_poor < date and not data["measures"]["households_poor"])
    return {
        "region": region,
        "board": data,
        "date": date,
        "today": today,
        "first_date": first_day,
        "slider_max": max((today - first_day).days, 0),
        "slider_value": min(max((date - first_day).days, 0), max((today - first_day).days, 0)),
        "last_poor": last_poor,
        "poor_gone": poor_gone,
        "indicator": chosen,
        "indicators": list(INDICATORS.values()),
        "figures": figures,
        "ranking": ranking,
        "child_level": Level(child_level).label if child_level else "",
        "breadcrumb": [
            {**crumb, "url": region_link(crumb, date, indicator)} for crumb in data["breadcrumb"]
        ],
        "meta": {
            "key_figures": list(key_figures()),
            "indicators": {name: item.as_dict() for name, item in INDICATORS.items()},
            "ui": {
                "loadFailed": _("数据加载失败，请检查网络后刷新页面。"),
                "saveImage": _("保存为图片"),
            },
        },
    }


@login_required
def region_map(request, code: str):
    """The battle map of a region: figures, map of its children, ranking and trend on a date."""
    region = selectors.region_for(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect(_url("registry:households", region.code, date=request.GET.get("date")))
    context = board_context(request, region)
    tops = Region.objects.visible_to(request.user).filter(code__in=top_region_codes(request.user))
    # A user over several regions (two townships, say) switches between their maps here.
    context["tops"] = [top for top in tops if top.code != region.code] if len(tops) > 1 else []
    return render(request, "board/map.html", context)


@login_required
def region_screen(request, code: str):
    """The big screen (大屏) for the command hall: the same data, dark, large, refreshing itself."""
    region = selectors.region_for(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect(_url("registry:households", region.code, date=request.GET.get("date")))
    context = board_context(request, region)
    context["pinned"] = bool(request.GET.get("date"))
    return render(request, "board/screen.html", context)
