"""End to end, with real parts: Uvicorn serving the app, the job worker as its own process,
and a real SMTP server on the loopback. A request is posted, a helper offers: within 5 s the
requester has an inbox entry and an e-mail in their language; the one-click unsubscribe works
with a plain HTTP client; the next offer fills the inbox without an e-mail. Then the mail server
stops: asking for help still answers 201, and the e-mails go out once it is back — none twice.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from tests.accounts.factories import UserFactory
from tests.messaging.servers import (
    PROJECT_ROOT,
    STARTUP_SECONDS,
    free_port,
    isolated_redis_url,
    server_environment,
    uvicorn_processes_stop,
)
from tests.notifications.smtp_sink import SmtpSink
from tests.requests_app.factories import NAMUR, VerifiedHelperFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("places")]

WITHIN_SECONDS = 5


def call(url, *, token=None, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(condition, seconds=WITHIN_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


def request_body():
    return {
        "category": "shopping",
        "description": "Courses au supermarché, une fois.",
        "location": {"lat": NAMUR.y, "lon": NAMUR.x},
        "duration_minutes": 60,
        "recurrence": "once",
    }


@pytest.fixture
def running(settings):
    """(base URL, SMTP sink, smtp port) with Uvicorn and a worker process running."""
    smtp_port = free_port()
    sink = SmtpSink(port=smtp_port).start()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = server_environment(
        redis_url=isolated_redis_url(),
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "2",
            "PUBLIC_BASE_URL": base_url,
            "JOBS_RETRY_BASE_SECONDS": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        },
    )
    # This interpreter for both (`-m uvicorn`): a copied virtualenv's scripts may point at
    # another one's Python.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws-per-message-deflate",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "jobs_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "-v",
            "0",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    try:

        def serving():
            try:
                return call(base_url + "/healthz")[0] == 200
            except OSError:  # not listening yet
                return False

        assert wait_for(serving, seconds=STARTUP_SECONDS)
        yield base_url, sink, smtp_port
    finally:
        uvicorn_processes_stop([server, worker])
        try:
            sink.stop()
        except Exception:  # already stopped by the test
            pass


def test_offer_reaches_the_requester_by_inbox_and_email_and_unsubscribe_works(running):
    base_url, sink, smtp_port = running
    requester = UserFactory(language="nl", email="an@example.be", display_name="An")
    helper = VerifiedHelperFactory(user__language="de", user__email="jo@example.be").user
    second_helper = VerifiedHelperFactory(user__email="sam@example.be").user
    tokens = {user.pk: Token.objects.create(user=user).key for user in (requester, helper)}
    tokens[second_helper.pk] = Token.objects.create(user=second_helper).key

    status, created = call(
        base_url + "/api/requests/", token=tokens[requester.pk], method="POST", body=request_body()
    )
    assert status == 201, created
    status, _ = call(
        f"{base_url}/api/requests/{created['id']}/offers/",
        token=tokens[helper.pk],
        method="POST",
        body={},
    )
    assert status == 201

    def inbox():
        return call(base_url + "/api/notifications/", token=tokens[requester.pk])[1]

    assert wait_for(lambda: [row["kind"] for row in inbox()] == ["offer.received"])
    assert inbox()[0]["title"] == "Een buur biedt hulp aan: Boodschappen"
    [message] = wait_for(lambda: sink.to("an@example.be"))
    assert message["Subject"] == "Een buur biedt hulp aan: Boodschappen"
    assert "Hallo An," in message.get_body(preferencelist=("plain",)).get_content()
    assert "Courses" not in message.as_string()  # never the description
    # The helpers near by heard of the request too, in their own language.
    [nearby] = wait_for(lambda: sink.to("jo@example.be"))
    # (a long encoded subject is folded; its decoding may start with the fold's space)
    assert nearby["Subject"].strip() == "Jemand in Ihrer Nähe bittet um Hilfe: Einkäufe"

    # One-click unsubscribe (RFC 8058) with a plain HTTP client: no login, no cookie.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe.startswith(base_url)
    one_click = urllib.request.Request(
        unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST"
    )
    one_click.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(one_click, timeout=10) as response:
        assert response.status == 200

    # The next offer fills the inbox, and sends no e-mail.
    status, _ = call(
        f"{base_url}/api/requests/{created['id']}/offers/",
        token=tokens[second_helper.pk],
        method="POST",
        body={},
    )
    assert status == 201
    assert wait_for(lambda: len(inbox()) == 2)
    time.sleep(1.5)  # what the worker would have needed to send one
    assert len(sink.to("an@example.be")) == 1

    # --- The mail server stops -----------------------------------------------------------------
    sink.stop()
    sam_before = len(sink.to("sam@example.be"))
    started = time.monotonic()
    status, later = call(
        base_url + "/api/requests/", token=tokens[requester.pk], method="POST", body=request_body()
    )
    assert status == 201, later
    assert time.monotonic() - started < 2  # the request never waits for the mail server
    time.sleep(2)  # the worker tries, fails, and plans a retry
    restarted = SmtpSink(port=smtp_port).start()
    try:
        arrived = wait_for(
            lambda: len(restarted.to("sam@example.be")) + len(restarted.to("jo@example.be")) >= 2,
            seconds=20,
        )
        assert arrived
        time.sleep(3)  # any duplicate would arrive now
        assert len(restarted.to("sam@example.be")) == 1
        assert len(restarted.to("jo@example.be")) == 1
        assert sam_before == 1  # sam heard of the first request before the outage
    finally:
        restarted.stop()
    assert os.environ.get("DJANGO_SETTINGS_MODULE")  # the test process kept its own settings
