"""The daily report form: short, for a phone."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
