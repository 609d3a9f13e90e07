"""`manage.py jobs_failed`: the background jobs that failed for good, for operators."""

from django.core.management.base import BaseCommand

from core.jobs import failed_jobs


class Command(BaseCommand):
    help = "Lists the background jobs that failed after every attempt (newest first)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="At most this many (50).")

    def handle(self, *args, limit: int, **options):
        jobs = list(failed_jobs()[: max(1, limit)])
        if not jobs:
            self.stdout.write("No failed jobs.")
            return
        for job in jobs:
            last_line = (job.traceback or "").strip().splitlines()[-1:] or [""]
            self.stdout.write(
                f"{job.id}  {job.task_path}  enqueued {job.enqueued_at:%Y-%m-%d %H:%M:%S}  "
                f"failed {job.finished_at:%Y-%m-%d %H:%M:%S}  {job.exception_class_path}: "
                f"{last_line[0]}  args={job.args_kwargs}"
            )
