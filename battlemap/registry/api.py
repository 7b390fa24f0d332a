"""The registry in the REST API: households with members and history, persons.

Every list starts from `visible_to(user)`; a record outside the user's scope is a 404.
Personal numbers are always masked here; `POST …/reveal/` shows one number in clear to a
role that may reveal it, and records that it did (registry.personal).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from battlemap.accounts.permissions import Action, user_can
from battlemap.core import crypto

from .filters import HouseholdFilter, PersonFilter
from .models import Guarantee, Household, HouseholdEvent, Person
from .personal import household_phone_reveal, person_id_reveal
from .selectors import guarantees_on, household_incomes
from .services import household_update
from .status import KIND_STATE


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
        fields = ["id", "number", "village", "village_name", "main_cause", "status"]

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
    """What PATCH may change; `version` is the one read, so no edit overwrites another."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    food_clothing_secure = serializers.BooleanField(required=False)
    education_secure = serializers.BooleanField(required=False)
    medical_secure = serializers.BooleanField(required=False)
    housing_secure = serializers.BooleanField(required=False)
    water_secure = serializers.BooleanField(required=False)


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

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change a household's note, phone or basic guarantees (409 if someone else
        changed it since `version` was read)."""
        household = self.get_object()
        if not user_can(request.user, Action.EDIT_REGISTRY, household):
            raise PermissionDenied(_("您的角色无权执行此操作。"))
        data = HouseholdUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        household_update(
            actor=request.user, household=household, expected_version=version, **changes
        )
        household = self.get_queryset().get(pk=household.pk)
        return Response(HouseholdDetailSerializer(household).data)

    @extend_schema(request=None, responses=PhoneSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The household's phone number in clear; the look is recorded in the audit trail."""
        household = self.get_object()
        return Response({"phone": household_phone_reveal(actor=request.user, household=household)})


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

    @extend_schema(request=None, responses=IdNumberSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The person's ID number in clear; the look is recorded in the audit trail."""
        person = self.get_object()
        return Response({"id_number": person_id_reveal(actor=request.user, person=person)})
