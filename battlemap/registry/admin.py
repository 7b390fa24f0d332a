from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from battlemap.core.admin import ReadOnlyAdmin, ReadOnlyInline
from battlemap.core.scoping import user_can, user_can_anywhere

from .actions import EDIT_REGISTRY
from .models import Code, Household, HouseholdEvent, IncomeRecord, Person
from .services import household_event_add


class MemberInline(ReadOnlyInline):
    model = Person
    fields = [
        "name",
        "relation",
        "masked_id",
        "sex",
        "birth_date",
        "health",
        "labour",
        "joined_on",
        "left_on",
    ]
    readonly_fields = fields

    @admin.display(description=_("证件号码"))
    def masked_id(self, person):
        return person.id_number_masked


class EventInline(ReadOnlyInline):
    model = HouseholdEvent
    fields = ["kind", "date", "note"]
    readonly_fields = fields


class IncomeInline(ReadOnlyInline):
    model = IncomeRecord


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "village", "main_cause"]
    list_select_related = ["village", "main_cause"]
    search_fields = ["number", "village__name"]
    exclude = ["phone_cipher"]
    inlines = [MemberInline, EventInline, IncomeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "household", "relation", "sex", "birth_date", "health"]
    list_select_related = ["household", "relation", "health"]
    search_fields = ["name", "household__number"]
    exclude = ["id_cipher"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(HouseholdEvent)
class HouseholdEventAdmin(ReadOnlyAdmin):
    """Status changes can be added here; the service checks the sequence and audits."""

    list_display = ["household", "kind", "date", "note"]
    list_filter = ["kind"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]

    def has_add_permission(self, request, obj=None):
        return bool(request.user.is_staff and user_can_anywhere(request.user, EDIT_REGISTRY))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(household__in=Household.objects.visible_to(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):

        if db_field.name == "household":
            # The add form accepts only households the user may edit: others are unknown.
            kwargs["queryset"] = Household.objects.visible_to(request.user, EDIT_REGISTRY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        from django.core.exceptions import PermissionDenied

        if not user_can(request.user, EDIT_REGISTRY, obj.household):
            raise PermissionDenied
        event = household_event_add(
            actor=request.user, household=obj.household, kind=obj.kind, date=obj.date, note=obj.note
        )
        obj.pk = event.pk


@admin.register(IncomeRecord)
class IncomeRecordAdmin(ReadOnlyAdmin):
    list_display = ["household", "year", "wages", "production", "transfers", "costs"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(household__in=Household.objects.visible_to(request.user))
        )


@admin.register(Code)
class CodeAdmin(ReadOnlyAdmin):
    list_display = ["table", "label", "label_en", "sort"]
    list_filter = ["table"]
