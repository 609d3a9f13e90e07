"""Time the matching engine on the benchmark database (seed it first with seed_large.py).

    .venv/bin/python bench/matching/run.py [--queries 1000] [--baseline-queries 5]
                                           [--batch-requests 2000] [--check N]
                                           [--skip queries baseline batch]

1. `candidates_for` (matching.selectors) for random open requests and `nearby_requests_for` for
   random verified, active helpers: p50 / p95 / max over `--queries` calls each, after a warm-up.
2. The baseline: the same questions answered by a plain Python loop over every helper (or every
   open request) with geopy's geodesic distance, rows loaded into memory beforehand (not timed).
   It is slow, so it runs on `--baseline-queries` queries; the ratio is of the means. Its answer
   (the eligible helpers of a request) is compared with the SQL one (scored_pairs_for).
3. The batch dry run (ranking.batch.batch_plan) for `--batch-requests` random open requests.
4. With `--check N`: the fast queries against the plain formula (scoring.reference_pairs_sql):
   the candidates of N of the timed requests, and every pair of the batch.
   Meant for a province-sized database of its own (see docs/MATCHING.md: 20,000 helpers and
   2,000 requests in the province of Liège, BENCH_DATABASE_URL=.../tandem_bench_batch): in the
   national database every request would compete with helpers from everywhere around it.
"""

import argparse
import math
import os
import random
import statistics
import time

from common import django_setup

WARM_UP = 50


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average (1, 5, 15 min): {one:.1f} {five:.1f} {fifteen:.1f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def summary(name: str, seconds: list[float]) -> str:
    milliseconds = [value * 1000 for value in seconds]
    return (
        f"{name}: n={len(milliseconds)} p50={percentile(milliseconds, 0.5):.1f} ms"
        f" p95={percentile(milliseconds, 0.95):.1f} ms max={max(milliseconds):.1f} ms"
        f" mean={statistics.fmean(milliseconds):.1f} ms"
    )


def sample_ids(sql: str, count: int, seed: float) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(sql + " ORDER BY random() LIMIT %s", [count])
        return [row[0] for row in cursor.fetchall()]


def time_candidates(request_ids: list[int]) -> tuple[list[float], list[int]]:
    from ranking.selectors import candidates_for
    from requests_app.models import HelpRequest

    requests = HelpRequest.objects.in_bulk(request_ids)
    for request_id in request_ids[:WARM_UP]:
        candidates_for(help_request=requests[request_id], limit=10)
    timings, counts = [], []
    for request_id in request_ids:
        started = time.perf_counter()
        found = candidates_for(help_request=requests[request_id], limit=10)
        timings.append(time.perf_counter() - started)
        counts.append(len(found))
    return timings, counts


def check_candidates(request_ids: list[int]) -> str:
    """Compare candidates_for with the plain formula (scoring.reference_pairs_sql), top 10."""
    from django.db import connection

    from ranking import scoring
    from ranking.selectors import candidates_for
    from requests_app.models import HelpRequest

    reference_sql = scoring.reference_pairs_sql(
        where="r.id = %s", order_and_limit="ORDER BY score DESC, helper_id LIMIT 10"
    )
    requests = HelpRequest.objects.in_bulk(request_ids)
    same, worst = 0, 0.0
    for request_id in request_ids:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT helper_id, score FROM ({reference_sql}) pairs", [request_id])
            expected = cursor.fetchall()
        found = [(c.helper_id, c.score) for c in candidates_for(help_request=requests[request_id])]
        if [h for h, _ in found] == [h for h, _ in expected]:
            same += 1
            worst = max([worst, *(abs(a[1] - b[1]) for a, b in zip(found, expected, strict=True))])
    return (
        f"exactness: candidates_for = reference top 10 for {same} of {len(request_ids)}"
        f" requests (largest score difference {worst:.1e})"
    )


def check_pairs(request_ids: list[int]) -> str:
    """Compare scored_pairs_for with the plain formula over all pairs of these requests."""
    from django.db import connection

    from ranking import scoring
    from ranking.selectors import scored_pairs_for

    fast = {(r, h): score for r, h, score in scored_pairs_for(help_request_ids=request_ids)}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT request_id, helper_id, score FROM"
            f" ({scoring.reference_pairs_sql(where='r.id = ANY(%s)')}) pairs",
            [request_ids],
        )
        expected = {(r, h): score for r, h, score in cursor.fetchall()}
    seconds = time.perf_counter() - started
    common = set(fast) & set(expected)
    worst = max((abs(fast[pair] - expected[pair]) for pair in common), default=0.0)
    return (
        f"exactness: scored_pairs_for {len(fast):,} pairs, reference {len(expected):,}"
        f" ({seconds:.1f} s), {len(set(fast) ^ set(expected))} differ,"
        f" largest score difference {worst:.1e}"
    )


def time_nearby(helper_user_ids: list[int]) -> tuple[list[float], list[int]]:
    from accounts.models import User
    from ranking.selectors import nearby_requests_for

    users = User.objects.in_bulk(helper_user_ids)
    for user_id in helper_user_ids[:WARM_UP]:
        nearby_requests_for(helper_user=users[user_id])
    timings, counts = [], []
    for user_id in helper_user_ids:
        started = time.perf_counter()
        found = nearby_requests_for(helper_user=users[user_id])
        timings.append(time.perf_counter() - started)
        counts.append(len(found))
    return timings, counts


def load_helpers_for_baseline() -> list[tuple]:
    """Every helper as a plain tuple, the way a naive implementation would hold them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.user_id, ST_Y(h.location::geometry), ST_X(h.location::geometry),"
            " h.radius_km, h.categories, h.weekly_hours - h.committed_weekly_hours,"
            " h.active AND u.is_active AND h.verification_state = 'verified'"
            " FROM matching_helperprofile h JOIN accounts_user u ON u.id = h.user_id"
        )
        return [
            (user_id, lat, lon, radius, frozenset(categories), spare, usable)
            for user_id, lat, lon, radius, categories, spare, usable in cursor.fetchall()
        ]


def baseline_candidates(help_request, helpers: list[tuple]) -> list[tuple[float, int]]:
    """Eligible helpers of `help_request`, nearest first, by a loop with geopy distances."""
    from geopy.distance import geodesic

    place = (help_request.location.y, help_request.location.x)
    load = help_request.weekly_load_hours
    found = []
    for user_id, lat, lon, radius_km, categories, spare, usable in helpers:
        # The cheap tests first, as anyone writing the loop would.
        if not usable or help_request.category not in categories or spare + 1e-9 < load:
            continue
        if user_id == help_request.requester_id:
            continue
        distance_km = geodesic(place, (lat, lon)).km
        if distance_km <= radius_km:
            found.append((distance_km, user_id))
    found.sort()
    return found


def baseline_nearby(helper: tuple, open_requests: list[tuple]) -> list[tuple[float, int]]:
    from geopy.distance import geodesic

    user_id, lat, lon, radius_km, categories, spare, usable = helper
    found = []
    for request_id, r_lat, r_lon, a_lat, a_lon, category, load, requester_id in open_requests:
        if category not in categories or spare + 1e-9 < load or requester_id == user_id:
            continue
        if geodesic((lat, lon), (r_lat, r_lon)).km <= radius_km:
            found.append((geodesic((lat, lon), (a_lat, a_lon)).km, request_id))
    found.sort()
    return found[:50]


def run_baseline(request_ids: list[int], helper_user_ids: list[int], count: int) -> dict:
    from django.db import connection

    from ranking.selectors import scored_pairs_for
    from requests_app.models import HelpRequest

    started = time.perf_counter()
    helpers = load_helpers_for_baseline()
    by_user = {helper[0]: helper for helper in helpers}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Y(location::geometry), ST_X(location::geometry),"
            " ST_Y(approximate_location::geometry), ST_X(approximate_location::geometry),"
            " category, duration_minutes / 60.0 * CASE recurrence WHEN 'every_two_weeks'"
            " THEN 0.5 WHEN 'monthly' THEN 0.25 ELSE 1.0 END, requester_id"
            " FROM requests_app_helprequest WHERE status = 'open'"
        )
        open_requests = cursor.fetchall()
    print(
        f"baseline: loaded {len(helpers):,} helpers and {len(open_requests):,} open requests"
        f" into memory in {time.perf_counter() - started:.1f} s (not counted)",
        flush=True,
    )

    candidate_timings, agreement = [], []
    for help_request in HelpRequest.objects.filter(id__in=request_ids[:count]):
        started = time.perf_counter()
        found = baseline_candidates(help_request, helpers)
        candidate_timings.append(time.perf_counter() - started)
        by_sql = {
            helper_id for _, helper_id, _ in scored_pairs_for(help_request_ids=[help_request.id])
        }
        by_loop = {user_id for _, user_id in found}
        agreement.append((len(by_loop), len(by_sql), len(by_loop & by_sql)))
        print(
            f"  baseline candidates request {help_request.id}: {len(by_loop)} eligible by the"
            f" loop, {len(by_sql)} by SQL, {len(by_loop & by_sql)} in both,"
            f" {candidate_timings[-1]:.2f} s",
            flush=True,
        )
    nearby_timings = []
    for user_id in helper_user_ids[:count]:
        started = time.perf_counter()
        baseline_nearby(by_user[user_id], open_requests)
        nearby_timings.append(time.perf_counter() - started)
    return {"candidates": candidate_timings, "nearby": nearby_timings, "agreement": agreement}


def run_batch(
    request_count: int, seed: float, check: bool, near_first: bool = True, max_gap: float = 0.0
) -> None:
    from django.db import connection

    from ranking import batch

    request_ids = sample_ids(
        "SELECT id FROM requests_app_helprequest WHERE status = 'open'", request_count, seed
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM matching_helperprofile"
            " WHERE active AND verification_state = 'verified'"
        )
        helpers = cursor.fetchone()[0]
    print(
        f"batch: {len(request_ids):,} open requests, {helpers:,} verified active helpers",
        flush=True,
    )

    # Each part timed inside the one run (summed over the calls when the batch widens): the
    # SQL that finds and scores the pairs, the solver (model building, HiGHS, the proof).
    parts: dict[str, float] = {}
    calls: dict[str, int] = {}
    sizes: dict[str, int] = {}

    def timed(name, function):
        def wrapper(**kwargs):
            started = time.perf_counter()
            result = function(**kwargs)
            parts[name] = parts.get(name, 0.0) + time.perf_counter() - started
            calls[name] = calls.get(name, 0) + 1
            if name == "solver":
                sizes["pairs"] = len(kwargs["pairs"])
                sizes["helpers"] = len(kwargs["helpers"])
            elif name in ("pairs", "near pairs"):
                found = result if name == "pairs" else result[0]
                sizes[f"{name} found"] = sizes.get(f"{name} found", 0) + len(found)
            return result

        return wrapper

    originals = {
        "scored_pairs_for": batch.scored_pairs_for,
        "best_near_pairs_for": batch.best_near_pairs_for,
        "solve_assignment": batch.solve_assignment,
    }
    batch.scored_pairs_for = timed("pairs", originals["scored_pairs_for"])
    batch.best_near_pairs_for = timed("near pairs", originals["best_near_pairs_for"])
    batch.solve_assignment = timed("solver", originals["solve_assignment"])
    try:
        started = time.perf_counter()
        plan = batch.batch_plan(request_ids=request_ids, near_first=near_first, max_gap=max_gap)
        total = time.perf_counter() - started
    finally:
        for name, function in originals.items():
            setattr(batch, name, function)
    print(
        f"batch dry run ({'near pairs first' if near_first else 'every pair'}):"
        f" {total:.1f} s in all (target <= 10 s); optimal={plan.optimal}, proven gap"
        f" {plan.gap:.2e}; {len(plan.assignments):,} assigned,"
        f" {len(plan.unassigned):,} unassigned, total score {plan.total_score:.4f}",
        flush=True,
    )
    timed_parts = "; ".join(
        f"{name}: {seconds:.1f} s ({calls[name]} call(s)"
        + (f", {sizes[name + ' found']:,} pairs" if name + " found" in sizes else "")
        + ")"
        for name, seconds in parts.items()
    )
    print(
        f"  {timed_parts}; last model: {sizes['pairs']:,} pairs, {sizes['helpers']:,} helpers;"
        f" the rest: {total - sum(parts.values()):.1f} s",
        flush=True,
    )
    if check:
        print(check_pairs(request_ids), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--batch-requests", type=int, default=2000)
    parser.add_argument("--seed", type=float, default=0.17)
    parser.add_argument(
        "--check",
        type=int,
        default=0,
        metavar="N",
        help="compare the results with the plain formula: candidates of N requests, and every"
        " pair of the batch when N > 0",
    )
    parser.add_argument(
        "--batch-every-pair",
        action="store_true",
        help="the batch with every eligible pair from the start (batch_plan(near_first=False))",
    )
    parser.add_argument(
        "--batch-max-gap",
        type=float,
        default=0.0,
        help="accept a plan with this proven relative gap (e.g. 0.001) rather than score every"
        " pair for the last proof (batch_plan(max_gap=...))",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["queries", "baseline", "batch"])
    arguments = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.db import connection

    # DEBUG keeps every query in memory and wraps every cursor: not what production runs.
    settings.DEBUG = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM matching_helperprofile")
        helpers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM requests_app_helprequest WHERE status = 'open'")
        open_requests = cursor.fetchone()[0]
    print(f"database: {helpers:,} helpers, {open_requests:,} open requests", flush=True)
    # The figures mean little on a busy machine: say how busy it was.
    print(load_average(), flush=True)

    random.seed(arguments.seed)
    request_ids = sample_ids(
        "SELECT id FROM requests_app_helprequest WHERE status = 'open'",
        arguments.queries,
        arguments.seed,
    )
    helper_user_ids = sample_ids(
        "SELECT user_id FROM matching_helperprofile"
        " WHERE active AND verification_state = 'verified'",
        arguments.queries,
        arguments.seed,
    )
    if "queries" not in arguments.skip:
        timings, counts = time_candidates(request_ids)
        candidates_mean = statistics.fmean(timings)
        print(
            summary("candidates_for (limit 10)", timings)
            + f"; mean {statistics.fmean(counts):.1f} candidates returned",
            flush=True,
        )
        if arguments.check:
            print(check_candidates(request_ids[: arguments.check]), flush=True)
        timings, counts = time_nearby(helper_user_ids)
        nearby_mean = statistics.fmean(timings)
        print(
            summary("nearby_requests_for (limit 50)", timings)
            + f"; mean {statistics.fmean(counts):.1f} requests returned",
            flush=True,
        )
    if "baseline" not in arguments.skip:
        baseline = run_baseline(request_ids, helper_user_ids, arguments.baseline_queries)
        print(
            summary("baseline candidates (Python loop, geopy)", baseline["candidates"]), flush=True
        )
        print(summary("baseline nearby (Python loop, geopy)", baseline["nearby"]), flush=True)
        if "queries" not in arguments.skip:
            print(
                f"ratio baseline / SQL (means): candidates"
                f" {statistics.fmean(baseline['candidates']) / candidates_mean:,.0f}x,"
                f" nearby {statistics.fmean(baseline['nearby']) / nearby_mean:,.0f}x",
                flush=True,
            )
    if "batch" not in arguments.skip:
        run_batch(
            arguments.batch_requests,
            arguments.seed,
            check=arguments.check > 0,
            near_first=not arguments.batch_every_pair,
            max_gap=arguments.batch_max_gap,
        )
    print(load_average(), flush=True)


if __name__ == "__main__":
    main()
