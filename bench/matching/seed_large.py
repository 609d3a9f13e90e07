"""Seed the benchmark database with 1,000,000 helpers and 50,000 open requests over Belgium.

    .venv/bin/python bench/matching/seed_large.py [--helpers N] [--requests M] [--seed S]
                                                  [--postcodes FIRST LAST]

Creates the database `tandem_bench` on the local cluster if needed (BENCH_DATABASE_URL to use
another), migrates it, loads the place data and replaces every benchmark row (it is a database of
its own: all people, helpers and requests in it are deleted first).

Everything is generated in SQL (INSERT ... SELECT over generate_series, in chunks of 100,000),
which is far faster than building a million model instances in Python:

- homes and request places: a current postcode's point drawn uniformly among all postcodes, moved
  by up to 2 km in a random direction. Postcodes are denser where people are (a Brussels postcode
  covers a few km², a rural one tens), so this follows population roughly; the package has no
  population figures to weight by, and none are invented.
- coverage_metric: ST_Buffer of the home in Belgian Lambert 2008 (EPSG:3812) with 16 segments
  per quarter circle; coverage: the same back in WGS 84; location_metric: the home in EPSG:3812.
  The very computation of matching.models.HelperProfile.derive_places(), checked on a sample at
  the end.
- radius (km): 60 % 1–5, 30 % 5–10, 8 % 10–20, 2 % 20–50 ("mostly 1–10 km, a few up to 50").
- weekly hours 1–10 (a few up to 20), a fifth with some hours already committed; about three
  categories each; 90 % verified, 95 % active; languages by region (nl in Flanders, fr in
  Wallonia, both in Brussels) plus English for a quarter; 60 % have one to three weekly slots.
- requests: category uniform, 30–180 minutes, once / weekly / every two weeks / monthly, a start
  time for 60 %, one requester each, all open.
- then the helper table is CLUSTERed by home (GiST on location) and everything VACUUMed and
  ANALYZEd.

The random draws are seeded (setseed), so the same arguments give the same data.
"""

import argparse
import os
import time
from urllib.parse import urlparse

from common import DEFAULT_DATABASE_URL, django_setup

CHUNK = 100_000
HELPER_ID_BASE = 1_000_000  # user ids of helpers: base + 1 .. base + N
REQUESTER_ID_BASE = 3_000_000  # user ids of requesters: base + 1 .. base + M


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def database_create(url: str) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# Common-table expression giving each of the people g in [low, high] a home: a postcode point
# moved by up to 2 km (uniform over the disc), with the postcode's region.
PEOPLE_SQL = """
    WITH drawn AS MATERIALIZED (
        SELECT g, 1 + floor(random() * (SELECT count(*) FROM bench_postcode))::int AS idx,
               2000.0 * sqrt(random()) AS offset_m, 2 * pi() * random() AS bearing
        FROM generate_series(%(low)s, %(high)s) g
    ), people AS MATERIALIZED (
        SELECT drawn.g, p.code, p.region,
               ST_Project(p.location, drawn.offset_m, drawn.bearing) AS home
        FROM drawn JOIN bench_postcode p ON p.idx = drawn.idx
    )
"""

LANGUAGE_SQL = """
    (CASE people.region WHEN 'flanders' THEN ARRAY['nl'] WHEN 'wallonia' THEN ARRAY['fr']
     ELSE ARRAY['fr', 'nl'] END)
"""

CATEGORIES = [
    "shopping",
    "meals",
    "administration",
    "transport",
    "company",
    "gardening",
    "odd_jobs",
    "household",
    "digital",
]


def seed(
    *,
    helpers: int,
    requests: int,
    seed_value: float,
    started: float,
    postcodes: tuple[str, str] = ("0000", "9999"),
) -> None:
    from django.db import connection

    from geo.services import places_load

    categories_array = "ARRAY[" + ",".join(f"'{c}'" for c in CATEGORIES) + "]::varchar(20)[]"
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        log("loading places", started)
        places_load()
        log("removing earlier benchmark rows", started)
        cursor.execute(
            "TRUNCATE matching_proposal, matching_availabilityslot, matching_helperprofile,"
            " requests_app_offer, requests_app_visit, requests_app_feedback,"
            " requests_app_helprequest, accounts_user CASCADE"
        )
        cursor.execute("DROP TABLE IF EXISTS bench_postcode")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_postcode AS"
            " SELECT row_number() OVER (ORDER BY p.code)::int AS idx, p.code, p.location,"
            " m.region FROM geo_postcode p JOIN geo_municipality m ON m.refnis = p.municipality_id"
            " WHERE p.code BETWEEN %s AND %s",
            list(postcodes),
        )
        cursor.execute("CREATE INDEX ON bench_postcode (idx)")
        cursor.execute("SELECT setseed(%s)", [seed_value])

        for low in range(1, helpers + 1, CHUNK):
            high = min(low + CHUNK - 1, helpers)
            bounds = {"low": low, "high": high, "base": HELPER_ID_BASE}
            # One statement per chunk: users first (explicit ids), then their profiles.
            cursor.execute(
                PEOPLE_SQL
                + f""",
                new_users AS (
                    INSERT INTO accounts_user (id, password, is_superuser, email, display_name,
                        language, postcode, roles, is_active, is_staff, date_joined,
                        pending_email, privacy_notice_version, session_generation)
                    SELECT %(base)s + g, '!', false, 'helper' || g || '@bench.invalid',
                        'Helper ' || g, ({LANGUAGE_SQL})[1], code, ARRAY['helpper'], true, false,
                        now(), '', '', 0
                    FROM people
                    RETURNING id
                ), drawn_profile AS MATERIALIZED (
                    SELECT people.*, random() AS radius_draw, random() AS hours_draw,
                           random() AS committed_draw, random() AS english_draw
                    FROM people
                )
                INSERT INTO matching_helperprofile (user_id, location, location_metric,
                    coverage_metric, coverage, postcode,
                    radius_km, categories, weekly_hours, committed_weekly_hours, languages,
                    has_car, active, verification_state, verified_at, created_at, updated_at)
                SELECT %(base)s + g, home, ST_Transform(home::geometry, 3812), disc,
                    ST_Transform(disc, 4326)::geography,
                    code, radius_km,
                    COALESCE(NULLIF(ARRAY(SELECT c FROM unnest({categories_array}) c
                        WHERE random() < 0.3 AND g IS NOT NULL), '{{}}'),
                        ARRAY[({categories_array})[1 + (g %% 9)]]),
                    weekly_hours,
                    CASE WHEN committed_draw < 0.2
                        THEN round((weekly_hours * committed_draw * 5)::numeric * 4) / 4
                        ELSE 0 END,
                    {LANGUAGE_SQL} || CASE WHEN english_draw < 0.25 THEN ARRAY['en']
                        ELSE ARRAY[]::text[] END,
                    random() < 0.5, random() < 0.95,
                    CASE WHEN random() < 0.9 THEN 'verified' ELSE 'unverified' END,
                    now(), now(), now()
                FROM (
                    SELECT drawn.*,
                        ST_Buffer(ST_Transform(home::geometry, 3812), radius_km * 1000.0, 16)
                            AS disc
                    FROM (
                        SELECT drawn_profile.*,
                            CASE WHEN radius_draw < 0.6 THEN 1 + 4 * (radius_draw / 0.6)
                                WHEN radius_draw < 0.9 THEN 5 + 5 * ((radius_draw - 0.6) / 0.3)
                                WHEN radius_draw < 0.98
                                    THEN 10 + 10 * ((radius_draw - 0.9) / 0.08)
                                ELSE 20 + 30 * ((radius_draw - 0.98) / 0.02) END AS radius_km,
                            CASE WHEN hours_draw < 0.95 THEN 1 + floor(hours_draw / 0.95 * 10)
                                ELSE 11 + floor((hours_draw - 0.95) / 0.05 * 10) END
                                AS weekly_hours
                        FROM drawn_profile
                    ) drawn
                ) people
                """,
                bounds,
            )
            log(f"helpers {low:,}–{high:,}", started)

        cursor.execute(
            """
            INSERT INTO matching_availabilityslot (profile_id, weekday, start, "end")
            SELECT h.id, slot.weekday, slot.start, slot.start + interval '3 hours'
            FROM (SELECT id FROM matching_helperprofile WHERE random() < 0.6) h
            CROSS JOIN LATERAL (
                SELECT floor(random() * 7)::int AS weekday,
                       make_time(8 + 3 * floor(random() * 4)::int, 0, 0) AS start
                FROM generate_series(1, 1 + floor(random() * 3)::int)
                WHERE h.id IS NOT NULL
            ) slot
            ON CONFLICT DO NOTHING
            """
        )
        log("availability slots", started)

        for low in range(1, requests + 1, CHUNK):
            high = min(low + CHUNK - 1, requests)
            bounds = {"low": low, "high": high, "base": REQUESTER_ID_BASE}
            cursor.execute(
                PEOPLE_SQL
                + f""",
                new_users AS (
                    INSERT INTO accounts_user (id, password, is_superuser, email, display_name,
                        language, postcode, roles, is_active, is_staff, date_joined,
                        pending_email, privacy_notice_version, session_generation)
                    SELECT %(base)s + g, '!', false, 'requester' || g || '@bench.invalid',
                        'Requester ' || g, ({LANGUAGE_SQL})[1], code, ARRAY['helppie'], true,
                        false, now(), '', '', 0
                    FROM people
                    RETURNING id
                )
                INSERT INTO requests_app_helprequest (requester_id, created_by_id, category,
                    description, location, approximate_location, location_salt, postcode,
                    duration_minutes, recurrence, starts_at, languages, for_someone_else,
                    relationship, status, created_at, updated_at)
                SELECT %(base)s + g, %(base)s + g,
                    ({categories_array})[1 + floor(random() * 9)::int],
                    'Benchmark request ' || g, home,
                    ST_Project(home, 500 + 400 * random(), 2 * pi() * random()),
                    floor(random() * 4e18)::bigint, code,
                    (ARRAY[30, 60, 60, 90, 120, 180])[1 + floor(random() * 6)::int],
                    (ARRAY['once', 'weekly', 'weekly', 'every_two_weeks', 'monthly'])
                        [1 + floor(random() * 5)::int],
                    CASE WHEN random() < 0.6 THEN date_trunc('hour', now())
                        + make_interval(days => floor(random() * 14)::int,
                                        hours => floor(random() * 10)::int) END,
                    ARRAY[]::varchar(2)[], false, '', 'open',
                    now() - make_interval(days => floor(random() * 30)::int), now()
                FROM people
                """,
                bounds,
            )
            log(f"requests {low:,}–{high:,}", started)

        # Explicit ids were given: move the id generator past them.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'),"
            " (SELECT max(id) FROM accounts_user))"
        )
        cursor.execute("DROP TABLE bench_postcode")
        # Rows were inserted in random order: put the helpers who live near each other on the
        # same pages (what a real table, filled over time, gets from CLUSTER after bulk loads),
        # so a query around one place reads a few pages rather than one page per helper.
        log("CLUSTER helpers by home", started)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'matching_helperprofile'"
            " AND indexdef LIKE '%%USING gist (location)%%'"
        )
        (location_index,) = cursor.fetchone()
        cursor.execute(f'CLUSTER matching_helperprofile USING "{location_index}"')
        # VACUUM too: sets the hint bits and the visibility map a long-lived table has, so the
        # first queries do not pay for them (and write pages back) on every row they read.
        log("VACUUM ANALYZE", started)
        cursor.execute("VACUUM ANALYZE")
        log("done", started)


def coverage_check(sample: int = 20) -> float:
    """Largest distance (m) between the seeded places of a helper and what save() derives.

    coverage against coverage_polygon(), coverage_metric and location_metric against
    HelperProfile.derive_places(), on a random sample.
    """
    from django.db import connection

    from matching.models import HelperProfile

    worst = 0.0
    profiles = HelperProfile.objects.order_by("?")[:sample]
    with connection.cursor() as cursor:
        for profile in profiles:
            seeded = (profile.coverage, profile.coverage_metric, profile.location_metric)
            profile.derive_places()
            expected = (profile.coverage, profile.coverage_metric, profile.location_metric)
            for got, wanted in zip(seeded, expected, strict=True):
                cursor.execute(
                    "SELECT ST_HausdorffDistance(ST_Transform(ST_GeomFromEWKT(%s), 3812),"
                    " ST_Transform(ST_GeomFromEWKT(%s), 3812))",
                    [got.ewkt, wanted.ewkt],
                )
                worst = max(worst, cursor.fetchone()[0])
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--seed", type=float, default=0.42, help="setseed() value in [-1, 1]")
    parser.add_argument(
        "--postcodes",
        nargs=2,
        default=("0000", "9999"),
        metavar=("FIRST", "LAST"),
        help="only places of postcodes in this range, e.g. 4000 4999 for the province of Liège",
    )
    arguments = parser.parse_args()

    started = time.monotonic()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    database_create(url)
    django_setup(url)
    from django.core.management import call_command

    log(f"migrating {url}", started)
    call_command("migrate", verbosity=0)
    seed(
        helpers=arguments.helpers,
        requests=arguments.requests,
        seed_value=arguments.seed,
        started=started,
        postcodes=tuple(arguments.postcodes),
    )
    worst = coverage_check()
    log(f"coverage check: seeded vs coverage_polygon(), worst Hausdorff {worst:.6f} m", started)


if __name__ == "__main__":
    main()
