"""The registry (建档立卡): households, their members, status history and income."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core import crypto
from battlemap.core.scoping import Scope
from battlemap.regions.models import Region

from .querysets import HouseholdQuerySet, HouseholdRowQuerySet, PersonQuerySet


class CodeTable(models.TextChoices):
    """The national code tables; their entries are rows of `Code`, not literals in code."""

    RELATION = "relation", _("与户主关系")
    POVERTY_CAUSE = "poverty_cause", _("致贫原因")
    HEALTH = "health", _("健康状况")
    LABOUR = "labour", _("劳动能力")
    ETHNICITY = "ethnicity", _("民族")
    EDUCATION = "education", _("文化程度")
    SCHOOLING = "schooling", _("在校生状况")
    WORK_STATUS = "work_status", _("务工状况")
    HOUSEHOLD_TYPE = "household_type", _("贫困户属性")
    STANDARD = "standard", _("识别标准")
    JOIN_REASON = "join_reason", _("成员加入原因")
    LEAVE_REASON = "leave_reason", _("成员减少原因")


class Code(models.Model):
    """One entry of a code table, e.g. 因病 in 致贫原因."""

    table = models.CharField(_("代码表"), max_length=20, choices=CodeTable.choices)
    label = models.CharField(_("名称"), max_length=40)
    label_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("代码")
        verbose_name_plural = _("代码表")
        ordering = ["table", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["table", "label"], name="code_table_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


def _code(table: str, verbose, *, null=False, related="+"):
    return models.ForeignKey(
        Code,
        verbose_name=verbose,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related,
        limit_choices_to={"table": table},
        # Code tables are tiny and nobody looks persons up by code: an index per code column
        # would only slow every bulk import.
        db_index=False,
    )


class Household(models.Model):
    """A registered household (贫困户) in a village; its status comes from its events."""

    village = models.ForeignKey(
        Region, verbose_name=_("村"), on_delete=models.PROTECT, related_name="households"
    )
    county_code = models.CharField(_("县级区划代码"), max_length=6, editable=False)
    number = models.CharField(_("户编号"), max_length=32)
    standard = _code(CodeTable.STANDARD, _("识别标准"), null=True)
    household_type = _code(CodeTable.HOUSEHOLD_TYPE, _("贫困户属性"), null=True)
    main_cause = _code(CodeTable.POVERTY_CAUSE, _("主要致贫原因"))
    other_cause_1 = _code(CodeTable.POVERTY_CAUSE, _("其他致贫原因一"), null=True)
    other_cause_2 = _code(CodeTable.POVERTY_CAUSE, _("其他致贫原因二"), null=True)
    food_clothing_secure = models.BooleanField(_("不愁吃穿"), default=True)
    education_secure = models.BooleanField(_("义务教育有保障"), default=True)
    medical_secure = models.BooleanField(_("基本医疗有保障"), default=True)
    housing_secure = models.BooleanField(_("住房安全有保障"), default=True)
    water_secure = models.BooleanField(_("饮水安全有保障"), default=True)
    phone_cipher = models.BinaryField(_("联系电话（密文）"), null=True, blank=True)
    # No index: no query looks a household up by phone yet, and an index on random keys
    # is the dearest part of a bulk write (add one with the first such query).
    phone_index = models.CharField(max_length=40, blank=True, editable=False)
    note = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    scope = Scope(region="village__code", household="pk")
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("贫困户")
        verbose_name_plural = _("贫困户")
        ordering = ["village_id", "number"]
        constraints = [
            models.UniqueConstraint(
                models.F("county_code"),
                models.F("number"),
                name="household_number_unique_in_county",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:household", args=[self.pk])

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class HouseholdEvent(models.Model):
    """A dated change of a household's poverty status; history is never overwritten."""

    class Kind(models.TextChoices):
        IDENTIFIED = "identified", _("识别")
        EXITED = "exited", _("脱贫")
        RELAPSED = "relapsed", _("返贫")
        NEWLY_IDENTIFIED = "newly_identified", _("新识别")
        REMOVED = "removed", _("清退")

    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # household_event_one_a_day (household, date) serves its lookups
    )
    kind = models.CharField(_("变更类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope = Scope(region="household__village__code", household="household_id")
    objects = HouseholdRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("户状态变更")
        verbose_name_plural = _("户状态变更")
        ordering = ["household_id", "date"]
        constraints = [
            models.UniqueConstraint(
                models.F("household"), models.F("date"), name="household_event_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_kind_display()} {self.date}"


class Guarantee(models.TextChoices):
    """两不愁三保障 and safe drinking water: what each assessment is of."""

    FOOD = "food", _("不愁吃")
    CLOTHING = "clothing", _("不愁穿")
    EDUCATION = "education", _("义务教育有保障")
    MEDICAL = "medical", _("基本医疗有保障")
    HOUSING = "housing", _("住房安全有保障")
    WATER = "water", _("饮水安全有保障")


class GuaranteeAssessment(models.Model):
    """One guarantee of a household as assessed on a date: the history is kept, and a
    day is read as the latest assessment on or before it (none: not assessed)."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        on_delete=models.CASCADE,
        related_name="guarantee_assessments",
        db_index=False,  # guarantee_one_a_day (household, guarantee, date) serves it
    )
    guarantee = models.CharField(_("保障项"), max_length=12, choices=Guarantee.choices)
    date = models.DateField(_("评估日期"))
    secure = models.BooleanField(_("是否有保障"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Who assessed: a login or a system actor's label, as the audit trail names actors.
    assessor = models.CharField(_("评估人"), max_length=150, blank=True)

    objects = HouseholdRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("保障评估")
        verbose_name_plural = _("保障评估")
        ordering = ["household_id", "guarantee", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "guarantee", "date"], name="guarantee_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_guarantee_display()} {self.date}"


class Person(models.Model):
    """A member of a household; sex and birth date are read from the ID number."""

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="members"
    )
    relation = _code(CodeTable.RELATION, _("与户主关系"))
    name = models.CharField(_("姓名"), max_length=50)
    id_cipher = models.BinaryField(_("证件号码（密文）"))
    id_index = models.CharField(max_length=40, editable=False)  # unique: see Meta
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = _code(CodeTable.ETHNICITY, _("民族"), null=True)
    education = _code(CodeTable.EDUCATION, _("文化程度"), null=True)
    schooling = _code(CodeTable.SCHOOLING, _("在校生状况"), null=True)
    health = _code(CodeTable.HEALTH, _("健康状况"))
    labour = _code(CodeTable.LABOUR, _("劳动能力"))
    work_status = _code(CodeTable.WORK_STATUS, _("务工状况"), null=True)
    medical_insured = models.BooleanField(_("参加城乡居民基本医疗保险"), default=True)
    pension_insured = models.BooleanField(_("参加城乡居民基本养老保险"), default=False)
    critical_illness_insured = models.BooleanField(_("参加大病保险"), default=True)
    joined_on = models.DateField(_("成员加入日期"), null=True, blank=True)
    join_reason = _code(CodeTable.JOIN_REASON, _("加入原因"), null=True)
    left_on = models.DateField(_("成员减少日期"), null=True, blank=True)
    leave_reason = _code(CodeTable.LEAVE_REASON, _("减少原因"), null=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    scope = Scope(region="household__village__code", household="household_id")
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "id"]
        constraints = [
            # One person, one file. A constraint rather than unique=True, which would add a
            # LIKE index on PostgreSQL that no query uses and every bulk write pays for. Over
            # expressions (here and in the other unique rules of the registry), so that it is
            # a unique index on SQLite too, which a first load can drop and build after the
            # rows (core.bulk.indexes_built_after); on fields it would live in the table.
            models.UniqueConstraint(models.F("id_index"), name="person_id_index_unique"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="person_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def present_on(self, date) -> bool:
        """A member on `date`: joined on or before it (or always), not left on or before it."""
        return (self.joined_on is None or self.joined_on <= date) and (
            self.left_on is None or self.left_on > date
        )

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)


class IncomeRecord(models.Model):
    """A household's income in one year, by source, in 元; net income is derived."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        on_delete=models.CASCADE,
        related_name="incomes",
        db_index=False,  # income_household_year (household, year) serves its lookups
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    wages = models.DecimalField(_("工资性收入"), max_digits=12, decimal_places=2, default=0)
    production = models.DecimalField(
        _("生产经营性收入"), max_digits=12, decimal_places=2, default=0
    )
    property_income = models.DecimalField(
        _("财产性收入"), max_digits=12, decimal_places=2, default=0
    )
    transfers = models.DecimalField(_("转移性收入"), max_digits=12, decimal_places=2, default=0)
    costs = models.DecimalField(_("生产经营性支出"), max_digits=12, decimal_places=2, default=0)
    # The figure as the national system reports it (imports), when income by source is not
    # known; it is shown instead of the one derived from the amounts above.
    declared_net_per_person = models.DecimalField(
        _("家庭年人均纯收入（申报）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    scope = Scope(region="household__village__code", household="household_id")
    objects = HouseholdRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("家庭收入")
        verbose_name_plural = _("家庭收入")
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(
                models.F("household"), models.F("year"), name="income_household_year"
            ),
            models.CheckConstraint(
                condition=models.Q(wages__gte=0)
                & models.Q(production__gte=0)
                & models.Q(property_income__gte=0)
                & models.Q(transfers__gte=0)
                & models.Q(costs__gte=0),
                name="income_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    @property
    def net_income(self):
        return self.wages + self.production + self.property_income + self.transfers - self.costs
