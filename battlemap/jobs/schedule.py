"""Daily schedules run by `battlemap worker`: e.g. the daily bulletin at a configured time.

An app registers `@daily("bulletin", at=lambda: settings.BATTLEMAP_BULLETIN_TIME)` on a
function taking the date; the worker checks every half minute and fires each schedule
once a day, as soon as the time has come (so a worker started late still fires today's).
A `ScheduleRun` row per (name, date) keeps two workers from firing it twice.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduleRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    name: str
    at: Callable[[], dt.time]
    run: Callable[[dt.date], object]


SCHEDULES: dict[str, Schedule] = {}


def daily(name: str, *, at: Callable[[], dt.time]):
    def register(fn: Callable[[dt.date], object]):
        SCHEDULES[name] = Schedule(name, at, fn)
        return fn

    return register


def fire_due(now: dt.datetime | None = None) -> list[str]:
    """Fire every schedule whose time has come today and that has not fired today."""
    now = timezone.localtime(now)
    fired = []
    for schedule in SCHEDULES.values():
        if now.time() < schedule.at():
            continue
        try:
            with transaction.atomic():
                ScheduleRun.objects.create(name=schedule.name, date=now.date())
                schedule.run(now.date())
        except IntegrityError:
            continue  # already fired today (by this worker or another)
        except Exception:
            logger.exception("schedule %s failed on %s", schedule.name, now.date())
            continue
        fired.append(schedule.name)
    return fired
