"""The background jobs of referrals (run by `manage.py jobs_worker`, core/jobs.py).

- `referral_reminders`: every hour (JOBS_PERIODIC, core/periodic.py), partner services are
  reminded of sent referrals they have not answered and coordinators alerted later
  (carers.services.loop.referral_reminders_send: each once per sending, so running it hourly
  changes nothing but how soon after the N-th working day it happens).
"""

from __future__ import annotations

from django_tasks import task

from carers.services.loop import referral_reminders_send
from core import jobs


@task()
@jobs.retried
def referral_reminders(*, slot: str) -> dict[str, int]:
    """The hourly reminders and alerts; returns how many of each were sent. `slot` is the hour
    it runs for."""
    return referral_reminders_send()
