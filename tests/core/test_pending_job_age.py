"""core.jobs.oldest_pending_job_age_seconds: how long the longest-waiting ready job has waited
(/healthz reports the jobs as down past JOBS_MAX_PENDING_AGE_SECONDS)."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from notifications.jobs import email_deliver

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def enqueued(*, waited_seconds: float = 0, delay_seconds: float = 0) -> DBTaskResult:
    jobs.enqueue(email_deliver, delay_seconds=delay_seconds, delivery_id=0)
    job = DBTaskResult.objects.latest("enqueued_at")
    job.enqueued_at = NOW - datetime.timedelta(seconds=waited_seconds)
    job.save(update_fields=["enqueued_at"])
    return job


def test_no_job_waiting_has_no_age():
    assert jobs.oldest_pending_job_age_seconds(now=NOW) is None


def test_a_job_ready_at_once_counts_from_when_it_was_enqueued():
    enqueued(waited_seconds=90)
    enqueued(waited_seconds=10)
    assert jobs.oldest_pending_job_age_seconds(now=NOW) == pytest.approx(90)


def test_a_delayed_job_counts_from_when_it_became_due_and_not_before():
    job = enqueued(waited_seconds=600, delay_seconds=3600)
    assert jobs.oldest_pending_job_age_seconds(now=NOW) is None  # not due yet

    job.run_after = NOW - datetime.timedelta(seconds=30)
    job.save(update_fields=["run_after"])
    assert jobs.oldest_pending_job_age_seconds(now=NOW) == pytest.approx(30)

    enqueued(waited_seconds=45)
    assert jobs.oldest_pending_job_age_seconds(now=NOW) == pytest.approx(45)


def test_jobs_that_ran_do_not_count():
    job = enqueued(waited_seconds=90)
    job.status = "SUCCESSFUL"
    job.save(update_fields=["status"])
    assert jobs.oldest_pending_job_age_seconds(now=NOW) is None
