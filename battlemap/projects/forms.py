"""The daily report form: short, for a phone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConstructionType, Programme


class ReportForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    progress = forms.IntegerField(
        label=_("形象进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    work = forms.CharField(label=_("当日进展"), widget=forms.Textarea(attrs={"rows": 3}))
    amount_paid = forms.DecimalField(
        label=_("当日支付（元）"),
        min_value=0,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, earliest=None, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers only the days a report may be filed for.
        attrs = self.fields["date"].widget.attrs
        if earliest:
            attrs["min"] = earliest.isoformat()
        if latest:
            attrs["max"] = latest.isoformat()


class ProjectForm(forms.Form):
    """A new project in the plan (谋划); `region` offers the places the user may plan in."""

    region = forms.ChoiceField(label=_("实施地点"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.CharField(
        label=_("项目编号"),
        required=False,
        max_length=40,
        help_text=_("省项目库系统的编号；不填由系统编号。"),
    )
    name = forms.CharField(label=_("项目名称"), max_length=100)
    programme = forms.ChoiceField(label=_("所属工程"), choices=Programme.choices)
    construction_type = forms.ChoiceField(label=_("建设性质"), choices=ConstructionType.choices)
    planned_start = forms.DateField(
        label=_("计划开工"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    planned_end = forms.DateField(
        label=_("计划完工"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    budget = forms.DecimalField(label=_("概算投资（元）"), min_value=0, decimal_places=2)
    content = forms.CharField(
        label=_("建设内容及规模"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    performance_target = forms.CharField(
        label=_("绩效目标"),
        required=False,
        help_text=_("没有绩效目标的项目不能入库。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    benefit_mechanism = forms.CharField(label=_("带贫机制"), required=False, max_length=200)
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=60)
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=30)
    responsible_person = forms.CharField(label=_("责任人"), max_length=30)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.name}（{r.code}）") for r in regions]
