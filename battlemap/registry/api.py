"""The registry in the REST API: households with members and history, persons.

Every list starts from `visible_to(user)`; a record outside the user's scope is a 404.
Personal numbers are always masked here; `POST …/reveal/` shows one number in clear to a
role that may reveal it, and records that it did (registry.personal).
"""

import datetime as dt

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from battlemap.core import crypto
from battlemap.core.api import PreconditionFailed, if_match_version, version_etag
from battlemap.core.errors import StaleWrite
from battlemap.core.scoping import user_can
from battlemap.registry.actions import EDIT_REGISTRY

from .filters import HouseholdFilter, PersonFilter, is_full_id_number
from .models import Guarantee, Household, HouseholdEvent, Person
from .personal import household_phone_reveal, person_id_reveal
from .selectors import guarantees_on, household_incomes
from .services import household_update
from .status import KIND_STATE


def _never_stored(response: Response) -> Response:
    """A clear number must not stay in a browser's or a proxy's cache (Cache-Control:
    no-store, as the household file's reveal answers)."""
    add_never_cache_headers(response)
    return response


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = HouseholdEvent
        fields = ["kind", "kind_label", "date", "note"]


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text=_("证件号码（脱敏）"))
    relation = serializers.CharField(source="relation.label")
    health = serializers.CharField(source="health.label")
    labour = serializers.CharField(source="labour.label")
    household_number = serializers.CharField(source="household.number")

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "household_number",
            "relation",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "health",
            "labour",
            "joined_on",
            "left_on",
            "version",
        ]

    @extend_schema_field(serializers.CharField())
    def get_id_number(self, person) -> str:
        return crypto.mask_id_number(person.id_number)


class HouseholdSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name")
    main_cause = serializers.CharField(source="main_cause.label")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "number", "village", "village_name", "main_cause", "status", "version"]

    @extend_schema_field(serializers.ChoiceField(choices=["poor", "exited", "removed", "none"]))
    def get_status(self, household) -> str:
        return KIND_STATE.get(getattr(household, "status_kind", None) or "", "none")


class IncomeSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    wages = serializers.DecimalField(max_digits=12, decimal_places=2)
    production = serializers.DecimalField(max_digits=12, decimal_places=2)
    property_income = serializers.DecimalField(max_digits=12, decimal_places=2)
    transfers = serializers.DecimalField(max_digits=12, decimal_places=2)
    costs = serializers.DecimalField(max_digits=12, decimal_places=2)
    net_income = serializers.DecimalField(max_digits=12, decimal_places=2)
    members = serializers.IntegerField()
    net_income_per_person = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True
    )


class GuaranteeSerializer(serializers.Serializer):
    guarantee = serializers.ChoiceField(choices=Guarantee.choices)
    label = serializers.CharField()
    secure = serializers.BooleanField(allow_null=True)
    date = serializers.DateField(allow_null=True, help_text=_("评估日期"))
    note = serializers.CharField(allow_blank=True)


class HouseholdDetailSerializer(HouseholdSerializer):
    members = PersonSerializer(many=True)
    events = EventSerializer(many=True)
    phone = serializers.SerializerMethodField()
    incomes = serializers.SerializerMethodField()
    guarantees = serializers.SerializerMethodField()

    class Meta(HouseholdSerializer.Meta):
        fields = [
            *HouseholdSerializer.Meta.fields,
            "phone",
            "food_clothing_secure",
            "education_secure",
            "medical_secure",
            "housing_secure",
            "water_secure",
            "guarantees",
            "members",
            "events",
            "incomes",
        ]

    @extend_schema_field(serializers.CharField())
    def get_phone(self, household) -> str:
        return household.phone_masked

    @extend_schema_field(GuaranteeSerializer(many=True))
    def get_guarantees(self, household) -> list:
        """Each guarantee as assessed on `?date=` (default today): the latest assessment on
        or before it; `secure` is null where none was made (未评估)."""
        request = self.context.get("request")
        day = timezone.localdate()
        try:
            day = min(dt.date.fromisoformat(request.query_params.get("date") or ""), day)
        except (AttributeError, ValueError):
            pass
        rows = []
        for guarantee, row in guarantees_on(household, day).items():
            rows.append(
                {
                    "guarantee": guarantee,
                    "label": Guarantee(guarantee).label,
                    "secure": None if row is None else row.secure,
                    "date": None if row is None else row.date,
                    "note": "" if row is None else row.note,
                }
            )
        return GuaranteeSerializer(rows, many=True).data

    @extend_schema_field(IncomeSerializer(many=True))
    def get_incomes(self, household) -> list:
        return IncomeSerializer(household_incomes(household), many=True).data


class HouseholdUpdateSerializer(serializers.Serializer):
    """What PATCH may change; `version` is the one read (or `If-Match` names it), so no edit
    overwrites another."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    food_clothing_secure = serializers.BooleanField(required=False)
    education_secure = serializers.BooleanField(required=False)
    medical_secure = serializers.BooleanField(required=False)
    housing_secure = serializers.BooleanField(required=False)
    water_secure = serializers.BooleanField(required=False)


class HouseholdSearchSerializer(serializers.Serializer):
    """The household list's filters in a POST body: a full ID number never goes in a URL."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("成员姓名或户编号（部分即可），或完整证件号码"),
    )
    region = serializers.CharField(required=False, allow_blank=True, max_length=12)
    status = serializers.ChoiceField(
        required=False, allow_blank=True, choices=["registered", "poor", "exited", "removed"]
    )
    date = serializers.DateField(required=False, allow_null=True)
    number = serializers.CharField(required=False, allow_blank=True, max_length=32)


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text=_("联系电话（完整）"))


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text=_("证件号码（完整）"))


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    """Households the user may see, with status on `date` (default today)."""

    filterset_class = HouseholdFilter

    def get_queryset(self):
        queryset = Household.objects.visible_to(self.request.user).select_related(
            "village", "main_cause"
        )
        if self.action in ("retrieve", "partial_update"):
            queryset = queryset.prefetch_related(
                "events", "incomes", "members__relation", "members__health", "members__labour"
            ).with_status_on(timezone.localdate())
        return queryset.order_by("village_id", "number")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return HouseholdUpdateSerializer
        return HouseholdDetailSerializer if self.action == "retrieve" else HouseholdSerializer

    def retrieve(self, request, *args, **kwargs):
        """One household with its members, events and incomes; the ETag names its version."""
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = version_etag(response.data["version"])
        return response

    @extend_schema(
        request=HouseholdUpdateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_("读取时的 ETag；可代替请求体中的 version"),
            )
        ],
        responses={
            200: HouseholdDetailSerializer,
            409: OpenApiResponse(description=_("请求体中的 version 已过期")),
            412: OpenApiResponse(description=_("If-Match 中的 ETag 已过期")),
        },
    )
    def list(self, request, *args, **kwargs):
        """Households by the query's filters; `q` takes part of a name or household number
        (a full ID number goes to `POST …/search/`: URLs end up in access logs)."""
        if is_full_id_number(request.query_params.get("q", "")):
            raise ValidationError(
                {
                    "q": [
                        _(
                            "完整证件号码不能放在网址中（访问日志会记下网址）："
                            "请用 POST /api/v1/households/search/ 查询。"
                        )
                    ]
                }
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(request=HouseholdSearchSerializer, responses=HouseholdSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """The household list filtered by the body (the list's filters, a full ID number
        in `q` included); pages by `?page=`."""
        body = HouseholdSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if v not in (None, "")}
        filterset = HouseholdFilter(data, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(HouseholdSerializer(page, many=True).data)

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change a household's note, phone or basic guarantees. The version read goes in
        `If-Match` (its ETag: 412 if someone else changed it since) or in the body's
        `version` (409 if so)."""
        household = self.get_object()
        if not user_can(request.user, EDIT_REGISTRY, household):
            raise PermissionDenied(_("您的角色无权执行此操作。"))
        matched = if_match_version(request, household.version)
        data = HouseholdUpdateSerializer(data=request.data)
        if matched is not None:
            data.fields["version"].required = False
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version", matched)
        try:
            household_update(
                actor=request.user, household=household, expected_version=version, **changes
            )
        except StaleWrite:
            if matched is not None:
                # Another write landed between the If-Match check and ours: the same 412.
                raise PreconditionFailed() from None
            raise
        household = self.get_queryset().get(pk=household.pk)
        response = Response(HouseholdDetailSerializer(household).data)
        response["ETag"] = version_etag(household.version)
        return response

    @extend_schema(request=None, responses=PhoneSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The household's phone number in clear; the look is recorded in the audit trail."""
        household = self.get_object()
        return _never_stored(
            Response({"phone": household_phone_reveal(actor=request.user, household=household)})
        )


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Persons the user may see; ID numbers masked."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("household", "relation", "health", "labour")
            .order_by("household_id", "id")
        )

    def retrieve(self, request, *args, **kwargs):
        """One person; the ETag names their version."""
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = version_etag(response.data["version"])
        return response

    @extend_schema(request=None, responses=IdNumberSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The person's ID number in clear; the look is recorded in the audit trail."""
        person = self.get_object()
        return _never_stored(
            Response({"id_number": person_id_reveal(actor=request.user, person=person)})
        )
