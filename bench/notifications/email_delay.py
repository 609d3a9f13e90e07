"""Job delay of notification e-mails: from the commit of a notification to its arrival at a
real SMTP server on the loopback, through a real `jobs_worker` process.

    source scripts/env.sh && .venv/bin/python manage.py migrate -v 0 && \
        .venv/bin/python bench/notifications/email_delay.py [--count 200] [--rate 20] \
        [--interval 0.1]

Uses the local database (as `make run` does): creates a throwaway person, sends `count`
notifications to them at `rate` per second (each committed on its own), and prints p50/p95/max
of commit → arrival, and the throughput. Everything it created is deleted at the end.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from notifications.services import notification_create  # noqa: E402
from tests.notifications.smtp_sink import SmtpSink, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="notifications per second")
    parser.add_argument("--interval", type=float, default=0.1, help="worker poll interval, s")
    options = parser.parse_args()

    sink = SmtpSink(port=free_port()).start()
    environment = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "jobs_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            str(options.interval),
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=environment,
    )
    person = User.objects.create_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.invalid",
        password=None,
        display_name="Bench",
        language="fr",
    )
    committed: list[float] = []
    try:
        time.sleep(2)  # the worker starts
        started = time.time()
        for number in range(options.count):
            with transaction.atomic():
                notification_create(
                    recipient=person,
                    kind="offer.received",
                    params={"request": number, "offer": number, "category": "shopping"},
                    url="/",
                )
            committed.append(time.time())
            time.sleep(max(0.0, started + (number + 1) / options.rate - time.time()))
        deadline = time.time() + 60
        while len(sink.messages) < options.count and time.time() < deadline:
            time.sleep(0.05)
        finished = time.time()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        sink.stop()
        person.delete()
    delays = sorted(
        (arrival - commit) * 1000 for commit, arrival in zip(committed, sink.arrivals, strict=False)
    )
    if len(delays) < options.count:
        print(f"only {len(delays)} of {options.count} e-mails arrived")
    cuts = statistics.quantiles(delays, n=100)
    print(
        f"{len(delays)} e-mails at {options.rate:g}/s, worker interval {options.interval:g} s: "
        f"commit → SMTP sink p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, "
        f"max {delays[-1]:.0f} ms; {len(delays) / (finished - started):.1f} e-mails/s overall"
    )


if __name__ == "__main__":
    main()
