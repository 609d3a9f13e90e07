"""Issue 13's fault acceptance, with real parts: Uvicorn, `jobs_worker` processes and an SMTP
server on the loopback (aiosmtpd) that can be stopped or made slow.

- SMTP stopped: `POST /api/requests/` still answers 201 at once, its job is queued, the failed
  sends are recorded and retried; once SMTP is back every e-mail arrives, none twice.
- The worker SIGKILLed mid-send (the mail server slow before it took the message): a new worker
  takes the job and the claim over after the lease, and the e-mail arrives exactly once.
- The worker SIGKILLed after the server took the message but before it was marked sent: the one
  window where SMTP's lack of a transaction shows (docs/NOTIFICATIONS.md). The second copy has
  the same Message-ID, which mail stores use to drop duplicates.
- The worker's own schedule (core/periodic.py) sends the daily digest without anything else.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token

from notifications.models import Delivery
from notifications.services import notification_create, notification_settings_update
from tests.accounts.factories import UserFactory
from tests.messaging.servers import (
    PROJECT_ROOT,
    free_port,
    isolated_redis_url,
    server_environment,
    uvicorn_process_start,
    uvicorn_processes_stop,
)
from tests.notifications.smtp_sink import SmtpSink
from tests.requests_app.factories import NAMUR, VerifiedHelperFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("places")]

LEASE_SECONDS = 3
# A worker process imports the whole app before its first job: seconds on a quiet machine, far
# more on a loaded one. Waits that include a start are this long; what follows is timed tightly.
START_SECONDS = 90


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def environment(smtp_port: int, **extra) -> dict:
    return server_environment(
        redis_url=isolated_redis_url(),
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "20",
            "JOBS_RETRY_BASE_SECONDS": "1",
            "JOBS_RUNNING_LEASE_SECONDS": str(LEASE_SECONDS),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            **extra,
        },
    )


def worker_start(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.1", "-v", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    uvicorn_processes_stop(started)


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    try:
        server.stop()
    except Exception:  # stopped by the test already
        pass


def one_email_for(person) -> Delivery:
    with transaction.atomic():  # committed: the worker process sees it
        notification = notification_create(
            recipient=person,
            kind="offer.received",
            params={"request": 1, "offer": 1, "category": "shopping"},
            url="/",
        )
    return notification.deliveries.get()


def status_of(delivery: Delivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


def serving(base_url: str) -> bool:
    try:
        urllib.request.urlopen(base_url + "/healthz", timeout=2)
    except urllib.error.HTTPError:
        return True  # it answers
    except OSError:
        return False
    return True


def post_json(url, body, token):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_smtp_stopped_requests_still_answer_201_and_the_emails_go_out_once_it_is_back(
    sink, processes
):
    requester = UserFactory()
    helper = VerifiedHelperFactory(user__email="jo@example.be").user
    token = Token.objects.create(user=requester).key
    smtp_port = sink.port
    env = environment(smtp_port)
    port = free_port()
    processes.append(uvicorn_process_start(port=port, environment=env, log_level="warning"))
    processes.append(worker_start(env))
    # Importing the whole app takes a while on a loaded machine.
    assert wait_for(lambda: serving(f"http://127.0.0.1:{port}"), seconds=120)
    assert processes[0].poll() is None
    sink.stop()  # the mail server is down

    started = time.monotonic()
    status, created = post_json(
        f"http://127.0.0.1:{port}/api/requests/",
        {
            "category": "shopping",
            "description": "Courses au supermarché, une fois.",
            "location": {"lat": NAMUR.y, "lon": NAMUR.x},
            "duration_minutes": 60,
            "recurrence": "once",
        },
        token,
    )
    assert status == 201, created
    assert time.monotonic() - started < 2
    assert DBTaskResult.objects.filter(
        task_path="notifications.jobs.nearby_helpers_tell",
        args_kwargs__kwargs__help_request_id=created["id"],
    ).exists()

    # The worker tries, fails, records it and plans a retry; nothing is lost or switched off.
    def failed_once():
        return Delivery.objects.filter(
            notification__recipient=helper, status="pending", attempts__gte=1
        ).exclude(last_error="")

    assert wait_for(failed_once, seconds=START_SECONDS)
    assert DBTaskResult.objects.filter(
        task_path="notifications.jobs.email_deliver", status="READY"
    ).exists()

    back = SmtpSink(port=smtp_port).start()
    try:
        assert wait_for(lambda: back.to("jo@example.be"), seconds=30)
        time.sleep(2)  # a duplicate would arrive now
        assert len(back.to("jo@example.be")) == 1
        assert Delivery.objects.get(notification__recipient=helper).status == "sent"
    finally:
        back.stop()


def test_a_worker_killed_while_the_mail_server_is_slow_sends_exactly_once_after_a_restart(
    sink, processes
):
    person = UserFactory(email="an@example.be")
    env = environment(sink.port)
    sink.rcpt_delay = 10  # the server answers RCPT TO slowly: the send is under way
    first = worker_start(env)
    processes.append(first)
    delivery = one_email_for(person)

    assert wait_for(
        lambda: sink.recipients_seen >= 1 and status_of(delivery) == "sending",
        seconds=START_SECONDS,
    )
    os.kill(first.pid, signal.SIGKILL)  # no clean-up of any kind
    first.wait(timeout=10)
    assert sink.messages == []
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1  # orphaned

    sink.rcpt_delay = 0
    processes.append(worker_start(env))  # the job and the claim are taken over after the lease

    assert wait_for(lambda: sink.to("an@example.be"), seconds=START_SECONDS)
    time.sleep(2)  # a duplicate would arrive now
    assert len(sink.to("an@example.be")) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_a_worker_killed_after_the_server_took_the_message_resends_it_with_the_same_message_id(
    sink, processes
):
    person = UserFactory(email="an@example.be")
    env = environment(sink.port)
    sink.reply_delay = 10  # the server has the message but has not said "250" yet
    first = worker_start(env)
    processes.append(first)
    delivery = one_email_for(person)

    assert wait_for(lambda: sink.to("an@example.be"), seconds=START_SECONDS)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert status_of(delivery) == "sending"  # nobody knows whether it was delivered

    sink.reply_delay = 0
    processes.append(worker_start(env))
    assert wait_for(lambda: len(sink.to("an@example.be")) == 2, seconds=START_SECONDS)
    time.sleep(2)

    # At least once, never lost; the copy is the same message for the mail store.
    ids = sink.message_ids("an@example.be")
    assert len(ids) == 2 and len(set(ids)) == 1
    assert ids[0] == f"<delivery-{delivery.pk}@127.0.0.1>"
    assert status_of(delivery) == "sent"


def test_the_worker_schedules_the_daily_digest_itself(sink, processes):
    helper = UserFactory(email="sam@example.be", language="en")
    with transaction.atomic():
        notification_settings_update(user=helper, changes={"digest": "daily"})
        notification_create(
            recipient=helper,
            kind="request.nearby",
            params={"request": 3, "category": "shopping", "postcode": "5000"},
            url="/helper/",
            key="request:3",
        )
    assert Delivery.objects.get().status == "digest"

    processes.append(
        worker_start(
            environment(
                sink.port, NOTIFICATION_DIGEST_TIME="00:00", JOBS_PERIODIC_CHECK_SECONDS="1"
            )
        )
    )

    [digest] = wait_for(lambda: sink.to("sam@example.be"), seconds=START_SECONDS)
    assert digest["Subject"] == "Your day on Tandem: 1 new notification"
    assert DBTaskResult.objects.filter(
        task_path="notifications.jobs.email_digests_plan", status="SUCCESSFUL"
    ).exists()
