"""Chat under faults (not a test; not run in CI): is every message stored once and does every
reader end up with all of them?

PEOPLE people in PEOPLE/2 two-person conversations send MESSAGES messages in all (each person
at a steady pace, random phase) through two Uvicorn processes on the same database and Redis,
with the `make run` configuration (no DB_CONN_MAX_AGE, no pool unless the environment sets
them; --ws-per-message-deflate false). The two people of a conversation start on different
processes. Meanwhile:

- Redis (a private redis-server started here, never the shared one) is stopped at
  --redis-stop-at seconds and started again, empty, --redis-down seconds later;
- the second Uvicorn process is SIGKILLed at --kill-at seconds and started again on the same
  port --server-down seconds later.

Each client follows the resume rule of docs/MESSAGING.md: it keeps the last number (`seq`) up
to which it has every message of its conversation; it asks for `sync` after that number when
a number arrives beyond it + 1, on `delivery: live`, and reconnects (with `?after_seq=`) to the
other process when its socket closes; it sends again, with the same client_id, every message
not acknowledged yet. When everyone has finished sending, each client does a final `sync`.

Reported: lost (sent, never stored), doubled (stored twice), copies missing at a reader after
the final sync (stored in its conversation, never received), duplicate frames (the same id
twice on one client: harmless, clients show a message once by id), reconnects, and delivery
latency (send → the other person receives it) p50/p99, overall and outside the fault windows
(a window runs from the fault to 2 s after its recovery). The load average is printed with the
figures. Usage, from the project root after `source scripts/env.sh`:

    .venv/bin/python bench/messaging/chaos.py --people 500 --messages 10000
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from bench.messaging import ws_load  # noqa: E402
from tests.messaging.servers import (  # noqa: E402
    PrivateRedis,  # the end-to-end tests' own: empty after a restart, never the shared one
    free_port,
    wait_until_serving,
)


def server_start(port: int, *, database_url: str, redis_url: str) -> subprocess.Popen:
    """One Uvicorn process as scripts/serve.sh runs it (`make run`), on `port`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DB_CONN_MAX_AGE",)  # the make run default, unless the caller sets it
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LOG_LEVEL="error",
        DEBUG="true",
    )
    if os.environ.get("CHAOS_DB_CONN_MAX_AGE"):
        environment["DB_CONN_MAX_AGE"] = os.environ["CHAOS_DB_CONN_MAX_AGE"]
    return subprocess.Popen(
        ws_load.uvicorn_command(port, "--ws-per-message-deflate", "false"),
        cwd=PROJECT_ROOT,
        env=environment,
        preexec_fn=ws_load.raise_file_limit,
        stderr=open(os.environ.get("CHAOS_SERVER_LOG", os.devnull), "a"),  # noqa: SIM115
    )


@dataclass
class Run:
    started: float = field(default_factory=time.monotonic)
    fault_windows: list[list[float]] = field(default_factory=list)  # [start, end] offsets
    events: list[str] = field(default_factory=list)
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (sent offset, ms)
    reconnects: int = 0
    resends: int = 0
    gap_syncs: int = 0
    live_syncs: int = 0
    duplicate_frames: int = 0
    degraded_acks: int = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    def in_fault(self, offset: float) -> bool:
        return any(start <= offset <= end + 2.0 for start, end in self.fault_windows)


class Client:
    """One person on one socket, following the resume rule."""

    def __init__(self, run: Run, *, token: str, conversation: int, ports: list[int], first: int):
        self.run = run
        self.token = token
        self.conversation = conversation
        self.ports = ports
        self.port_index = first
        self.contiguous = 0
        self.ahead: set[int] = set()
        self.received: dict[int, int] = {}  # message id -> times
        self.pending: dict[str, str] = {}  # client_id -> body, until acknowledged
        self.sent_at: dict[str, float] = {}  # client_id -> first send (monotonic)
        self.peer: Client | None = None
        self.websocket = None
        self.connected = asyncio.Event()
        self.syncing = False
        self.synced = asyncio.Event()
        self.done = False
        self.final_synced = False

    async def _send(self, frame: dict) -> None:
        websocket = self.websocket
        if websocket is None:
            return
        try:
            await websocket.send(json.dumps(frame))
        except Exception:  # closed under us: the reconnection sends it again
            pass

    async def sync(self) -> None:
        if not self.syncing:
            self.syncing = True
            await self._send({"type": "sync", "after_seq": self.contiguous})

    def note_seq(self, seq: int) -> bool:
        """True when `seq` leaves a gap behind it."""
        if seq <= self.contiguous:
            return False
        if seq > self.contiguous + 1:
            self.ahead.add(seq)
            return True
        self.contiguous = seq
        while self.contiguous + 1 in self.ahead:
            self.ahead.discard(self.contiguous + 1)
            self.contiguous += 1
        return False

    def on_message(self, message: dict) -> bool:
        times = self.received.get(message["id"], 0) + 1
        self.received[message["id"]] = times
        if times > 1:
            self.run.duplicate_frames += 1
        elif self.peer is not None and message["client_id"] in self.peer.sent_at:
            sent = self.peer.sent_at[message["client_id"]]
            self.run.latencies.append((sent - self.run.started, (time.monotonic() - sent) * 1000))
        return self.note_seq(message["seq"])

    async def session(self) -> None:
        """Connect, read until the socket closes, reconnect (to the other process if this one
        does not answer), until told to stop."""
        from websockets.asyncio.client import connect

        delay = 0.5
        first = True
        while not self.done:
            port = self.ports[self.port_index]
            url = (
                f"ws://127.0.0.1:{port}/ws/conversations/{self.conversation}/"
                f"?token={self.token}&after_seq={self.contiguous}"
            )
            try:
                websocket = await connect(
                    url,
                    origin=f"http://127.0.0.1:{port}",
                    open_timeout=20,
                    ping_interval=None,
                    max_queue=None,
                )
            except Exception:
                self.port_index = (self.port_index + 1) % len(self.ports)
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, 5.0)
                continue
            if not first:
                self.run.reconnects += 1
            first, delay = False, 0.5
            self.websocket, self.syncing = websocket, True  # ?after_seq= is a sync
            self.connected.set()
            for client_id, body in list(self.pending.items()):
                self.run.resends += 1
                await self._send({"type": "message", "body": body, "client_id": client_id})
            try:
                async for raw in websocket:
                    await self.on_frame(json.loads(raw))
            except Exception:
                pass
            self.websocket = None
            self.connected.clear()

    async def on_frame(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "message":
            if self.on_message(frame["message"]):
                self.run.gap_syncs += 1
                await self.sync()
        elif kind == "ack":
            self.pending.pop(frame["client_id"], None)
            if frame.get("delivery") == "degraded":
                self.run.degraded_acks += 1
            # One's own message is had with its ack (its `message` frame is not a duplicate).
            # An ack may overtake the live copy of a message numbered just before it (another
            # person's, crossing): noted, not a gap to act on; `message` frames are the ones
            # that show gaps (the socket fills its own before sending them).
            self.received.setdefault(frame["message"]["id"], 0)
            self.note_seq(frame["message"]["seq"])
        elif kind == "synced":
            self.syncing = False
            if frame.get("last_seq", 0) > self.contiguous:
                self.contiguous = frame["last_seq"]
                self.ahead = {seq for seq in self.ahead if seq > self.contiguous}
            self.synced.set()
            if self.ahead:
                await self.sync()
        elif kind == "delivery" and frame["state"] == "live":
            self.run.live_syncs += 1
            self.syncing = False
            await self.sync()

    async def write(self, count: int, interval: float, tag: str) -> None:
        await asyncio.sleep(random.uniform(0, interval))
        for number in range(count):
            client_id = str(uuid.uuid4())
            body = f"{tag} {number}"
            self.pending[client_id] = body
            self.sent_at[client_id] = time.monotonic()
            await self._send({"type": "message", "body": body, "client_id": client_id})
            await asyncio.sleep(interval)

    async def final_sync(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.websocket is not None and not self.pending:
                self.synced.clear()
                self.syncing = False
                await self.sync()
                try:
                    await asyncio.wait_for(
                        self.synced.wait(), max(0.1, deadline - time.monotonic())
                    )
                    self.final_synced = True
                    return
                except TimeoutError:
                    continue
            for client_id, body in list(self.pending.items()):
                await self._send({"type": "message", "body": body, "client_id": client_id})
            await asyncio.sleep(1.0)


async def chaos(args, pairs, database_url: str) -> dict:
    redis = PrivateRedis()
    redis.start()
    ports = [free_port(), free_port()]
    processes = [
        server_start(port, database_url=database_url, redis_url=redis.url) for port in ports
    ]
    run = Run()
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(f"http://127.0.0.1:{port}", process)
        # Earlier runs' messages are not this run's business: each reader starts from the
        # conversation's newest number.
        starts = await asyncio.to_thread(last_numbers, [pair[2] for pair in pairs])
        clients = []
        for token_a, token_b, conversation in pairs:
            first = Client(run, token=token_a, conversation=conversation, ports=ports, first=0)
            second = Client(run, token=token_b, conversation=conversation, ports=ports, first=1)
            first.contiguous = second.contiguous = starts.get(conversation, 0)
            first.peer, second.peer = second, first
            clients += [first, second]
        sessions = [asyncio.create_task(client.session()) for client in clients]
        await asyncio.wait_for(
            asyncio.gather(*(client.connected.wait() for client in clients)), 120
        )
        run.started = time.monotonic()
        load_before = os.getloadavg()
        per_person = max(1, args.messages // len(clients))
        interval = len(clients) / args.rate

        async def faults():
            await asyncio.sleep(args.redis_stop_at)
            start = run.now()
            redis.stop()
            run.events.append(f"{start:.1f} s: Redis stopped")
            await asyncio.sleep(args.redis_down)
            await asyncio.to_thread(redis.start)
            run.fault_windows.append([start, run.now()])
            run.events.append(f"{run.now():.1f} s: Redis started (empty)")
            await asyncio.sleep(max(0.0, args.kill_at - run.now()))
            start = run.now()
            processes[1].send_signal(signal.SIGKILL)
            processes[1].wait()
            run.events.append(f"{start:.1f} s: server 2 SIGKILLed")
            await asyncio.sleep(args.server_down)
            processes[1] = server_start(ports[1], database_url=database_url, redis_url=redis.url)
            await asyncio.to_thread(
                wait_until_serving, f"http://127.0.0.1:{ports[1]}", processes[1]
            )
            run.fault_windows.append([start, run.now()])
            run.events.append(f"{run.now():.1f} s: server 2 serving again")

        fault_task = asyncio.create_task(faults() if not args.no_faults else asyncio.sleep(0))
        await asyncio.gather(
            *(
                client.write(per_person, interval, f"{args.tag} {index}")
                for index, client in enumerate(clients)
            )
        )
        sending_seconds = run.now()
        await fault_task
        await asyncio.gather(*(client.final_sync(args.final_timeout) for client in clients))
        elapsed = run.now()
        load_after = os.getloadavg()
        for client in clients:
            client.done = True
            if client.websocket is not None:
                await client.websocket.close()
        for task in sessions:
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)
    finally:
        for process in processes:
            process.kill()
            process.wait()
        redis.stop()
        shutil.rmtree(redis.directory, ignore_errors=True)
    return {
        "clients": clients,
        "run": run,
        "sending_seconds": sending_seconds,
        "elapsed": elapsed,
        "load_before": load_before,
        "load_after": load_after,
        "per_person": per_person,
    }


def last_numbers(conversation_ids: list[int]) -> dict[int, int]:
    from django.db import connection

    from messaging.models import Conversation

    numbers = dict(
        Conversation.objects.filter(pk__in=conversation_ids).values_list("id", "last_message_seq")
    )
    connection.close()
    return numbers


def stored_messages(conversation_ids: list[int], tag: str) -> dict[int, list[tuple[int, str, str]]]:
    from messaging.models import Message

    stored: dict[int, list[tuple[int, str, str]]] = {}
    rows = Message.objects.filter(
        conversation_id__in=conversation_ids, body__startswith=tag + " "
    ).values_list("conversation_id", "id", "client_id", "body")
    for conversation_id, message_id, client_id, body in rows:
        stored.setdefault(conversation_id, []).append((message_id, str(client_id), body))
    return stored


def report(outcome: dict, pairs, tag: str) -> dict:
    from django.db import connection

    conversation_ids = [conversation for _a, _b, conversation in pairs]
    connection.close()  # the benchmark's rows were written by the servers meanwhile
    stored = stored_messages(conversation_ids, tag)
    clients: list[Client] = outcome["clients"]
    run: Run = outcome["run"]
    sent_ids = {cid for client in clients for cid in client.sent_at}
    stored_client_ids = [cid for rows in stored.values() for _id, cid, _body in rows]
    bodies = [body for rows in stored.values() for _id, _cid, body in rows]
    lost = len(sent_ids - set(stored_client_ids))
    doubled = len(bodies) - len(set(bodies))
    missing = []
    for client in clients:
        ids = {message_id for message_id, _cid, _body in stored.get(client.conversation, [])}
        missing.append(len(ids - set(client.received)))
    all_ms = [ms for _offset, ms in run.latencies]
    outside = [ms for offset, ms in run.latencies if not run.in_fault(offset)]
    return {
        "people": len(clients),
        "conversations": len(pairs),
        "sent": len(sent_ids),
        "stored": len(stored_client_ids),
        "lost": lost,
        "doubled": doubled,
        "copies_missing_after_final_sync": sum(missing),
        "readers_missing_any": sum(1 for count in missing if count),
        # A reader whose final sync did not finish within --final-timeout (overload): its
        # missing copies say the run was too slow, not that resuming is incomplete.
        "final_sync_not_finished": sum(1 for client in clients if not client.final_synced),
        "duplicate_frames": run.duplicate_frames,
        "reconnects": run.reconnects,
        "resends": run.resends,
        "gap_syncs": run.gap_syncs,
        "live_syncs": run.live_syncs,
        "degraded_acks": run.degraded_acks,
        "p50_ms": round(ws_load.percentile(all_ms, 0.5), 1),
        "p99_ms": round(ws_load.percentile(all_ms, 0.99), 1),
        "outside_faults_p50_ms": round(ws_load.percentile(outside, 0.5), 1),
        "outside_faults_p99_ms": round(ws_load.percentile(outside, 0.99), 1),
        "latency_samples": len(all_ms),
        "sending_seconds": round(outcome["sending_seconds"], 1),
        "elapsed_seconds": round(outcome["elapsed"], 1),
        "offered_msg_per_s": round(len(sent_ids) / max(0.1, outcome["sending_seconds"]), 1),
        "events": run.events,
        "load_average_before": [round(value, 2) for value in outcome["load_before"]],
        "load_average_after": [round(value, 2) for value in outcome["load_after"]],
        "db_conn_max_age": os.environ.get("CHAOS_DB_CONN_MAX_AGE", "unset (make run)"),
        "db_pool_max_size": os.environ.get("DB_POOL_MAX_SIZE", "unset"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=250.0, help="messages per second offered")
    parser.add_argument("--redis-stop-at", type=float, default=10.0)
    parser.add_argument("--redis-down", type=float, default=4.0)
    parser.add_argument("--kill-at", type=float, default=25.0)
    parser.add_argument("--server-down", type=float, default=2.0)
    parser.add_argument("--final-timeout", type=float, default=60.0)
    parser.add_argument("--no-faults", action="store_true", help="the same run without faults")
    parser.add_argument("--database", default="tandem_bench_messaging")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    args.tag = f"chaos-{uuid.uuid4().hex[:8]}"  # this run's messages, told apart from others'
    ws_load.raise_file_limit()
    database_url = ws_load.database_url_for(args.database)
    if urlparse(database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    ws_load.ensure_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    pairs = ws_load.ensure_people(args.people)
    print(
        f"chaos: {args.people} people, {args.messages} messages at {args.rate}/s; "
        f"load average {os.getloadavg()}",
        file=sys.stderr,
        flush=True,
    )
    outcome = asyncio.run(chaos(args, pairs, database_url))
    result = report(outcome, pairs, args.tag)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
