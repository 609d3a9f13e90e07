"""PostgreSQL restarts while the app runs: 503 during the outage, service again after it, with
the same server processes (CONTRACT.md: "503 a dependency is down").

A private PostgreSQL cluster (never the shared one) gets a copy of the test database, and three
Uvicorn processes serve it, one per way of connecting (config/settings.py):

0. a connection per request (DB_CONN_MAX_AGE=0 and DB_POOL_MAX_SIZE=0);
1. connections kept (DB_CONN_MAX_AGE=60), by the WebSocket consumers' threads;
2. a connection pool (DB_POOL_MAX_SIZE, the default).

The kept and pooled connections all die with the restart. PostgreSQL is stopped ("fast": open
transactions rolled back, connections cut), then started again.
"""

import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.test import Client
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.faults.conftest import token_for
from tests.faults.services import PrivatePostgres, this_runs_database, uvicorn_processes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

PRIVATE_DATABASE = "tandem_faults"
# Every answer during the outage comes at once: a refused connection fails fast, and
# DB_CONNECT_TIMEOUT bounds a server that does not answer at all.
ANSWER_WITHIN_SECONDS = 3.0
POOL_TIMEOUT_SECONDS = 1  # how long a request of the pooled process waits for a connection
# The pool reconnects by itself, with back-off: up to a few seconds after a short outage.
POOL_RECOVERY_WITHIN_SECONDS = 10.0
MINIMUM_OUTAGE_SECONDS = 1.0
# Sockets opened before and after the outage on the server that keeps its connections.
WARM_SOCKETS = 3


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


class Answer:
    def __init__(self, status: int, headers, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


def call(url: str, *, token: str = "", session: str = "", method: str = "GET", data=None) -> Answer:
    """One HTTP request as a client would make it; the status whatever it is, and its time."""
    headers = {"Accept": "application/json, text/html"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if session:
        headers["Cookie"] = f"sessionid={session}"
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return Answer(
                response.status, response.headers, response.read(), time.monotonic() - started
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read(), time.monotonic() - started)


class Prober(threading.Thread):
    """Asks one server for the signed-in person (GET /api/me/, token) every 50 ms, and keeps
    (time asked, status): the outage as a client sees it."""

    def __init__(self, url: str, token: str, done: threading.Event):
        super().__init__(daemon=True)
        self.url, self.token, self.done = url, token, done
        self.samples: list[tuple[float, int]] = []

    def run(self):
        while not self.done.is_set():
            asked_at = time.monotonic()
            try:
                status = call(self.url + "/api/me/", token=self.token).status
            except OSError:  # no answer at all (the process is gone): never expected
                status = 0
            self.samples.append((asked_at, status))
            time.sleep(0.05)


def socket_url(server, conversation, token: str) -> str:
    return f"{server.websocket_url}/ws/conversations/{conversation.pk}/?token={token}"


def frame_of_type(socket, kind: str, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        if frame["type"] == kind:
            return frame


def sockets_synced(server, conversation, token: str, *, count: int) -> None:
    """Open `count` sockets on `server` one after the other; each must answer a sync (its
    consumer reads the database through a pooled connection)."""
    for _ in range(count):
        with connect(
            socket_url(server, conversation, token), origin=server.url, open_timeout=5
        ) as socket:
            socket.send(json.dumps({"type": "sync", "after": 0}))
            frame_of_type(socket, "synced")


def new_request_body() -> dict:
    return {
        "category": "shopping",
        "description": "Courses au marché le samedi matin",
        "postcode": "1000",
        "duration_minutes": 60,
        "recurrence": "once",
    }


def test_postgres_restart_gives_503_then_service_resumes_without_restarting_the_app(
    private_postgres, requester, helper, conversation
):
    token = token_for(requester)
    browser = Client()
    browser.force_login(requester)
    session = browser.cookies["sessionid"].value
    private_postgres.copy_database(this_runs_database(), PRIVATE_DATABASE)
    database_url = private_postgres.url(PRIVATE_DATABASE)
    environments = [
        {"DATABASE_URL": database_url, "DB_CONN_MAX_AGE": "0", "DB_POOL_MAX_SIZE": "0"},
        {"DATABASE_URL": database_url, "DB_CONN_MAX_AGE": "60"},
        {
            "DATABASE_URL": database_url,
            "DB_POOL_MAX_SIZE": "4",
            "DB_POOL_TIMEOUT": str(POOL_TIMEOUT_SECONDS),
        },
    ]
    page = f"/conversations/{conversation.pk}/"
    messages = f"/api/conversations/{conversation.pk}/messages/"

    with uvicorn_processes(environments) as servers, contextlib.ExitStack() as sockets:
        unpooled, pooled = servers[:2], servers[2]
        process_ids = [server.process.pid for server in servers]
        for server in servers:
            for _ in range(3):  # the persistent server keeps its connections from here on
                assert call(server.url + "/api/me/", token=token).status == 200
                assert call(server.url + page, session=session).status == 200
            assert call(server.url + "/healthz").status == 200
        # Server 1 keeps database connections in its consumers' thread pool; they sit idle
        # through the outage and are dead when it ends.
        sockets_synced(servers[1], conversation, token, count=WARM_SOCKETS)
        open_socket = sockets.enter_context(
            connect(
                socket_url(servers[0], conversation, token), origin=servers[0].url, open_timeout=5
            )
        )
        probing_done = threading.Event()
        probers = [Prober(server.url, token, probing_done) for server in servers]
        for prober in probers:
            prober.start()
        sockets.callback(probing_done.set)
        time.sleep(0.3)

        # --- PostgreSQL goes down ----------------------------------------------------------
        stop_issued = time.monotonic()
        private_postgres.stop("fast")
        stopped_at = time.monotonic()
        outage_client_id = str(uuid.uuid4())
        for server in servers:
            health = call(server.url + "/healthz")
            assert health.status == 503
            assert "database" in health.json()["down"] and health.json()["database"] == "down"

            for credentials in ({"token": token}, {"session": session}):
                # The session is read by middlewares before any view: 503 there too, as JSON.
                api = call(server.url + "/api/me/", **credentials)
                assert api.status == 503, credentials
                assert api.json()["code"] == "database_unavailable"
                assert api.json()["detail"]
                assert api.headers["Retry-After"]

            html = call(server.url + page, session=session)
            assert html.status == 503
            assert html.headers["Content-Type"].startswith("text/html")
            assert "Traceback" not in html.text and "<h1>" in html.text
            assert html.headers["Cache-Control"] == "no-store"

            # Writes are refused whole: nothing half-done to clean up afterwards.
            sent = call(
                server.url + messages,
                token=token,
                method="POST",
                data={"body": "Écrit pendant la panne", "client_id": outage_client_id},
            )
            assert sent.status == 503 and sent.json()["code"] == "database_unavailable"
            created = call(
                server.url + "/api/requests/", token=token, method="POST", data=new_request_body()
            )
            assert created.status == 503

            # A page that needs no database still works (no session cookie: nothing to load).
            assert call(server.url + "/?lang=en").status == 200

            for answer in (health, api, html, sent, created):
                assert answer.seconds < ANSWER_WITHIN_SECONDS

        # A WebSocket cannot be opened without the database (authentication reads it): the
        # handshake is refused at once, it does not hang.
        started = time.monotonic()
        with pytest.raises(InvalidStatus) as refused:
            with connect(socket_url(servers[0], conversation, token), origin=servers[0].url):
                pass
        assert refused.value.response.status_code == 503
        assert time.monotonic() - started < ANSWER_WITHIN_SECONDS
        # A socket that was open when PostgreSQL went down: a message sent on it cannot be
        # stored, and the socket is closed with 1013 "Try Again Later" (not a server error);
        # the client sends it again with the same client_id after reconnecting, as
        # conversation.js does.
        socket_client_id = str(uuid.uuid4())
        open_socket.send(
            json.dumps({"type": "message", "body": "Socket", "client_id": socket_client_id})
        )
        with pytest.raises(ConnectionClosed) as closed:
            open_socket.recv(timeout=ANSWER_WITHIN_SECONDS)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
        # At least a second of outage, so that the prober measures it on both servers.
        time.sleep(max(0.0, MINIMUM_OUTAGE_SECONDS - (time.monotonic() - stopped_at)))

        # --- PostgreSQL comes back -----------------------------------------------------------
        restart_issued = time.monotonic()
        private_postgres.start()  # returns once PostgreSQL accepts connections
        back_at = time.monotonic()
        # Without a pool, at once, on the first attempt: connections that died with the
        # restart are checked before use (CONN_HEALTH_CHECKS) or were dropped after their
        # error, never reused.
        for server in unpooled:
            assert call(server.url + "/api/me/", token=token).status == 200
            assert call(server.url + page, session=session).status == 200
            assert call(server.url + "/api/me/", session=session).status == 200
            assert call(server.url + "/healthz").status == 200
        sockets_synced(servers[1], conversation, token, count=WARM_SOCKETS)
        # The pool reconnects in the background: a few more 503s at most, then service.
        deadline = time.monotonic() + POOL_RECOVERY_WITHIN_SECONDS
        while call(pooled.url + "/api/me/", token=token).status != 200:
            assert time.monotonic() < deadline, "the pooled process did not recover"
            time.sleep(0.1)
        pool_back_after = time.monotonic() - back_at
        assert call(pooled.url + page, session=session).status == 200
        assert call(pooled.url + "/healthz").status == 200
        time.sleep(0.3)
        probing_done.set()
        for prober in probers:
            prober.join(timeout=20)

        # The write refused during the outage is retried by the client: stored once.
        retried = call(
            servers[1].url + messages,
            token=token,
            method="POST",
            data={"body": "Écrit pendant la panne", "client_id": outage_client_id},
        )
        assert retried.status == 201
        again = call(
            servers[0].url + messages,
            token=token,
            method="POST",
            data={"body": "Écrit pendant la panne", "client_id": outage_client_id},
        )
        assert again.status == 200 and again.json()["id"] == retried.json()["id"]
        assert call(servers[0].url + "/api/requests/", token=token).json() == []

        # The message sent on the socket that was closed goes through once when sent again.
        with connect(
            socket_url(servers[0], conversation, token), origin=servers[0].url, open_timeout=5
        ) as socket:
            socket.send(
                json.dumps({"type": "message", "body": "Socket", "client_id": socket_client_id})
            )
            ack = frame_of_type(socket, "ack")
            assert ack["client_id"] == socket_client_id

        # The same processes throughout: nothing was restarted.
        assert [server.process.pid for server in servers] == process_ids
        assert all(server.process.poll() is None for server in servers)

    stored = private_postgres.query(
        PRIVATE_DATABASE,
        "SELECT count(*) FROM messaging_message "
        f"WHERE client_id IN ('{outage_client_id}', '{socket_client_id}')",
    )
    assert stored == "2"

    for name, prober in zip(["per request", "kept", "pool"], probers, strict=True):
        samples = prober.samples
        statuses = {status for _, status in samples}
        assert statuses <= {200, 503}, f"{name}: unexpected statuses {statuses}"
        failing = [moment for moment, status in samples if status == 503]
        assert failing, "the prober saw no outage"
        late = [moment for moment in failing if moment >= back_at]
        if name != "pool":
            assert not late, "a 503 after PostgreSQL was back"
        first_200 = min(moment for moment, status in samples if moment > failing[-1]) - back_at
        print(
            f"{name}: 503 from {min(failing) - stop_issued:+.2f} s after the stop began; "
            f"{len(late)} asked after PostgreSQL was back; first 200 asked {first_200:+.2f} s "
            "after PostgreSQL was back"
        )
    print(
        f"PostgreSQL stop took {stopped_at - stop_issued:.2f} s, down "
        f"{restart_issued - stopped_at:.2f} s, restart took {back_at - restart_issued:.2f} s; "
        f"pooled process answered 200 again {pool_back_after:.2f} s after"
    )
