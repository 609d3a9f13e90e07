"""What one request of each kind in the load scenario costs the server, one at a time.

Not a test and not in CI. Sends each endpoint of bench/load/locustfile.py N times in a row (no
concurrency, so nothing queues) to a running bench server, and reads the CPU the server's
processes and PostgreSQL's processes used meanwhile from /proc. Prints, per endpoint, the
latency p50/p95 and the CPU milliseconds per request on each side, with a static file (no
application code, no database) timed in the same run as the baseline. The mixed scenario's
capacity follows from these figures: at 150 requests/s the machine has 2,000 ms of CPU per
second for the server, PostgreSQL, Redis and the load generator together.

    bench/load/run.sh --serve   # prepares the data and starts the server; then:
    .venv/bin/python bench/load/cost_per_request.py --host http://127.0.0.1:PORT \\
        --accounts bench/results/load/accounts.json [--requests 200] [--keep-alive]

Server processes: every process whose command line runs `config.asgi` (Uvicorn's master) and
their children (its workers); PostgreSQL: the postmaster named by --postgres-pid-file
(default .local/pg/data/postmaster.pid) and its children. Each request opens a new connection unless
--keep-alive, like the scenario (its locustfile says why).
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import time
import urllib.parse
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the given processes (fields 14 and 15 of /proc/PID/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # ended meanwhile: its CPU is lost to the count, rare with a pool
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def server_pids() -> list[int]:
    masters = subprocess.run(["pgrep", "-f", "config.asgi"], capture_output=True, text=True)
    pids = [int(pid) for pid in masters.stdout.split()]
    for master in list(pids):  # Uvicorn's workers are spawned: their command line differs
        workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
        pids.extend(int(pid) for pid in workers.stdout.split())
    return pids


def postgres_pids(pid_file: Path) -> list[int]:
    postmaster = int(pid_file.read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True)
    return [postmaster, *(int(pid) for pid in children.stdout.split())]


def endpoints(accounts: dict) -> list[tuple[str, str, callable, str | None, callable]]:
    """(name, method, path maker, token, body maker): the scenario's requests, same names."""
    requester = accounts["requesters"][0]
    helper = accounts["helpers"][0]
    coordinator = accounts["coordinators"][0]
    postcodes = accounts["postcodes"]
    nearby_ids: list[int] = []

    def nearby_id():
        return random.choice(nearby_ids) if nearby_ids else accounts["request_ids"][0]

    def new_request():
        return {
            "category": "shopping",
            "description": "Besoin d'aide pour les courses : eau, lait, fruits et légumes.",
            "postcode": requester["postcode"] or "1000",
            "duration_minutes": 60,
            "recurrence": "once",
        }

    request_id = requester["requests"][0]
    rows = [
        ("baseline: static file", "GET", lambda: "/static/frontend/site.css", None, None),
        ("GET /", "GET", lambda: "/", None, None),
        ("GET /healthz", "GET", lambda: "/healthz", None, None),
        (
            "GET /api/geo/postcodes/[code]/",
            "GET",
            lambda: f"/api/geo/postcodes/{random.choice(postcodes)}/",
            None,
            None,
        ),
        (
            "GET /api/services/?postcode=",
            "GET",
            lambda: f"/api/services/?postcode={random.choice(postcodes)}",
            None,
            None,
        ),
        ("GET /api/me/", "GET", lambda: "/api/me/", requester["token"], None),
        ("GET /api/requests/", "GET", lambda: "/api/requests/", requester["token"], None),
        (
            "GET /api/requests/[id]/",
            "GET",
            lambda: f"/api/requests/{request_id}/",
            requester["token"],
            None,
        ),
        (
            "GET /api/requests/[id]/candidates/",
            "GET",
            lambda: f"/api/requests/{request_id}/candidates/?limit=10",
            requester["token"],
            None,
        ),
        ("GET /api/conversations/", "GET", lambda: "/api/conversations/", requester["token"], None),
        (
            "GET /api/requests/nearby/",
            "GET",
            lambda: "/api/requests/nearby/",
            helper["token"],
            None,
        ),
        ("GET /api/helpers/me/", "GET", lambda: "/api/helpers/me/", helper["token"], None),
        (
            "POST /api/requests/[id]/offers/",
            "POST",
            lambda: f"/api/requests/{nearby_id()}/offers/",
            helper["token"],
            lambda: {"message": "Je peux passer cette semaine."},
        ),
        ("GET /api/referrals/", "GET", lambda: "/api/referrals/", coordinator["token"], None),
        ("POST /api/requests/", "POST", lambda: "/api/requests/", requester["token"], new_request),
    ]
    return rows, nearby_ids


def send(host: str, connection, method: str, path: str, token: str | None, body) -> tuple:
    parsed = urllib.parse.urlsplit(host)
    if connection is None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    headers = {"Accept-Language": "fr"}
    if token:
        headers["Authorization"] = f"Token {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    content = response.read()
    return response.status, content, connection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--accounts", default="bench/results/load/accounts.json")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep-alive", action="store_true")
    parser.add_argument("--only", help="only endpoints whose name contains this")
    parser.add_argument("--postgres-pid-file", default=".local/pg/data/postmaster.pid")
    arguments = parser.parse_args()
    accounts = json.loads(Path(arguments.accounts).read_text())
    rows, nearby_ids = endpoints(accounts)
    random.seed(2026)

    print(
        f"{arguments.requests} requests each, one at a time, "
        f"{'kept-alive connection' if arguments.keep_alive else 'a connection per request'}"
    )
    print(
        "| endpoint | p50 ms | p95 ms | server CPU ms/request | PostgreSQL CPU ms/request"
        " | statuses |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for name, method, path_of, token, body_of in rows:
        if arguments.only and arguments.only not in name and not name.startswith("baseline"):
            continue
        connection = None
        for _ in range(10):  # warm-up: imports, pool connections, caches
            status, content, connection = send(
                arguments.host, connection, method, path_of(), token, body_of() if body_of else None
            )
            if not arguments.keep_alive:
                connection.close()
                connection = None
        if name == "GET /api/requests/nearby/" and status == 200:
            nearby_ids.extend(item["id"] for item in json.loads(content))
        servers, databases = server_pids(), postgres_pids(Path(arguments.postgres_pid_file))
        server_before, database_before = cpu_seconds(servers), cpu_seconds(databases)
        latencies, statuses = [], {}
        for _ in range(arguments.requests):
            path, body = path_of(), body_of() if body_of else None
            started = time.perf_counter()
            status, content, connection = send(
                arguments.host, connection, method, path, token, body
            )
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if not arguments.keep_alive:
                connection.close()
                connection = None
        server_ms = (cpu_seconds(servers) - server_before) * 1000 / arguments.requests
        database_ms = (cpu_seconds(databases) - database_before) * 1000 / arguments.requests
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(
            f"| {name} | {statistics.median(latencies):.1f} | {p95:.1f} | {server_ms:.1f} | "
            f"{database_ms:.1f} | {', '.join(f'{s}×{n}' for s, n in sorted(statuses.items()))} |"
        )


if __name__ == "__main__":
    main()
