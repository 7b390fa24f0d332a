"""The project library (扶贫项目库): projects, their stages, funds, milestones and daily reports.

Money is `Decimal` in 元 with two places. A project's stage is the last of its dated
stage records; every figure (completed, allocated, disbursed) is read from the dated
rows, so any past date can be asked about.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from battlemap.regions.models import Region
from battlemap.registry.models import Household

from .querysets import PROJECT_ROW_SCOPE, PROJECT_SCOPE, ProjectQuerySet, ProjectRowQuerySet


class Programme(models.TextChoices):
    """The ten programmes (十大工程) a project belongs to."""

    INDUSTRY = "industry", _("产业扶贫工程")
    EMPLOYMENT = "employment", _("就业扶贫工程")
    EDUCATION = "education", _("智志扶贫工程")
    RELOCATION = "relocation", _("易地扶贫搬迁工程")
    ECOLOGY = "ecology", _("生态扶贫工程")
    HEALTH = "health", _("健康扶贫工程")
    SOCIAL_SECURITY = "social_security", _("社保兜底工程")
    INFRASTRUCTURE = "infrastructure", _("基础设施建设工程")
    FINANCE = "finance", _("金融扶贫工程")
    SOCIAL = "social", _("社会扶贫工程")


class ConstructionType(models.TextChoices):
    NEW = "new", _("新建")
    EXTENSION = "extension", _("改扩建")
    REPAIR = "repair", _("维修")
    PURCHASE = "purchase", _("购置")
    SUBSIDY = "subsidy", _("补助")


class Stage(models.TextChoices):
    """The stages in order; a project moves one stage forward at a time."""

    PLANNED = "planned", _("谋划")
    IN_LIBRARY = "in_library", _("入库")
    APPLIED = "applied", _("申报")
    APPROVED = "approved", _("批复")
    UNDER_WAY = "under_way", _("实施")
    ACCEPTED = "accepted", _("验收")
    EVALUATED = "evaluated", _("绩效评价")
    HANDED_OVER = "handed_over", _("资产移交")


STAGE_ORDER = list(Stage.values)
# From acceptance on a project counts as completed (竣工).
COMPLETED_STAGES = STAGE_ORDER[STAGE_ORDER.index(Stage.ACCEPTED) :]


class FundSource(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")
    OTHER = "other", _("其他")


class Project(models.Model):
    """A poverty-alleviation project in a village or township, with its owners and target."""

    region = models.ForeignKey(
        Region, verbose_name=_("实施地点"), on_delete=models.PROTECT, related_name="projects"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # The project's key (项目编号), unique in its county and year: the provincial
    # project-library system's number where the county has one, else Battlemap's own
    # (`projects.rules.project_number`).
    number = models.CharField(_("项目编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=100)
    programme = models.CharField(_("所属工程"), max_length=20, choices=Programme.choices)
    construction_type = models.CharField(
        _("建设性质"), max_length=12, choices=ConstructionType.choices
    )
    planned_start = models.DateField(_("计划开工"))
    planned_end = models.DateField(_("计划完工"))
    content = models.TextField(_("建设内容及规模"), blank=True)
    budget = models.DecimalField(_("概算投资（元）"), max_digits=14, decimal_places=2)
    performance_target = models.TextField(_("绩效目标"), blank=True)
    benefit_mechanism = models.TextField(_("带贫机制"), blank=True)
    beneficiaries = models.ManyToManyField(
        Household, verbose_name=_("受益贫困户"), blank=True, related_name="projects"
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=60)
    responsible_leader = models.CharField(_("责任领导"), max_length=30)
    responsible_person = models.CharField(_("责任人"), max_length=30)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_responsible",
    )
    # The current stage, kept by the stage services next to the dated records (a list
    # filter); the stage on a past date is read from the records.
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.PLANNED)

    scope = PROJECT_SCOPE
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("扶贫项目")
        verbose_name_plural = _("扶贫项目库")
        ordering = ["year", "region_id", "id"]
        indexes = [models.Index(fields=["year", "region"], name="project_year_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_ge_0"),
            models.UniqueConstraint(
                Substr("region", 1, 6),
                models.F("year"),
                models.F("number"),
                name="project_number_unique_in_county_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:detail", args=[self.pk])


class StageRecord(models.Model):
    """A project entered a stage on a date (with the document that decided it)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_records")
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices)
    date = models.DateField(_("日期"))
    document = models.CharField(_("文号或说明"), max_length=100, blank=True)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目阶段记录")
        verbose_name_plural = _("项目阶段记录")
        ordering = ["project", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="stage_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage} {self.date}"


class Notice(models.Model):
    """A public notice (公示 before entering the library, 公告 after acceptance)."""

    class Kind(models.TextChoices):
        BEFORE_ENTRY = "before_entry", _("入库前公示")
        AFTER_ACCEPTANCE = "after_acceptance", _("验收后公告")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("公示开始"))
    end = models.DateField(_("公示结束"))
    place = models.CharField(_("公示地点"), max_length=60)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示公告")
        verbose_name_plural = _("公示公告")
        ordering = ["project", "start"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.start}"


class Allocation(models.Model):
    """Money of one year and source allocated (下达) to a project on a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="allocations")
    year = models.PositiveSmallIntegerField(_("资金年度"))
    source = models.CharField(_("资金来源"), max_length=12, choices=FundSource.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    date = models.DateField(_("下达日期"))
    document = models.CharField(_("文号"), max_length=100, blank=True)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金下达")
        verbose_name_plural = _("资金下达")
        ordering = ["project", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_amount_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source} {self.amount}"


class Disbursement(models.Model):
    """Money moved for a project on a date. Only a payment (支付) to the payee counts as
    spent; a transfer (拨付) to a department's account does not."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("支付")
        TRANSFER = "transfer", _("拨付至部门（未支付）")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="disbursements")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    date = models.DateField(_("日期"))
    payee = models.CharField(_("收款方"), max_length=60)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金支付")
        verbose_name_plural = _("资金支付")
        ordering = ["project", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="disbursement_amount_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.amount}"


class Milestone(models.Model):
    """A step of the project battle map: what, whose, by when, and when it was done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点"), max_length=60)
    owner = models.CharField(_("责任人"), max_length=30)
    start = models.DateField(_("开始"))
    due = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("start")), name="milestone_due_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DailyReport(models.Model):
    """The daily report (日报告) of a project under way: progress, money paid, problems."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("日期"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("填报人"), max_length=30)
    progress = models.PositiveSmallIntegerField(_("形象进度（%）"))
    work = models.TextField(_("当日进展"))
    amount_paid = models.DecimalField(
        _("当日支付（元）"), max_digits=14, decimal_places=2, default=0
    )
    problems = models.TextField(_("存在问题"), blank=True)

    scope = PROJECT_ROW_SCOPE
    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目日报告")
        verbose_name_plural = _("项目日报告")
        ordering = ["project", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "date"], name="report_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_le_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.date}"
