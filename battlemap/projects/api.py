"""Projects in the REST API: the library as the user may see it, with money as of a date."""

import datetime as dt

from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import selectors
from .filters import ProjectFilter
from .models import Milestone, Project


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["name", "owner", "start", "due", "done_on"]


class ProjectSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "year",
            "name",
            "programme",
            "construction_type",
            "region",
            "stage",
            "planned_start",
            "planned_end",
            "budget",
            "performance_target",
            "responsible_unit",
            "responsible_leader",
            "responsible_person",
        ]


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the user may see (`year`, `stage`, `region`, `number` filter the list); one project
    answers as it stood on `date` (default today): its stage, stage records, milestones,
    money and latest daily reports up to that day."""

    serializer_class = ProjectSerializer

    filterset_class = ProjectFilter

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).order_by("-year", "region_id", "pk")

    def retrieve(self, request, *args, **kwargs):
        project = selectors.get_project_for(request.user, kwargs["pk"])
        today = timezone.localdate()
        try:
            date = min(dt.date.fromisoformat(request.query_params.get("date") or ""), today)
        except ValueError:
            date = today
        state = selectors.project_on(project, date)
        return Response(
            {
                **ProjectSerializer(project).data,
                "date": date.isoformat(),
                "stage": state["stage"],
                "milestones": [
                    {
                        **MilestoneSerializer(m["milestone"]).data,
                        "done_on": m["done_on"].isoformat() if m["done_on"] else None,
                        "state": m["state"],
                    }
                    for m in state["milestones"]
                ],
                "stage_records": [
                    {"stage": r.stage, "date": r.date.isoformat(), "document": r.document}
                    for r in state["stage_records"]
                ],
                "funds": [
                    {**f, "allocated": str(f["allocated"]), "disbursed": str(f["disbursed"])}
                    for f in state["funds"]
                ],
                "allocated": str(state["allocated"]),
                "disbursed": str(state["disbursed"]),
                "expenditure_rate": state["rate"],
                "reports": [
                    {"date": r.date.isoformat(), "progress": r.progress, "work": r.work}
                    for r in state["reports"][:30]
                ],
            }
        )
