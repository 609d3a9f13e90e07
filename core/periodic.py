"""Periodic jobs: what cron would start, enqueued by the job worker itself.

Django's Tasks API (and django-tasks-db) has no schedule. Rather than a second mechanism (a
systemd timer per job, or celery-beat), `manage.py jobs_worker` looks at JOBS_PERIODIC every
JOBS_PERIODIC_CHECK_SECONDS and enqueues each job whose time has come, once per *slot*: the
current hour for an hourly job, today's date for a daily one once its local time (TIME_ZONE)
has passed. So a periodic job is an ordinary job — retried with back-off, listed by
`jobs_failed`, counted by /healthz — and runs wherever the worker runs (`make run`, the
`tandem-worker` unit, the end-to-end tests) without anything else to install.

"Once per slot" holds with several workers and restarts: the check and the enqueue run in one
transaction under a PostgreSQL advisory lock named after the job, and a slot already present in
the job table (any status) is not enqueued again. A worker that was down for a whole slot does
not catch up the slots it missed, only the current one (like systemd's `Persistent=true`). Each
periodic job takes the keyword `slot` and must itself be idempotent (the jobs here are: one
notification per request and expiry, one digest per person and day).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from core import jobs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str  # dotted path of a django-tasks Task taking the keyword `slot`
    every: str  # "hour" or "day"
    at: datetime.time | None = None  # for "day": the local time from which it runs

    def slot(self, now: datetime.datetime) -> str | None:
        """The slot `now` falls in, as text (None: a daily job before its time today)."""
        if self.every == "hour":
            return now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:00Z")
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        if local.time() < (self.at or datetime.time(0, 0)):
            return None
        return local.date().isoformat()


def periodic_jobs() -> list[PeriodicJob]:
    """JOBS_PERIODIC as PeriodicJob values: {name: {"task": path, "every": "hour"|"day",
    "at": "HH:MM"}}."""
    return [
        PeriodicJob(
            name=name,
            task_path=entry["task"],
            every=entry["every"],
            at=datetime.time.fromisoformat(entry["at"]) if entry.get("at") else None,
        )
        for name, entry in settings.JOBS_PERIODIC.items()
    ]


def periodic_jobs_enqueue(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueues every periodic job whose current slot has no job yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        slot = job.slot(now)
        if slot is None:
            continue
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Two workers checking at the same moment: the second waits, then sees the row.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"periodic:{job.name}"]
                )
            if DBTaskResult.objects.filter(
                task_path=job.task_path, args_kwargs__kwargs__slot=slot
            ).exists():
                continue
            jobs.enqueue(import_string(job.task_path), slot=slot)
        enqueued.append(job.name)
        logger.info("periodic job enqueued", extra={"job": job.name, "slot": slot})
    return enqueued
