from django.contrib import admin

from battlemap.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Region, RegionPopulation, VillageStatusEvent


class PopulationInline(ReadOnlyInline):
    model = RegionPopulation


class VillageEventInline(ReadOnlyInline):
    model = VillageStatusEvent


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    inlines = [PopulationInline, VillageEventInline]
    exclude = ["geometry"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(RegionPopulation)
class RegionPopulationAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "registered", "rural"]
    list_filter = ["year"]
    search_fields = ["region__code", "region__name"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(region__in=Region.objects.visible_to(request.user))
        )


@admin.register(VillageStatusEvent)
class VillageStatusEventAdmin(ReadOnlyAdmin):
    list_display = ["region", "kind", "date"]
    list_filter = ["kind"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(region__in=Region.objects.visible_to(request.user))
        )
