"""`POST /api/requests/` latency and e-mail delivery with a normal, a slow and a stopped SMTP
server (issue 13's acceptance: asking for help never waits for the mail server).

    source scripts/env.sh && .venv/bin/python manage.py migrate -v 0 && \
        .venv/bin/python bench/notifications/smtp_faults.py [--requests 30] [--rate 4] \
        [--helpers 3] [--slow-ms 500]

Uses the local database (as `make run` does; the place data is loaded if missing), one Uvicorn
process and one `jobs_worker` process, and a real SMTP server on the loopback (aiosmtpd). A
throwaway requester posts `requests` help requests over HTTP at `rate` per second in each of
three phases; each request is e-mailed (request.nearby) to `helpers` throwaway helpers near
Namur by the worker:

- normal: the SMTP server answers at once;
- slow: it waits `slow-ms` before accepting each message;
- stopped: it is down while the requests are posted, and started again 2 s after the last one.

Printed per phase: p50/p95/max of the POST as the client saw it, and p50/p95/max from the
request's commit to each e-mail's arrival at the SMTP server (for "stopped", also from the
moment the server was back). Everything the bench created is deleted at the end.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from rest_framework.authtoken.models import Token  # noqa: E402

from accounts.models import User  # noqa: E402
from geo.models import CountryBoundary, Postcode  # noqa: E402
from geo.services import places_load  # noqa: E402
from notifications.models import Delivery  # noqa: E402
from requests_app.models import HelpRequest  # noqa: E402
from tests.geo.factories import NAMUR  # noqa: E402
from tests.matching.factories import VerifiedHelperFactory  # noqa: E402
from tests.notifications.smtp_sink import SmtpSink, free_port  # noqa: E402

MESSAGE_ID = re.compile(r"<delivery-(\d+)@")


def cuts(values: list[float]) -> str:
    if not values:
        return "—"
    values = sorted(values)
    if len(values) == 1:
        return f"p50 {values[0]:.0f} ms, p95 {values[0]:.0f} ms, max {values[0]:.0f} ms"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, max {values[-1]:.0f} ms"


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()[:200]}


def wait_serving(base_url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("uvicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30, help="help requests per phase")
    parser.add_argument("--rate", type=float, default=4.0, help="requests per second")
    parser.add_argument("--helpers", type=int, default=3, help="helpers e-mailed per request")
    parser.add_argument("--slow-ms", type=int, default=500)
    options = parser.parse_args()

    if not (Postcode.objects.exists() and CountryBoundary.objects.exists()):
        places_load()
    tag = uuid.uuid4().hex[:8]
    requester = User.objects.create_user(
        email=f"bench-{tag}@example.invalid", password=None, display_name="Bench", language="fr"
    )
    token = Token.objects.create(user=requester).key
    profiles = [
        VerifiedHelperFactory(user__email=f"bench-{tag}-helper{n}@example.invalid")
        for n in range(options.helpers)
    ]
    helpers = [profile.user for profile in profiles]
    # The factory makes a coordinator per verification: deleted at the end as well.
    throwaway = [requester, *helpers, *(profile.verified_by for profile in profiles)]
    helper_addresses = {helper.email for helper in helpers}

    smtp_port = free_port()
    sinks = [SmtpSink(port=smtp_port).start()]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "JOBS_RETRY_BASE_SECONDS": "1",
        "RATE_LIMIT_HELP_REQUESTS": "1000000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        + ["--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.1", "-v", "0"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    created_ids: list[int] = []
    try:
        wait_serving(base_url)
        # Warm-up, not measured: the first requests of a fresh process load code and connect.
        for _ in range(3):
            status, body = post(
                f"{base_url}/api/requests/",
                token,
                {
                    "category": "shopping",
                    "description": f"Courses, banc d'essai {tag}.",
                    "location": {"lat": NAMUR.y, "lon": NAMUR.x},
                    "duration_minutes": 60,
                    "recurrence": "once",
                },
            )
            if status == 201:
                created_ids.append(body["id"])
        print(
            f"{options.requests} requests per phase at {options.rate:g}/s, "
            f"{options.helpers} helpers e-mailed per request; load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        for phase in ("normal", "slow", "stopped"):
            sink = sinks[-1]
            sink.reply_delay = options.slow_ms / 1000 if phase == "slow" else 0.0
            if phase == "stopped":
                sink.stop()
            latencies, ids, refused = [], [], 0
            started = time.monotonic()
            for number in range(options.requests):
                before = time.perf_counter()
                status, body = post(
                    f"{base_url}/api/requests/",
                    token,
                    {
                        "category": "shopping",
                        "description": f"Courses, banc d'essai {tag} {phase} {number}.",
                        "location": {"lat": NAMUR.y, "lon": NAMUR.x},
                        "duration_minutes": 60,
                        "recurrence": "once",
                    },
                )
                latencies.append((time.perf_counter() - before) * 1000)
                if status == 201:
                    ids.append(body["id"])
                else:
                    refused += 1
                time.sleep(max(0.0, started + (number + 1) / options.rate - time.monotonic()))
            created_ids += ids
            back_at = None
            if phase == "stopped":
                time.sleep(2)
                sinks.append(SmtpSink(port=smtp_port).start())
                back_at = time.time()
            expected = len(ids) * options.helpers
            deadline = time.time() + 180

            def arrivals(ids=ids):
                wanted = set(ids)
                found = []
                for each in sinks:
                    for message, arrived in zip(each.messages, each.arrivals, strict=False):
                        if message["To"] not in helper_addresses:
                            continue
                        match = MESSAGE_ID.search(message["Message-ID"] or "")
                        if match:
                            found.append((int(match.group(1)), arrived))
                deliveries = dict(
                    Delivery.objects.filter(pk__in=[pk for pk, _ in found]).values_list(
                        "pk", "notification__params__request"
                    )
                )
                return [
                    (pk, deliveries.get(pk), arrived)
                    for pk, arrived in found
                    if deliveries.get(pk) in wanted
                ]

            while len(arrivals()) < expected and time.time() < deadline:
                time.sleep(0.5)
            arrived = arrivals()
            committed = dict(HelpRequest.objects.filter(pk__in=ids).values_list("pk", "created_at"))
            delays = [(at - committed[rid].timestamp()) * 1000 for _, rid, at in arrived]
            line = (
                f"{phase:8} POST /api/requests/ {cuts(latencies)}"
                f"{f' ({refused} refused)' if refused else ''}; "
                f"{len(arrived)}/{expected} e-mails, commit → SMTP sink {cuts(delays)}"
            )
            if back_at is not None:
                back = [(at - back_at) * 1000 for _, _, at in arrived]
                line += f"; SMTP back → sink {cuts(back)}"
            duplicates = len(arrived) - len({pk for pk, _, _ in arrived})
            print(line + (f"; {duplicates} duplicates" if duplicates else ""))
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for sink in sinks:
            try:
                sink.stop()
            except Exception:  # noqa: BLE001 — already stopped
                pass
        HelpRequest.objects.filter(pk__in=created_ids).delete()
        for person in throwaway:
            person.delete()


if __name__ == "__main__":
    main()
