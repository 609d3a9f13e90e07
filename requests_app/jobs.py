"""The background jobs of requests (run by `manage.py jobs_worker`, core/jobs.py).

- `requests_expiring_announce`: every hour (JOBS_PERIODIC, core/periodic.py), the open
  requests about to expire are announced to the requester side (`request_expiring` event; the
  notifications app makes it one notification per request and expiry).
"""

from __future__ import annotations

from django_tasks import task

from core import jobs
from requests_app.services import requests_expiring_announce as announce


@task()
@jobs.retried
def requests_expiring_announce(*, slot: str) -> int:
    """The hourly announcement of requests about to expire; returns how many were announced
    (again: the notifications are made once). `slot` is the hour it runs for."""
    return len(announce())
