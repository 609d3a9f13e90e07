"""WebSocket load benchmark for conversations (not a test; not run in CI).

N clients in N/2 two-person conversations each send a message every INTERVAL seconds (random
phase) for DURATION seconds, through 1 or 2 Uvicorn processes running config.asgi with the
Redis channel layer. With two processes, the two people of a conversation sit on different
processes, so every message crosses Redis from one process to the other.

Measured per run: delivery latency (send → the other person's socket receives the "message"
frame) p50/p95/p99, delivered messages per second, server memory per socket (RSS after
connecting minus RSS before, divided by the sockets), and lost / duplicated messages (a
message acknowledged as stored that the other person never got, or got twice). A baseline is
timed in the same run: a raw Redis PUBLISH → SUBSCRIBE round trip, and a WebSocket ping/pong
through Uvicorn and the consumer (no database, no channel layer).

Everything runs on loopback; each run is bounded (connect + DURATION + drain). It uses its own
database (tandem_bench_messaging by default: created and migrated if missing) and a Redis database
number of its own. Usage (from the project root, after `source scripts/env.sh`):

    .venv/bin/python bench/messaging/ws_load.py --sockets 200 1000 2000 --processes 1 2

Results are printed as a Markdown table (and as JSON with --json FILE).
"""

import argparse
import asyncio
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

# The end-to-end tests' server helpers: one way to pick a port and wait for a Uvicorn process.
from tests.messaging.servers import free_port, wait_until_serving  # noqa: E402

BENCH_EMAIL = "bench-{number}@example.invalid"
LAYER_SETTINGS = {
    "pubsub": "config.settings",  # as deployed: messaging on Redis publish/subscribe
    "list": "bench.messaging.settings_list_layer",  # channels_redis' list-based layer
}


# --- Set-up ---------------------------------------------------------------------------------


def database_url_for(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgis://tandem@127.0.0.1:54329/tandem"))
    return urlunparse(base._replace(path="/" + name))


def ensure_database(database_url: str) -> None:
    """Create the benchmark database if it does not exist, and migrate it."""
    import psycopg

    target = urlparse(database_url)
    admin = urlparse(database_url)._replace(path="/postgres", scheme="postgresql")
    with psycopg.connect(urlunparse(admin), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [target.path.lstrip("/")]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{target.path.lstrip("/")}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
    )


def ensure_people(count: int) -> list[tuple[str, str, int]]:
    """`count` bench users with API tokens, paired in conversations. Returns, per conversation,
    (token of the first person, token of the second, conversation id)."""
    import django

    django.setup()
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from messaging.models import Conversation, Participant

    with transaction.atomic():
        emails = [BENCH_EMAIL.format(number=number) for number in range(count)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        new_users = []
        for email in emails:
            if email not in existing:
                user = User(email=email, display_name=email.split("@")[0], postcode="1000")
                user.set_unusable_password()  # nobody logs in with a password here
                new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=500)
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        have_token = set(
            Token.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
        )
        Token.objects.bulk_create(
            [
                Token(user=u, key=secrets.token_hex(20))
                for u in users.values()
                if u.pk not in have_token
            ],
            batch_size=500,
        )
        tokens = dict(Token.objects.filter(user__in=users.values()).values_list("user_id", "key"))
        pairs = []
        for number in range(0, count - 1, 2):
            first = users[emails[number]]
            second = users[emails[number + 1]]
            conversation = (
                Conversation.objects.filter(memberships__user=first, request=None)
                .filter(memberships__user=second)
                .first()
            )
            if conversation is None:
                conversation = Conversation.objects.create()
                Participant.objects.bulk_create(
                    [
                        Participant(conversation=conversation, user=first),
                        Participant(conversation=conversation, user=second),
                    ]
                )
            pairs.append((tokens[first.pk], tokens[second.pk], conversation.pk))
    return pairs


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def uvicorn_command(port: int, *extra_args: str) -> list[str]:
    """The command line of one benchmark server: config.asgi on loopback `port`, warnings only,
    no access log, a backlog for thousands of sockets connecting at once."""
    return [
        str(PROJECT_ROOT / ".venv/bin/uvicorn"),
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--backlog",
        "4096",
        *extra_args,
    ]


def start_servers(
    count: int,
    *,
    database_url: str,
    redis_url: str,
    extra_args: tuple[str, ...] = (),
    settings_module: str = "config.settings",
) -> list[tuple[str, subprocess.Popen]]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "warning",
        "DEBUG": "true",
        # Keep database connections between messages, as in production.
        "DB_CONN_MAX_AGE": "60",
    }
    servers = []
    for _ in range(count):
        port = free_port()
        process = subprocess.Popen(
            uvicorn_command(port, *extra_args),
            cwd=PROJECT_ROOT,
            env=environment,
            preexec_fn=raise_file_limit,
        )
        servers.append((f"127.0.0.1:{port}", process))
    for address, process in servers:
        wait_until_serving(f"http://{address}", process)
    return servers


def stop_servers(servers) -> None:
    for _address, process in servers:
        process.terminate()
    for _address, process in servers:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


# --- Measuring ------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Tally:
    sent_at: dict[str, float] = field(default_factory=dict)  # client_id -> monotonic time
    acked: dict[str, int] = field(default_factory=dict)  # client_id -> message id
    received: dict[tuple[int, int], int] = field(default_factory=dict)  # (socket, id) -> times
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    degraded_acks: int = 0


async def baseline_redis_round_trip(redis_url: str, samples: int = 500) -> list[float]:
    """PUBLISH on one connection, time until SUBSCRIBE on another receives it."""
    from redis import asyncio as aioredis

    publisher = aioredis.from_url(redis_url)
    subscriber = aioredis.from_url(redis_url)
    pubsub = subscriber.pubsub()
    await pubsub.subscribe("bench-baseline")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        await publisher.publish("bench-baseline", b"x")
        while (await pubsub.get_message(timeout=1)) is None:
            pass
        timings.append((time.perf_counter() - start) * 1000)
    await pubsub.aclose()
    await publisher.aclose()
    await subscriber.aclose()
    return timings


async def baseline_socket_ping(address: str, token: str, conversation: int, samples: int = 300):
    """A ping frame through Uvicorn and the consumer, back as pong: the floor for a frame."""
    from websockets.asyncio.client import connect

    url = f"ws://{address}/ws/conversations/{conversation}/?token={token}"
    timings = []
    async with connect(url, origin=f"http://{address}") as socket:
        for _ in range(samples):
            start = time.perf_counter()
            await socket.send('{"type":"ping"}')
            while json.loads(await socket.recv())["type"] != "pong":
                pass
            timings.append((time.perf_counter() - start) * 1000)
    return timings


async def run_clients(
    pairs,
    addresses: list[str],
    *,
    interval: float,
    duration: float,
    drain: float,
    tally: Tally,
    server_pids: list[int],
) -> dict:
    from websockets.asyncio.client import connect

    sockets = []  # (socket index, websocket, conversation, peer index)

    async def open_one(index: int, address: str, token: str, conversation: int):
        url = f"ws://{address}/ws/conversations/{conversation}/?token={token}"
        for attempt in range(5):
            try:
                return await connect(
                    url,
                    origin=f"http://{address}",
                    open_timeout=30,
                    ping_interval=None,
                    max_queue=None,
                )
            except Exception as error:  # retry a refused connect during a burst
                if attempt == 4:
                    raise
                tally.errors.append(f"connect retry: {error!r}")
                await asyncio.sleep(0.5)

    rss_before = [rss_kib(pid) for pid in server_pids]
    plan = []
    for number, (token_a, token_b, conversation) in enumerate(pairs):
        address_a = addresses[0]
        address_b = addresses[1 % len(addresses)]
        plan.append((2 * number, address_a, token_a, conversation, 2 * number + 1))
        plan.append((2 * number + 1, address_b, token_b, conversation, 2 * number))
    connect_started = time.monotonic()
    for start in range(0, len(plan), 100):
        batch = plan[start : start + 100]
        opened = await asyncio.gather(*(open_one(i, a, t, c) for i, a, t, c, _p in batch))
        for (index, _address, _token, conversation, peer), websocket in zip(
            batch, opened, strict=True
        ):
            sockets.append((index, websocket, conversation, peer))
    connect_seconds = time.monotonic() - connect_started
    await asyncio.sleep(2)  # let the servers settle before reading their memory
    rss_after = [rss_kib(pid) for pid in server_pids]

    stop_sending = time.monotonic() + duration
    peer_of_client: dict[str, int] = {}

    async def reader(index: int, websocket):
        async for raw in websocket:
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "message":
                message = frame["message"]
                key = (index, message["id"])
                tally.received[key] = tally.received.get(key, 0) + 1
                if peer_of_client.get(message["client_id"]) == index:
                    sent = tally.sent_at.get(message["client_id"])
                    if sent is not None and tally.received[key] == 1:
                        tally.latencies_ms.append((time.monotonic() - sent) * 1000)
            elif kind == "ack":
                tally.acked[frame["client_id"]] = frame["message"]["id"]
                if frame.get("delivery") == "degraded":
                    tally.degraded_acks += 1
            elif kind == "error":
                tally.errors.append(f"{frame['code']}: {frame['detail']}")

    async def writer(index: int, websocket, peer: int):
        await asyncio.sleep(random.uniform(0, interval))
        while time.monotonic() < stop_sending:
            client_id = str(uuid.uuid4())
            peer_of_client[client_id] = peer
            tally.sent_at[client_id] = time.monotonic()
            await websocket.send(
                json.dumps(
                    {"type": "message", "body": f"bench from {index}", "client_id": client_id}
                )
            )
            await asyncio.sleep(interval)

    cpu_before = [cpu_seconds(pid) for pid in server_pids]
    client_cpu_before = time.process_time()
    load_before = os.getloadavg()[0]
    readers = [asyncio.create_task(reader(i, ws)) for i, ws, _c, _p in sockets]
    writers = [asyncio.create_task(writer(i, ws, p)) for i, ws, _c, p in sockets]
    started = time.monotonic()
    await asyncio.gather(*writers)
    sending_seconds = time.monotonic() - started

    def outstanding() -> int:
        return sum(
            1
            for client_id, message_id in tally.acked.items()
            if (peer_of_client[client_id], message_id) not in tally.received
        ) + (len(tally.sent_at) - len(tally.acked))

    # Wait for the stragglers (bounded): anything still missing after `drain` counts as lost.
    drain_deadline = time.monotonic() + drain
    while outstanding() and time.monotonic() < drain_deadline:
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - client_cpu_before
    cpu_used = [
        cpu_seconds(pid) - before for pid, before in zip(server_pids, cpu_before, strict=True)
    ]
    for _index, websocket, _conversation, _peer in sockets:
        await websocket.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)

    # Lost: acknowledged (stored) but never received by the peer. Duplicated: received twice.
    delivered_to_peer = {
        message_id for (socket_index, message_id), _times in tally.received.items()
    }
    lost = sum(
        1
        for client_id, message_id in tally.acked.items()
        if (peer_of_client[client_id], message_id) not in tally.received
    )
    duplicated = sum(times - 1 for times in tally.received.values() if times > 1)
    peer_deliveries = len(tally.latencies_ms)
    return {
        "sockets": len(sockets),
        "connect_seconds": round(connect_seconds, 1),
        "sent": len(tally.sent_at),
        "acked": len(tally.acked),
        "not_acked": len(tally.sent_at) - len(tally.acked),
        "degraded_acks": tally.degraded_acks,
        "delivered_to_peer": peer_deliveries,
        "distinct_ids": len(delivered_to_peer),
        "lost": lost,
        "duplicated": duplicated,
        "messages_per_second": round(peer_deliveries / elapsed, 1),
        "sending_seconds": round(sending_seconds, 1),
        "elapsed_seconds": round(elapsed, 1),
        "frames_per_second": round(sum(tally.received.values()) / elapsed, 1),
        "p50_ms": round(percentile(tally.latencies_ms, 0.50), 1),
        "p95_ms": round(percentile(tally.latencies_ms, 0.95), 1),
        "p99_ms": round(percentile(tally.latencies_ms, 0.99), 1),
        "max_ms": round(max(tally.latencies_ms, default=float("nan")), 1),
        "rss_before_mib": [round(value / 1024, 1) for value in rss_before],
        "rss_after_mib": [round(value / 1024, 1) for value in rss_after],
        # Share of one core each server process got: below ~90 % under overload means the
        # machine's other work took the CPU.
        "server_cpu_percent": [round(100 * used / elapsed) for used in cpu_used],
        "client_cpu_percent": round(100 * client_cpu / elapsed),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "kib_per_socket": round((sum(rss_after) - sum(rss_before)) / max(1, len(sockets)), 1),
        "errors": tally.errors[:5],
        "error_count": len(tally.errors),
    }


async def one_run(sockets: int, processes: int, args, pairs_all) -> dict:
    pairs = pairs_all[: sockets // 2]
    servers = start_servers(
        processes,
        database_url=args.database_url,
        redis_url=args.redis_url,
        extra_args=("--ws-per-message-deflate", "false") if args.no_compression else (),
        settings_module=LAYER_SETTINGS[args.layer],
    )
    try:
        addresses = [address for address, _process in servers]
        pids = [process.pid for _address, process in servers]
        token_a, _token_b, conversation = pairs[0]
        redis_baseline = await baseline_redis_round_trip(args.redis_url)
        ping_baseline = await baseline_socket_ping(addresses[0], token_a, conversation)
        result = await run_clients(
            pairs,
            addresses,
            interval=args.interval,
            duration=args.duration,
            drain=args.drain,
            tally=Tally(),
            server_pids=pids,
        )
    finally:
        stop_servers(servers)
    result.update(
        layer=args.layer,
        compression=not args.no_compression,
        processes=processes,
        interval_s=args.interval,
        duration_s=args.duration,
        baseline_redis_pubsub_p50_ms=round(percentile(redis_baseline, 0.5), 3),
        baseline_redis_pubsub_p99_ms=round(percentile(redis_baseline, 0.99), 3),
        baseline_ws_ping_p50_ms=round(percentile(ping_baseline, 0.5), 2),
        baseline_ws_ping_p99_ms=round(percentile(ping_baseline, 0.99), 2),
    )
    return result


def markdown(results: list[dict]) -> str:
    header = (
        "| layer | sockets | processes | sent | msg/s delivered "
        "| p50 ms | p95 ms | p99 ms | max ms "
        "| lost | duplicated | KiB/socket | baseline Redis pub/sub p50 / p99 ms "
        "| baseline WS ping p50 / p99 ms | server CPU % | load avg |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [
        f"| {r['layer']} | {r['sockets']} | {r['processes']} | {r['sent']} "
        f"| {r['messages_per_second']} "
        f"| {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['lost']} "
        f"| {r['duplicated']} | {r['kib_per_socket']} "
        f"| {r['baseline_redis_pubsub_p50_ms']} / {r['baseline_redis_pubsub_p99_ms']} "
        f"| {r['baseline_ws_ping_p50_ms']} / {r['baseline_ws_ping_p99_ms']} "
        f"| {' + '.join(str(value) for value in r['server_cpu_percent'])} "
        f"| {r['load_average_1min'][0]} → {r['load_average_1min'][1]} |"
        for r in results
    ]
    return "\n".join([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between a client's messages"
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of sending per run")
    parser.add_argument(
        "--drain", type=float, default=15.0, help="at most this long for the last deliveries"
    )
    parser.add_argument("--database", default="tandem_bench_messaging")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database number to use")
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="run Uvicorn with --ws-per-message-deflate false (frames are small JSON)",
    )
    parser.add_argument(
        "--layer",
        choices=sorted(LAYER_SETTINGS),
        default="pubsub",
        help="channel layer for messaging: pubsub (as in settings) or list (channels_redis core)",
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    raise_file_limit()
    args.database_url = database_url_for(args.database)
    redis_base = os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/0").rsplit("/", 1)[0]
    args.redis_url = f"{redis_base}/{args.redis_db}"
    for address in (urlparse(args.database_url).hostname, urlparse(args.redis_url).hostname):
        if address not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"loopback only: {address}")

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    pairs = ensure_people(max(args.sockets))

    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results = []
    for sockets in args.sockets:
        for processes in args.processes:
            print(f"run: {sockets} sockets, {processes} process(es)…", file=sys.stderr, flush=True)
            result = asyncio.run(one_run(sockets, processes, args, pairs))
            print(json.dumps(result), file=sys.stderr, flush=True)
            results.append(result)
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
