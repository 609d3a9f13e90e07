"""`manage.py jobs_worker`: runs the background jobs (core/jobs.py), like django-tasks-db's
`db_worker`, plus a watch that makes the jobs of a dead worker ready again.

Every option of `db_worker` is accepted (`--interval`, `--batch`, `--queue-name`, ...). One
worker is enough for Tandem's volume; several may run side by side (each job row is claimed
with SELECT ... FOR UPDATE SKIP LOCKED).
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.jobs import stale_running_jobs_release

logger = logging.getLogger(__name__)


def _release_stale_jobs_forever(stop: threading.Event) -> None:
    interval = max(1.0, settings.JOBS_RUNNING_LEASE_SECONDS / 4)
    while not stop.is_set():
        try:
            close_old_connections()
            stale_running_jobs_release()
        except Exception:  # a database outage: the next round tries again
            logger.warning("releasing stale jobs failed", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(interval)


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
            target=_release_stale_jobs_forever, args=(stop,), name="jobs-lease", daemon=True
        )
        watch.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
