"""Candidates and nearby over HTTP, at places drawn by population, against Uvicorn as `make run`
starts it; with the naive geopy loop in the same run.

    .venv/bin/python bench/matching/http_probes.py [--probes 300] [--nearby 200] [--rounds 2]
        [--baseline 3] [--config NAME [VAR=VALUE ...]] ... [--seed 17]

Against the benchmark database (BENCH_DATABASE_URL, seeded by seed_large.py). Steps:

1. Places by population. Each municipality's weight is its population on 1 January 2020
   (population_2020.csv: Statbel, "Structure of the population", 581 municipalities, total
   11,492,641; CC BY 4.0, https://statbel.fgov.be/en/open-data). Municipalities merged since
   (2025) get the sum of their parts, through the postcode of each old one. A place is a
   municipality drawn by weight, then one of its postcodes drawn uniformly, moved by up to 1.5 km
   in a random direction (as seed_large.py moves its places).
2. `--probes` open requests at such places (random category, duration, recurrence, start time for
   60 %), all of one requester (a benchmark account, whose API token the client uses), and for
   `--nearby` such places the nearest verified, active helper (and their token). Earlier probe
   rows are replaced: the rest of the database is left as seeded.
3. For each configuration (`--config NAME VAR=VALUE...`, the environment added to the server's;
   default: `make-run`, nothing added, i.e. the defaults of `make run`, and `no-pool`,
   DB_POOL_MAX_SIZE=0, the defaults before issue 17) and each round, in alternation: start
   Uvicorn with the command line of scripts/serve.sh, wait for /healthz, then time the first
   candidates request and the first nearby request after the start, then every probe once in a
   random order with one keep-alive client (requests.Session): p50 / p95 / p99 / max.
4. The baseline: the candidates of `--baseline` probe requests by a plain Python loop over every
   helper with geopy (bench/matching/run.py), rows loaded beforehand, and the ratio of its mean
   to the mean over HTTP of the same requests.

The load average is printed with every figure: the machine is shared.
"""

import argparse
import csv
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import REPOSITORY, django_setup

POPULATION_CSV = Path(__file__).with_name("population_2020.csv")
PROBE_EMAIL = "http-probe-requester@bench.invalid"
PROBE_DESCRIPTION = "HTTP probe"
JITTER_METRES = 1500
SERVER_START_TIMEOUT = 120


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average (1, 5, 15 min): {one:.1f} {five:.1f} {fifteen:.1f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(name: str, milliseconds: list[float]) -> str:
    return (
        f"{name}: n={len(milliseconds)} p50={percentile(milliseconds, 0.5):.1f} ms"
        f" p95={percentile(milliseconds, 0.95):.1f} ms p99={percentile(milliseconds, 0.99):.1f} ms"
        f" max={max(milliseconds):.1f} ms mean={statistics.fmean(milliseconds):.1f} ms"
        f"  [{load_average()}]"
    )


# --- 1. places by population ---------------------------------------------------------------


def municipality_weights() -> dict[str, int]:
    """Population by current municipality (refnis), from the 2020 table (module docstring)."""
    from geo.models import Municipality, Postcode

    current = set(Municipality.objects.values_list("refnis", flat=True))
    postcode_municipality = dict(Postcode.objects.values_list("code", "municipality_id"))
    weights: dict[str, int] = {}
    unplaced = []
    with POPULATION_CSV.open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            refnis = row["refnis"] if row["refnis"] in current else None
            refnis = refnis or postcode_municipality.get(row["postcode"].zfill(4))
            if refnis is None:
                unplaced.append(row["name_nl"])
                continue
            weights[refnis] = weights.get(refnis, 0) + int(row["inhabitants"])
    if unplaced:
        print(f"population: {len(unplaced)} municipalities not placed: {unplaced}", flush=True)
    print(
        f"population: {sum(weights.values()):,} people in {len(weights)} municipalities",
        flush=True,
    )
    return weights


def draw_places(count: int, rng: random.Random) -> list[tuple[float, float, str]]:
    """`count` places (longitude, latitude, postcode) drawn by population."""
    from django.db import connection

    from geo.models import Postcode

    weights = municipality_weights()
    postcodes: dict[str, list[str]] = {}
    for code, refnis in Postcode.objects.values_list("code", "municipality_id").order_by("code"):
        postcodes.setdefault(refnis, []).append(code)
    municipalities = sorted(refnis for refnis in weights if refnis in postcodes)
    drawn = rng.choices(municipalities, [weights[m] for m in municipalities], k=count)
    chosen = [(rng.choice(postcodes[m]), rng.random(), rng.random()) for m in drawn]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(place::geometry), ST_Y(place::geometry), code FROM ("
            " SELECT p.code, d.n, ST_Project(p.location, %s * sqrt(d.r), 2 * pi() * d.a) AS place"
            " FROM unnest(%s::text[], %s::float8[], %s::float8[]) WITH ORDINALITY"
            " AS d(code, r, a, n) JOIN geo_postcode p ON p.code = d.code) placed ORDER BY n",
            [
                JITTER_METRES,
                [c for c, _, _ in chosen],
                [r for _, r, _ in chosen],
                [a for _, _, a in chosen],
            ],
        )
        return cursor.fetchall()


# --- 2. probe rows ---------------------------------------------------------------------------


def token_for(user) -> str:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user, defaults={"key": secrets.token_hex(20)})
    return token.key


def prepare(probes: int, nearby: int, seed: int) -> tuple[str, list[int], list[str]]:
    """The probe requests (their ids and the requester's token) and the helpers' tokens."""
    from django.contrib.gis.geos import Point
    from django.db import connection, transaction

    from accounts.models import Role, User
    from matching.vocabulary import Category, Recurrence
    from requests_app.models import HelpRequest, RequestStatus

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        requester, _ = User.objects.get_or_create(
            email=PROBE_EMAIL,
            defaults={"display_name": "HTTP probe", "roles": [Role.HELPPIE], "postcode": "1000"},
        )
        HelpRequest.objects.filter(requester=requester).delete()
        now = time.time()
        rows = []
        for longitude, latitude, postcode in draw_places(probes, rng):
            place = Point(longitude, latitude, srid=4326)
            starts = None
            if rng.random() < 0.6:
                from datetime import datetime, timedelta
                from zoneinfo import ZoneInfo

                starts = datetime.fromtimestamp(now, ZoneInfo("UTC")).replace(
                    minute=0, second=0, microsecond=0
                ) + timedelta(days=rng.randrange(14), hours=rng.randrange(10))
            rows.append(
                HelpRequest(
                    requester=requester,
                    created_by=requester,
                    category=rng.choice(Category.values),
                    description=PROBE_DESCRIPTION,
                    location=place,
                    approximate_location=place,
                    location_salt=rng.randrange(2**62),
                    postcode=postcode,
                    duration_minutes=rng.choice([30, 60, 60, 90, 120, 180]),
                    recurrence=rng.choice(
                        [
                            Recurrence.ONCE,
                            Recurrence.WEEKLY,
                            Recurrence.WEEKLY,
                            Recurrence.EVERY_TWO_WEEKS,
                            Recurrence.MONTHLY,
                        ]
                    ),
                    starts_at=starts,
                    status=RequestStatus.OPEN,
                )
            )
        request_ids = [row.pk for row in HelpRequest.objects.bulk_create(rows)]
        helper_ids = []
        with connection.cursor() as cursor:
            for longitude, latitude, _ in draw_places(nearby, rng):
                cursor.execute(
                    "SELECT h.user_id FROM matching_helperprofile h"
                    " JOIN accounts_user u ON u.id = h.user_id"
                    " WHERE h.active AND u.is_active AND h.verification_state = 'verified'"
                    # Through the GiST index on the helpers' homes (a KNN scan).
                    " ORDER BY h.location <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"
                    " LIMIT 1",
                    [longitude, latitude],
                )
                helper_ids.append(cursor.fetchone()[0])
        helper_tokens = [token_for(user) for user in User.objects.filter(pk__in=helper_ids)]
        requester_token = token_for(requester)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_app_helprequest")
    print(
        f"prepared {len(request_ids)} probe requests and {len(helper_tokens)} helpers in"
        f" {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return requester_token, request_ids, helper_tokens


# --- 3. the server and the probes ------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc; gone processes count 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def backend_memory(pids: list[int]) -> str:
    """Private memory (what a backend holds of its own, shared buffers aside) and PSS, in MB."""
    private, proportional = [], []
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except (FileNotFoundError, PermissionError):
            continue
        values = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:]}
        private.append((values["Private_Clean"] + values["Private_Dirty"]) / 1024)
        proportional.append(values["Pss"] / 1024)
    if not private:
        return "backend memory: not readable"
    return (
        f"backend memory ({len(private)} kept backends): private {statistics.fmean(private):.1f} MB"
        f" each (max {max(private):.1f}), PSS {statistics.fmean(proportional):.1f} MB each"
    )


def database_backends() -> list[int]:
    """The client backends on the benchmark database other than this process's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def start_server(port: int, extra_env: dict[str, str], database_url: str) -> subprocess.Popen:
    """Uvicorn with scripts/serve.sh's command line, the environment of `make run` plus extra."""
    environment = {**os.environ, "DATABASE_URL": database_url, **extra_env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [
            str(REPOSITORY / ".venv/bin/uvicorn"),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws-per-message-deflate",
            "false",
            "--log-config",
            "config/uvicorn_logging.json",
        ],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_ready(session, base: str, server: subprocess.Popen) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < SERVER_START_TIMEOUT:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if session.get(base + "/healthz", timeout=5).status_code == 200:
                return time.perf_counter() - started
        except Exception:  # noqa: BLE001 — not listening yet
            pass
        time.sleep(0.05)
    raise RuntimeError("server not ready")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def timed_get(session, url: str, token: str) -> float:
    started = time.perf_counter()
    response = session.get(url, headers={"Authorization": f"Token {token}"}, timeout=30)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
    return elapsed


def run_configuration(
    name, extra_env, *, port, database_url, requester_token, request_ids, helper_tokens, rng
) -> dict:
    import requests

    print(
        f"\n== {name} ({' '.join(f'{k}={v}' for k, v in extra_env.items()) or 'make run defaults'})"
        f"  [{load_average()}]",
        flush=True,
    )
    server = start_server(port, extra_env, database_url)
    base = f"http://127.0.0.1:{port}"
    try:
        with requests.Session() as session:
            ready = wait_ready(session, base, server)
            candidates_url = base + "/api/requests/{}/candidates/"
            first_candidates = timed_get(
                session, candidates_url.format(rng.choice(request_ids)), requester_token
            )
            first_nearby = timed_get(
                session, base + "/api/requests/nearby/", rng.choice(helper_tokens)
            )
            print(
                f"ready after {ready:.1f} s; first candidates {first_candidates:.1f} ms,"
                f" first nearby {first_nearby:.1f} ms  [{load_average()}]",
                flush=True,
            )
            order = list(request_ids)
            rng.shuffle(order)
            candidates = {}
            # CPU per request: the server process, and the database backends when they are
            # kept (a pool); without one they come and go with each request, not counted.
            backends = database_backends()
            cpu_before = cpu_seconds([server.pid]), cpu_seconds(backends)
            for request_id in order:
                candidates[request_id] = timed_get(
                    session, candidates_url.format(request_id), requester_token
                )
            cpu_after = cpu_seconds([server.pid]), cpu_seconds(backends)
            print(summary("candidates", list(candidates.values())), flush=True)
            print(cpu_line(cpu_before, cpu_after, len(order), len(backends)), flush=True)
            tokens = list(helper_tokens)
            rng.shuffle(tokens)
            cpu_before = cpu_seconds([server.pid]), cpu_seconds(backends)
            nearby = [timed_get(session, base + "/api/requests/nearby/", t) for t in tokens]
            cpu_after = cpu_seconds([server.pid]), cpu_seconds(backends)
            print(summary("nearby", nearby), flush=True)
            print(cpu_line(cpu_before, cpu_after, len(tokens), len(backends)), flush=True)
            print("  " + backend_memory(database_backends()), flush=True)
    finally:
        stop_server(server)
    return {
        "first_candidates": first_candidates,
        "first_nearby": first_nearby,
        "candidates": candidates,
        "nearby": nearby,
    }


def cpu_line(before, after, count: int, backend_count: int) -> str:
    app = (after[0] - before[0]) / count * 1000
    database = (after[1] - before[1]) / count * 1000
    # Without a pool the backends live one request each: theirs is not counted.
    database_text = f"{database:.1f} ms" if backend_count > 1 and database >= 0 else "n/a"
    return (
        f"  CPU per request: server process {app:.1f} ms, database {database_text}"
        f" ({backend_count} kept backends; 10 ms clock ticks, so ±{10 / count:.2f} ms)"
    )


# --- 4. the baseline -------------------------------------------------------------------------


def baseline(request_ids: list[int], http_means: dict[int, float]) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from run import baseline_candidates, load_helpers_for_baseline

    from requests_app.models import HelpRequest

    started = time.perf_counter()
    helpers = load_helpers_for_baseline()
    print(
        f"\nbaseline: {len(helpers):,} helpers loaded in {time.perf_counter() - started:.1f} s"
        " (not counted)",
        flush=True,
    )
    loop_ms, http_ms = [], []
    for help_request in HelpRequest.objects.filter(id__in=request_ids):
        started = time.perf_counter()
        found = baseline_candidates(help_request, helpers)
        loop_ms.append((time.perf_counter() - started) * 1000)
        http_ms.append(http_means[help_request.id])
        print(
            f"  request {help_request.id} ({help_request.category}): {len(found)} eligible by"
            f" the loop, {loop_ms[-1] / 1000:.2f} s; over HTTP {http_ms[-1]:.1f} ms"
            f"  [{load_average()}]",
            flush=True,
        )
    ratio = statistics.fmean(loop_ms) / statistics.fmean(http_ms)
    print(
        f"baseline candidates: mean {statistics.fmean(loop_ms) / 1000:.2f} s a request; HTTP"
        f" mean of the same requests {statistics.fmean(http_ms):.1f} ms; ratio {ratio:,.0f}x",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--nearby", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--port", type=int, default=8517)
    parser.add_argument("--config", nargs="+", action="append", metavar="NAME [VAR=VALUE]")
    arguments = parser.parse_args()
    configurations = [
        (config[0], dict(item.split("=", 1) for item in config[1:]))
        for config in (arguments.config or [["make-run"], ["no-pool", "DB_POOL_MAX_SIZE=0"]])
    ]
    # This process prepares rows and runs the baseline: one plain connection is enough.
    server_environment = dict(os.environ)
    os.environ["DB_POOL_MAX_SIZE"] = "0"
    database_url = django_setup()
    os.environ.clear()
    os.environ.update(server_environment)
    print(f"database {database_url}  [{load_average()}]", flush=True)
    requester_token, request_ids, helper_tokens = prepare(
        arguments.probes, arguments.nearby, arguments.seed
    )
    rng = random.Random(arguments.seed)
    results: dict[str, list[dict]] = {}
    for round_number in range(arguments.rounds):
        for name, extra_env in configurations:
            results.setdefault(name, []).append(
                run_configuration(
                    f"{name}, round {round_number + 1}",
                    extra_env,
                    port=arguments.port,
                    database_url=database_url,
                    requester_token=requester_token,
                    request_ids=request_ids,
                    helper_tokens=helper_tokens,
                    rng=rng,
                )
            )
    print("\n== summary (all rounds)", flush=True)
    for name, runs in results.items():
        firsts = ", ".join(f"{run['first_candidates']:.0f}" for run in runs)
        first_nearby = ", ".join(f"{run['first_nearby']:.0f}" for run in runs)
        print(f"{name}: first candidates after a start {firsts} ms; first nearby {first_nearby} ms")
        print("  " + summary("candidates", [t for run in runs for t in run["candidates"].values()]))
        print("  " + summary("nearby", [t for run in runs for t in run["nearby"]]), flush=True)
    if arguments.baseline:
        first = configurations[0][0]
        http_means = {
            request_id: statistics.fmean(run["candidates"][request_id] for run in results[first])
            for request_id in request_ids
        }
        baseline(rng.sample(request_ids, arguments.baseline), http_means)
    print(f"\ndone  [{load_average()}]", flush=True)


if __name__ == "__main__":
    main()
