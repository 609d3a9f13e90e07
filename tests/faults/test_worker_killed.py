"""A server process dies (SIGKILL) in the middle of a conversation: the client reconnects to
another process and nothing is lost or duplicated.

Two Uvicorn processes on the test database and one Redis database. Anne talks to process 1,
Bart to process 2, both writing while process 1 is killed with messages of Anne's in flight.
Anne's client then does what conversation.js does (docs/MESSAGING.md): it reconnects —
here to process 2, as a load balancer would send it there —, sends again with the same
client_id every message it has no acknowledgement for, and catches up with
GET /api/conversations/<id>/messages/?after=<last id it had>.

(Redis stopping and starting again is tests/messaging/test_redis_outage.py.)
"""

import asyncio
import json
import time
import urllib.request
import uuid
from collections import Counter

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from messaging.models import Message
from tests.faults.conftest import token_for
from tests.faults.services import uvicorn_processes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

# Both people stay under the messaging rate limit (20 messages per 10 s per process).
BART_MESSAGES = 10
BART_INTERVAL_SECONDS = 0.25
ANNE_BEFORE = 4
ANNE_BURST = 4  # written back to back, the process is killed with them in flight
ANNE_AFTER = 3
SETTLE_SECONDS = 10.0


class ChatClient:
    """A person's client: shows each stored message once (by id), keeps the messages it has no
    acknowledgement for, and can send them again with the same client_id."""

    def __init__(self, name: str, token: str, conversation_id: int):
        self.name, self.token, self.conversation_id = name, token, conversation_id
        self.seen: dict[int, dict] = {}  # message id -> message
        self.written: dict[str, str] = {}  # client_id -> body, everything ever written
        self.pending: dict[str, str] = {}  # client_id -> body, not acknowledged yet
        self.acks: list[dict] = []
        self.socket = None
        self.reader: asyncio.Task | None = None

    @property
    def last_id(self) -> int:
        return max(self.seen, default=0)

    async def connect(self, server) -> None:
        url = f"{server.websocket_url}/ws/conversations/{self.conversation_id}/?token={self.token}"
        self.socket = await connect(url, origin=server.url, open_timeout=5, compression=None)
        self.reader = asyncio.create_task(self._read(self.socket))

    async def _read(self, socket) -> None:
        try:
            async for text in socket:
                frame = json.loads(text)
                if frame["type"] == "message":
                    self.seen[frame["message"]["id"]] = frame["message"]
                elif frame["type"] == "ack":
                    self.acks.append(frame)
                    self.pending.pop(frame["client_id"], None)
                    self.seen[frame["message"]["id"]] = frame["message"]
                elif frame["type"] == "error":
                    raise AssertionError(f"{self.name} got {frame}")
        except ConnectionClosed:
            pass  # the process died: the client reconnects

    async def write(self, body: str) -> None:
        client_id = str(uuid.uuid4())
        self.written[client_id] = body
        self.pending[client_id] = body
        await self._send(client_id, body)

    async def _send(self, client_id: str, body: str) -> None:
        frame = {"type": "message", "body": body, "client_id": client_id}
        await self.socket.send(json.dumps(frame))

    async def send_pending_again(self) -> list[str]:
        resent = list(self.pending)
        for client_id in resent:
            await self._send(client_id, self.pending[client_id])
        return resent

    async def catch_up(self, server, after: int) -> None:
        """GET …/messages/?after=<id>, page after page, as the page does without a socket."""
        while True:
            request = urllib.request.Request(
                f"{server.url}/api/conversations/{self.conversation_id}/messages/"
                f"?after={after}&limit=200",
                headers={"Authorization": f"Token {self.token}"},
            )
            page = await asyncio.to_thread(read_json, request)
            for message in page:
                self.seen[message["id"]] = message
            if len(page) < 200:
                return
            after = page[-1]["id"]

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await self.reader


def read_json(request: urllib.request.Request):
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


async def bart_keeps_writing(bart: ChatClient) -> None:
    for number in range(BART_MESSAGES):
        await bart.write(f"Bart {number}")
        await asyncio.sleep(BART_INTERVAL_SECONDS)


async def until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def stored_messages(conversation_id: int) -> list[tuple[int, str, str]]:
    return list(
        Message.objects.filter(conversation_id=conversation_id)
        .order_by("id")
        .values_list("id", "client_id", "body")
    )


def kill_once_stored(server, client_id: str) -> None:
    """Kill `server` as soon as the message `client_id` is committed (before the process
    could broadcast or acknowledge it, most of the time)."""
    with connection.cursor() as cursor:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM messaging_message WHERE client_id = %s", [client_id])
            if cursor.fetchone():
                break
    server.kill()


@pytest.mark.parametrize(
    "kill_moment",
    [
        "frames in flight",
        # The process dies between storing a message and broadcasting it: the sender's retry
        # on the other process broadcasts the stored message again (message_send).
        "just after a commit",
    ],
)
async def test_a_killed_worker_loses_no_message_and_duplicates_none(
    kill_moment, requester, helper, conversation
):
    anne = ChatClient("Anne", await sync_to_async(token_for)(requester), conversation.pk)
    bart = ChatClient("Bart", await sync_to_async(token_for)(helper), conversation.pk)

    with uvicorn_processes([{}, {}]) as (first, second):
        await anne.connect(first)
        await bart.connect(second)
        bart_writing = asyncio.create_task(bart_keeps_writing(bart))

        for number in range(ANNE_BEFORE):
            await anne.write(f"Anne {number}")
            await asyncio.sleep(0.15)
        assert await until(lambda: not anne.pending, 5), "process 1 did not acknowledge"
        # Bart's messages reached Anne through Redis, across processes.
        assert any(message["sender"] == helper.pk for message in anne.seen.values())

        for number in range(ANNE_BURST):
            await anne.write(f"Anne burst {number}")
        if kill_moment == "frames in flight":
            first.kill()  # the frames are sent, the process has not stored them yet
        else:
            first_of_burst = list(anne.pending)[0]
            await sync_to_async(kill_once_stored, thread_sensitive=False)(first, first_of_burst)
        killed_at = time.monotonic()
        await asyncio.wait_for(anne.reader, 5)  # the socket drops with the process
        last_id_before = anne.last_id
        in_flight = dict(anne.pending)

        # --- Anne's client reconnects, to the process still running -------------------------
        await anne.connect(second)
        reconnected_after = time.monotonic() - killed_at
        resent = await anne.send_pending_again()
        await anne.catch_up(second, after=last_id_before)
        for number in range(ANNE_AFTER):
            await anne.write(f"Anne after {number}")
            await asyncio.sleep(0.1)
        await bart_writing

        assert await until(lambda: not anne.pending and not bart.pending, SETTLE_SECONDS), (
            f"not acknowledged: {anne.pending} {bart.pending}"
        )
        stored = await sync_to_async(stored_messages)(conversation.pk)
        stored_ids = {message_id for message_id, _, _ in stored}
        assert await until(
            lambda: stored_ids <= set(anne.seen) and stored_ids <= set(bart.seen), SETTLE_SECONDS
        ), f"Anne missed {stored_ids - set(anne.seen)}; Bart missed {stored_ids - set(bart.seen)}"
        await anne.close()
        await bart.close()
        assert second.process.poll() is None

    # Every message written, by both, is stored exactly once...
    client_ids = Counter(str(client_id) for _, client_id, _ in stored)
    assert set(client_ids) == set(anne.written) | set(bart.written)
    assert all(count == 1 for count in client_ids.values())
    assert len(stored) == ANNE_BEFORE + ANNE_BURST + ANNE_AFTER + BART_MESSAGES
    # ... with the body it was written with ...
    written = {**anne.written, **bart.written}
    assert all(written[str(client_id)] == body for _, client_id, body in stored)
    # ... and both people's clients have every one of them.
    assert set(anne.seen) == set(bart.seen) == stored_ids
    # Some of Anne's messages were in flight when the process died, and were sent again.
    assert in_flight and set(resent) == set(in_flight)
    repeated = [ack for ack in anne.acks if ack["client_id"] in in_flight and not ack["created"]]
    print(
        f"in flight at the kill: {len(in_flight)}, of which already stored by the killed "
        f"process: {len(repeated)}; Anne reconnected {reconnected_after:.2f} s after the kill"
    )
