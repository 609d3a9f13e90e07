"""Background jobs: Django's Tasks API (the `django-tasks` backport) on the database backend
(`django-tasks-db`), run by `manage.py jobs_worker`.

Why this queue (README, "Background jobs"): a job is a row in PostgreSQL written in the same
transaction as the change it concerns, so it exists exactly when that change committed — never
a job about a request that was rolled back, never a committed request whose job was lost
between the commit and a separate broker. No server to add, and the API is Django 6's own.

What the library leaves to us, and this module adds:

- retries with back-off (`retried`): a job that raises is enqueued again after
  JOBS_RETRY_BASE_SECONDS × 2^(attempt−1) (capped at an hour), up to JOBS_MAX_ATTEMPTS; the
  last failure stays as a FAILED row (`manage.py jobs_failed` lists them);
- a worker that died mid-job (`stale_running_jobs_release`): its job stays RUNNING for ever;
  after JOBS_RUNNING_LEASE_SECONDS it is made ready again. Jobs are written to be idempotent,
  so running one twice does no harm;
- the age of the oldest job waiting to run (`oldest_pending_job_age_seconds`), for /healthz.
"""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_SECONDS = 3600


def enqueue(task, *, delay_seconds: float = 0, **kwargs) -> None:
    """Enqueues `task(**kwargs)` in the current transaction (it becomes visible to the worker
    when that commits), to run at once or after `delay_seconds`."""
    if delay_seconds > 0:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds))
    task.enqueue(**kwargs)


def retry_delay_seconds(attempt: int) -> float:
    """The wait before attempt `attempt + 1`: exponential, capped at an hour."""
    return min(settings.JOBS_RETRY_BASE_SECONDS * 2 ** (attempt - 1), MAX_RETRY_DELAY_SECONDS)


def retried(function):
    """Makes a job function run in one transaction and be tried again later when it raises.

    Apply below `@task()`: the job takes an extra keyword `attempt` (1 by default). On failure
    the transaction is rolled back, and the same job is enqueued again with attempt + 1 after
    the back-off; the last attempt's exception propagates, so the job is recorded FAILED.
    """

    @functools.wraps(function)
    def run(*, attempt: int = 1, **kwargs):
        try:
            with transaction.atomic():
                return function(**kwargs)
        except Exception:
            if attempt >= settings.JOBS_MAX_ATTEMPTS:
                raise
            delay = retry_delay_seconds(attempt)
            logger.warning(
                "job failed, retried later",
                exc_info=True,
                extra={"job": function.__qualname__, "attempt": attempt, "retry_in": delay},
            )
            this_task = import_string(f"{function.__module__}.{function.__name__}")
            enqueue(this_task, delay_seconds=delay, attempt=attempt + 1, **kwargs)
            return {"retry_in_seconds": delay}

    return run


def oldest_pending_job_age_seconds(*, now: datetime.datetime | None = None) -> float | None:
    """How long the job that has waited longest to run has been ready (None: none waiting).

    A delayed job counts from its run_after, not from when it was enqueued.
    """
    now = now or timezone.now()
    # One aggregate, no rows loaded: /healthz asks this on every probe (issue 17).
    immediate = Q(run_after=get_date_max())
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        oldest_immediate=Min("enqueued_at", filter=immediate),
        oldest_delayed=Min("run_after", filter=Q(run_after__lte=now) & ~immediate),
    )
    since = [moment for moment in waiting.values() if moment is not None]
    if not since:
        return None
    return max(0.0, (now - min(since)).total_seconds())


def stale_running_jobs_release(*, now: datetime.datetime | None = None) -> int:
    """Makes the jobs RUNNING for longer than JOBS_RUNNING_LEASE_SECONDS ready again (their
    worker died: killed, out of memory, machine restarted). Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOBS_RUNNING_LEASE_SECONDS)
    released = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if released:
        logger.warning("jobs of a dead worker released", extra={"count": released})
    return released


def failed_jobs():
    """The jobs that failed for good (every attempt), newest first."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
