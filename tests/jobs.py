"""Running the background jobs (core/jobs.py) inside a test: django-tasks-db's own worker, in
batch mode (every job ready now, then return), in the test's process and transaction."""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def jobs_run(*, rounds: int = 5) -> int:
    """Runs every job that is ready, and those they enqueue (up to `rounds` waves); returns how
    many jobs ran."""
    ran = 0
    for _ in range(rounds):
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        )
        # The worker closes "old" connections between jobs; a test's connection holds its
        # transaction and must stay open.
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            worker.run()
        if not worker._run_tasks:
            break
        ran += worker._run_tasks
    return ran


def jobs_waiting() -> list[str]:
    """The task paths of the jobs still ready or delayed."""
    return list(DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True))
