"""The battle map's JSON: any client can draw the same map from these endpoints."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from battlemap.core.figures import INDICATORS, default_indicator, key_figures
from battlemap.regions.geometry import feature_collection

from . import selectors
from .selectors import breadcrumb, region_for

DATE = OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD, default today")
INDICATOR = OpenApiParameter(
    "indicator", OpenApiTypes.STR, enum=list(INDICATORS), description="map colour and ranking"
)
PERIOD = OpenApiParameter("period", OpenApiTypes.STR, enum=["month", "year"])


def date_param(request) -> dt.date:
    today = timezone.localdate()
    raw = request.query_params.get("date")
    if not raw:
        return today
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"date": _("日期无效：请写成YYYY-MM-DD，例如2019-11-30。")}) from None
    if value > today:
        raise ValidationError({"date": _("日期不能晚于今天。")})
    return value


class IndicatorList(APIView):
    """The indicator definitions: label, unit, how it rolls up, its colour scale."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            {
                "default": default_indicator(),
                "key_figures": list(key_figures()),
                "indicators": [item.as_dict() for item in INDICATORS.values()],
            }
        )


class RegionBoard(APIView):
    """A region's figures and its children's on a date, with the children ranked worst first."""

    @extend_schema(parameters=[DATE, INDICATOR], responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        region = region_for(request.user, code)
        indicator = request.query_params.get("indicator") or default_indicator()
        if indicator not in INDICATORS:
            raise ValidationError({"indicator": _("未知的指标。")})
        date = date_param(request)
        data = selectors.board(region, date, indicator)
        first = selectors.first_date(region.code)
        data["breadcrumb"] = breadcrumb(request.user, region)
        data["first_date"] = first.isoformat() if first else None
        data["today"] = timezone.localdate().isoformat()
        return Response(data)


class RegionTrend(APIView):
    """Measures and indicators at each month-end or year-end up to a date."""

    @extend_schema(parameters=[DATE, PERIOD], responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        region = region_for(request.user, code)
        period = request.query_params.get("period") or "year"
        if period not in ("month", "year"):
            raise ValidationError({"period": _("period 只能是 month 或 year。")})
        return Response(selectors.trend(region, period=period, until=date_param(request)))


class RegionGeometry(APIView):
    """GeoJSON of the region's children: real boundaries where imported, else a schematic."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        region = region_for(request.user, code)
        return Response(feature_collection(region))
