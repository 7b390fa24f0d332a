"""Background jobs: long work (imports, bulletins) run by `battlemap worker`, with progress."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user, action=None):
        """A job is its owner's: nobody else sees its files or its result."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """One run of long work: what it is, whose it is, how far it got and what came out."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(_("当前步骤"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Which worker runs it ("host:pid") and when that worker last said it was alive: a
    # job whose worker died (killed, out of memory) is failed by the next worker's reaper.
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class ScheduleRun(models.Model):
    """A daily schedule that fired on a date: one row, so two workers never fire it twice."""

    name = models.CharField(max_length=60)
    date = models.DateField()
    fired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        constraints = [
            models.UniqueConstraint(fields=["name", "date"], name="schedule_run_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.date}"
