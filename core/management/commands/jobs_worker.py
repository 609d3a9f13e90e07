"""`manage.py jobs_worker`: runs the background jobs (core/jobs.py), like django-tasks-db's
`db_worker`, plus a watch that makes the jobs of a dead worker ready again and enqueues the
periodic jobs whose time has come (core/periodic.py, JOBS_PERIODIC).

Every option of `db_worker` is accepted (`--interval`, `--batch`, `--queue-name`, ...). One
worker is enough for Tandem's volume; several may run side by side (each job row is claimed
with SELECT ... FOR UPDATE SKIP LOCKED).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.jobs import stale_running_jobs_release
from core.periodic import periodic_jobs_enqueue

logger = logging.getLogger(__name__)


def _watch_forever(stop: threading.Event) -> None:
    """Every lease/4: release the jobs of dead workers; every JOBS_PERIODIC_CHECK_SECONDS:
    enqueue the periodic jobs that are due."""
    release_every = max(1.0, settings.JOBS_RUNNING_LEASE_SECONDS / 4)
    periodic_every = max(1.0, settings.JOBS_PERIODIC_CHECK_SECONDS)
    next_release = next_periodic = 0.0
    while not stop.is_set():
        now = time.monotonic()
        try:
            close_old_connections()
            if now >= next_release:
                next_release = now + release_every
                stale_running_jobs_release()
            if now >= next_periodic:
                next_periodic = now + periodic_every
                periodic_jobs_enqueue()
        except Exception:  # a database outage: the next round tries again
            logger.warning("the jobs watch failed", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(max(0.0, min(next_release, next_periodic) - time.monotonic()))


class Command(DatabaseWorkerCommand):
    help = "Runs Tandem's background jobs (e-mails, notifications); see core/jobs.py."

    def handle(self, *args, **options):
        # One long-lived process: keep its database connection between jobs (the library's
        # loop closes connections older than CONN_MAX_AGE, which is 0 for the web processes:
        # two new PostgreSQL connections per job, most of a job's time). Not with the pool,
        # which manages connections itself.
        for alias in connections:
            database = connections[alias].settings_dict
            if not database.get("OPTIONS", {}).get("pool"):
                database["CONN_MAX_AGE"] = None
        # At start-up first: a worker restarted after a crash finds its own orphans at once
        # once their lease has run out.
        stale_running_jobs_release()
        stop = threading.Event()
        watch = threading.Thread(
            target=_watch_forever, args=(stop,), name="jobs-lease", daemon=True
        )
        watch.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
