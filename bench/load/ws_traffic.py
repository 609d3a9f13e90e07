"""Chat traffic for the mixed load scenario: people in conversations over WebSockets, while
locust sends the HTTP traffic (issue 17; bench/load/run.sh starts this next to each mixed step).

Not a test and not in CI. Each of the first CONVERSATIONS conversations of accounts.json (two
people each, opened by bench/load/accounts.py) has both people online as a browser has them on
the conversation page: a `/ws/notifications/` socket and a `/ws/conversations/<id>/` socket,
opened with their API tokens. Each person sends a message every INTERVAL seconds on average
(exponential gaps, random phase) for DURATION seconds, then the run waits at most DRAIN seconds
for the last deliveries. The notification socket does not say which conversation is shown, so a
message also reaches the other person as a `message.created` notification (docs/MESSAGING.md):
both paths are timed.

Measured, written as JSON to OUTPUT (read by bench/load/summarize.py):
- message latency: the send on one socket → the other person's conversation socket receives the
  `message` frame; notification latency: the same send → the other person's notification socket
  receives `message.created`; handshake time of each socket;
- errors: sockets that failed to open or closed before the end, `error` frames, messages never
  acknowledged, messages stored (acknowledged) but never delivered to the other person by the
  end of the drain (lost), messages or notifications delivered twice on one socket (doubled),
  notifications missing, acks saying `delivery: degraded`.

    .venv/bin/python bench/load/ws_traffic.py --host http://127.0.0.1:PORT \\
        --accounts bench/results/load/accounts.json --conversations 100 --interval 10 \\
        --duration 60 --output ws.json
"""

import argparse
import asyncio
import json
import os
import random
import resource
import time
import uuid
from dataclasses import dataclass, field

from websockets.asyncio.client import connect


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile; None when nothing was measured."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def distribution(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": percentile(values, 0.50),
        "p95_ms": percentile(values, 0.95),
        "p99_ms": percentile(values, 0.99),
        "max_ms": max(values, default=None),
    }


@dataclass
class Tally:
    sent_at: dict[str, float] = field(default_factory=dict)  # client_id -> monotonic send time
    recipient: dict[str, int] = field(default_factory=dict)  # client_id -> the other person
    acked: dict[str, int] = field(default_factory=dict)  # client_id -> message id
    message_seen: dict[tuple[int, int], int] = field(default_factory=dict)  # (person, id) -> n
    notification_seen: dict[tuple[int, int], int] = field(default_factory=dict)
    message_ms: list[float] = field(default_factory=list)
    notification_ms: list[float] = field(default_factory=list)
    connect_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    degraded_acks: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def open_socket(url: str, origin: str, tally: Tally):
    started = time.monotonic()
    try:
        websocket = await connect(
            url, origin=origin, open_timeout=20, ping_interval=None, max_queue=None
        )
    except Exception as error:  # counted, never retried: a refused socket is an error here
        tally.error(f"connect failed: {type(error).__name__}")
        return None
    tally.connect_ms.append((time.monotonic() - started) * 1000)
    return websocket


async def run(args) -> dict:
    with open(args.accounts) as accounts_file:
        conversations = json.load(accounts_file)["conversations"][: args.conversations]
    host = args.host.rstrip("/")
    ws_base = "ws" + host.removeprefix("http")
    tally = Tally()
    stop_sending = 0.0  # set once the sockets are open
    closing = False

    async def reader(person: int, websocket, kind: str) -> None:
        try:
            async for raw in websocket:
                frame = json.loads(raw)
                now = time.monotonic()
                if frame["type"] == "message":
                    message = frame["message"]
                    key = (person, message["id"])
                    seen = tally.message_seen[key] = tally.message_seen.get(key, 0) + 1
                    sent = tally.sent_at.get(message["client_id"])
                    if seen == 1 and tally.recipient.get(message["client_id"]) == person:
                        tally.message_ms.append((now - sent) * 1000)
                elif frame["type"] == "message.created":
                    message = frame["message"]
                    key = (person, message["id"] if isinstance(message, dict) else message)
                    seen = tally.notification_seen[key] = tally.notification_seen.get(key, 0) + 1
                    client_id = message.get("client_id") if isinstance(message, dict) else None
                    if seen == 1 and client_id in tally.sent_at:
                        tally.notification_ms.append((now - tally.sent_at[client_id]) * 1000)
                elif frame["type"] == "ack":
                    tally.acked[frame["client_id"]] = frame["message"]["id"]
                    if frame.get("delivery") == "degraded":
                        tally.degraded_acks += 1
                elif frame["type"] == "error":
                    tally.error(f"{kind} error frame: {frame.get('code')}")
        except Exception as error:
            if not closing:
                tally.error(f"{kind} socket ended: {type(error).__name__}")
            return
        if not closing:
            tally.error(f"{kind} socket closed by the server: {websocket.close_code}")

    async def writer(person: int, other: int, websocket) -> None:
        await asyncio.sleep(random.uniform(0, args.interval))
        while time.monotonic() < stop_sending:
            client_id = str(uuid.uuid4())
            tally.recipient[client_id] = other
            tally.sent_at[client_id] = time.monotonic()
            try:
                await websocket.send(
                    json.dumps(
                        {"type": "message", "body": f"Message {person}", "client_id": client_id}
                    )
                )
            except Exception as error:
                tally.error(f"send failed: {type(error).__name__}")
                return
            await asyncio.sleep(random.expovariate(1 / args.interval))

    # Open the sockets in small batches, as people arrive (not one burst of hundreds).
    people = []  # (person, other person, token, conversation)
    for number, item in enumerate(conversations):
        first, second = 2 * number, 2 * number + 1
        people.append((first, second, item["tokens"][0], item["conversation"]))
        people.append((second, first, item["tokens"][1], item["conversation"]))
    sockets = []  # (person, other, conversation socket, notification socket)
    for start in range(0, len(people), 20):
        batch = people[start : start + 20]
        opened = await asyncio.gather(
            *(
                open_socket(
                    f"{ws_base}/ws/conversations/{conversation}/?token={token}", host, tally
                )
                for _p, _o, token, conversation in batch
            ),
            *(
                open_socket(f"{ws_base}/ws/notifications/?token={token}", host, tally)
                for _p, _o, token, _c in batch
            ),
        )
        for index, (person, other, _token, _conversation) in enumerate(batch):
            sockets.append((person, other, opened[index], opened[len(batch) + index]))
        await asyncio.sleep(0.1)

    # DURATION seconds of sending from now: opening hundreds of sockets on a busy machine took
    # up to 30 s (measured at load 12), which must not eat the sending window.
    cpu_before = time.process_time()
    started = time.monotonic()
    stop_sending = started + args.duration
    readers = []
    writers = []
    for person, other, chat, notifications in sockets:
        if chat is not None:
            readers.append(asyncio.create_task(reader(person, chat, "conversation")))
            writers.append(asyncio.create_task(writer(person, other, chat)))
        if notifications is not None:
            readers.append(asyncio.create_task(reader(person, notifications, "notification")))
    await asyncio.gather(*writers)
    sending_seconds = time.monotonic() - started

    def undelivered() -> list[str]:
        return [
            client_id
            for client_id, message_id in tally.acked.items()
            if (tally.recipient[client_id], message_id) not in tally.message_seen
        ]

    deadline = time.monotonic() + args.drain
    while (undelivered() or len(tally.acked) < len(tally.sent_at)) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - cpu_before
    closing = True
    for _person, _other, chat, notifications in sockets:
        for websocket in (chat, notifications):
            if websocket is not None:
                await websocket.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)

    lost = len(undelivered())
    not_acked = len(tally.sent_at) - len(tally.acked)
    doubled = sum(n - 1 for n in tally.message_seen.values() if n > 1) + sum(
        n - 1 for n in tally.notification_seen.values() if n > 1
    )
    notifications_missing = sum(
        1
        for client_id, message_id in tally.acked.items()
        if (tally.recipient[client_id], message_id) not in tally.notification_seen
    )
    if lost:
        tally.errors["stored, never delivered to the other person"] = lost
    if not_acked:
        tally.errors["never acknowledged"] = not_acked
    if doubled:
        tally.errors["delivered twice"] = doubled
    if notifications_missing:
        tally.errors["notification missing"] = notifications_missing
    if tally.degraded_acks:
        tally.errors["acknowledged as degraded"] = tally.degraded_acks
    return {
        "conversations": len(conversations),
        "people": len(people),
        "sockets": sum(1 for *_x, a, b in sockets for w in (a, b) if w is not None),
        "interval_s": args.interval,
        "sent": len(tally.sent_at),
        "sent_per_second": round(len(tally.sent_at) / sending_seconds, 1),
        "delivered": len(tally.message_ms),
        "delivered_per_second": round(len(tally.message_ms) / elapsed, 1),
        "message": distribution(tally.message_ms),
        "notification": distribution(tally.notification_ms),
        "connect": distribution(tally.connect_ms),
        "errors": tally.errors,
        "error_count": sum(tally.errors.values()),
        "client_cpu_percent": round(100 * client_cpu / elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--accounts", required=True, help="accounts.json of bench/load/accounts.py")
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--interval", type=float, default=10.0, help="mean seconds between sends")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of sending")
    parser.add_argument("--drain", type=float, default=10.0, help="at most this long afterwards")
    parser.add_argument("--output", required=True, help="JSON file for the results")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(run(args))
    result["load_average_after"] = round(os.getloadavg()[0], 1)
    with open(args.output, "w") as output:
        json.dump(result, output, indent=2)


if __name__ == "__main__":
    main()
