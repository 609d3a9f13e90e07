"""Reads of the ranking: who fits a request best (candidates) and which requests a helper may
take (nearby).

Eligibility itself is matching's (matching.selectors, the rules in its docstring); this module
orders the eligible by the score of ranking.scoring and explains the order in plain sentences.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Language, User
from core.fast_rows import Rows, fetch_rows
from core.prepared_statements import prepared_cursor
from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    HelperProfile,
    VerificationState,
    metric_point,
)
from matching.vocabulary import Category, Recurrence
from ranking import scoring
from ranking.models import Proposal
from requests_app.models import HelpRequest, RequestStatus

CANDIDATES_LIMIT_RANGE = (1, 50)
DEFAULT_CANDIDATES_LIMIT = 10
NEARBY_LIMIT = 50
# At most this many reasons per candidate: the strongest factors, not an inventory.
MAX_REASONS = 3
# A capacity factor from here up is worth telling ("has time to spare").
CAPACITY_WORTH_TELLING = 0.5


# --- Candidates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One helper who fits a request, for the requester's list.

    `distance_km` is rounded up to a whole kilometre: the exact distance between a place the
    requester chooses and the helper's home would let anyone locate helpers by asking from a few
    places, and a helper's place shown to others must stay approximate (CONTRACT.md).
    """

    helper_id: int
    display_name: str
    distance_km: float
    score: float
    reasons: list[str]
    factors: dict[str, float] = field(default_factory=dict, compare=False, repr=False)


_SPEAKS = {
    Language.FRENCH: gettext_lazy("Speaks French"),
    Language.DUTCH: gettext_lazy("Speaks Dutch"),
    Language.GERMAN: gettext_lazy("Speaks German"),
    Language.ENGLISH: gettext_lazy("Speaks English"),
}

# Whole sentences rather than pieces glued together: word order and articles differ between
# French, Dutch, German and English. Indexed by weekday (0 = Monday), then part of the day.
_FREE_AT = [
    {
        "morning": gettext_lazy("Is usually free on Monday mornings"),
        "afternoon": gettext_lazy("Is usually free on Monday afternoons"),
        "evening": gettext_lazy("Is usually free on Monday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Tuesday mornings"),
        "afternoon": gettext_lazy("Is usually free on Tuesday afternoons"),
        "evening": gettext_lazy("Is usually free on Tuesday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Wednesday mornings"),
        "afternoon": gettext_lazy("Is usually free on Wednesday afternoons"),
        "evening": gettext_lazy("Is usually free on Wednesday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Thursday mornings"),
        "afternoon": gettext_lazy("Is usually free on Thursday afternoons"),
        "evening": gettext_lazy("Is usually free on Thursday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Friday mornings"),
        "afternoon": gettext_lazy("Is usually free on Friday afternoons"),
        "evening": gettext_lazy("Is usually free on Friday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Saturday mornings"),
        "afternoon": gettext_lazy("Is usually free on Saturday afternoons"),
        "evening": gettext_lazy("Is usually free on Saturday evenings"),
    },
    {
        "morning": gettext_lazy("Is usually free on Sunday mornings"),
        "afternoon": gettext_lazy("Is usually free on Sunday afternoons"),
        "evening": gettext_lazy("Is usually free on Sunday evenings"),
    },
]
_FREE_SAME_WEEKDAY = [
    gettext_lazy("Is usually free on Mondays, at other hours"),
    gettext_lazy("Is usually free on Tuesdays, at other hours"),
    gettext_lazy("Is usually free on Wednesdays, at other hours"),
    gettext_lazy("Is usually free on Thursdays, at other hours"),
    gettext_lazy("Is usually free on Fridays, at other hours"),
    gettext_lazy("Is usually free on Saturdays, at other hours"),
    gettext_lazy("Is usually free on Sundays, at other hours"),
]


def _part_of_day(moment: datetime) -> str:
    if moment.hour < 12:
        return "morning"
    if moment.hour < 18:
        return "afternoon"
    return "evening"


def _wanted_languages(help_request: HelpRequest) -> list[str]:
    if help_request.languages:
        return list(help_request.languages)
    requester = help_request.requester
    return [requester.language] if requester is not None else []


def _displayed_distance_km(distance_metres: float) -> float:
    # Rounded up, so that "within N km" stays true; at least 1.
    return float(max(1, math.ceil(distance_metres / 1000.0 - 1e-9)))


def _reasons(
    *, help_request: HelpRequest, row: dict, factors: dict[str, float], distance_km: float
) -> list[str]:
    """Plain sentences for the strongest factors, in the active language, strongest first."""
    told: list[tuple[float, str]] = []

    def tell(factor: str, sentence: str) -> None:
        told.append((scoring.WEIGHTS[factor] * factors[factor], sentence))

    if factors["distance"] > 0:
        tell(
            "distance",
            _("Lives within %(distance)s km") % {"distance": number_format(distance_km, 0)},
        )
    if factors["language"] >= 1:
        shared = [code for code in _wanted_languages(help_request) if code in row["languages"]]
        if shared and shared[0] in _SPEAKS:
            tell("language", str(_SPEAKS[shared[0]]))
    if help_request.starts_at is not None and factors["availability"] > 0:
        local_start = help_request.starts_at.astimezone(ZoneInfo(scoring.LOCAL_TIME_ZONE))
        weekday = local_start.weekday()
        if factors["availability"] >= 1:
            tell("availability", str(_FREE_AT[weekday][_part_of_day(local_start)]))
        else:
            tell("availability", str(_FREE_SAME_WEEKDAY[weekday]))
    if factors["capacity"] >= CAPACITY_WORTH_TELLING:
        tell("capacity", _("Has plenty of time free each week"))
    if factors["continuity"] >= 1:
        tell("continuity", _("Has helped you before"))
    if factors["car"] >= 1:
        tell("car", _("Has a car"))
    # sorted() is stable: equal contributions keep the order above.
    strongest = sorted(told, key=lambda item: item[0], reverse=True)
    return [sentence for _contribution, sentence in strongest[:MAX_REASONS]]


def _fetch_dicts(sql: str, params: list) -> list[dict]:
    # The candidates query: kept prepared by the connection (core/prepared_statements.py).
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def help_request_for_candidates(*, request_id: int) -> HelpRequest | None:
    """Request `request_id` as the candidates list reads it, or None if there is none.

    One raw query rather than select_related() (whose compilation costs more CPU than the
    rest of the call): the request's id, status, parties (for requests_app.permissions),
    category, place, start and languages, the other fields deferred (loaded if read), and its
    requester with their language only.
    """
    sql = (
        "SELECT r.id, r.status, r.requester_id, r.created_by_id, r.matched_helper_id,"
        " r.category, r.location, r.starts_at, r.languages, u.language AS requester_language"
        f" FROM {HelpRequest._meta.db_table} r"
        f" LEFT JOIN {User._meta.db_table} u ON u.id = r.requester_id"
        " WHERE r.id = %s"
    )
    found = list(HelpRequest.objects.raw(sql, [request_id]))
    if not found:
        return None
    help_request = found[0]
    if help_request.requester_id is not None:
        # As .only("requester__language") would load them: the other fields deferred.
        help_request.requester = User.from_db(
            help_request._state.db,
            ["id", "language"],
            [help_request.requester_id, help_request.requester_language],
        )
    else:
        help_request.requester = None
    del help_request.requester_language
    return help_request


def candidates_sql(*, help_request: HelpRequest, limit: int) -> tuple[str, list]:
    """The one query behind candidates_for, with its parameters (for EXPLAIN in tests)."""
    return scoring.candidates_sql(
        help_request_id=help_request.pk,
        category=help_request.category,
        location_metric=bytes(metric_point(help_request.location).ewkb),
        limit=limit,
    )


def candidates_for(
    *, help_request: HelpRequest, limit: int = DEFAULT_CANDIDATES_LIMIT, language: str = "fr"
) -> list[Candidate]:
    """The `limit` best eligible helpers for `help_request`, best first, with reasons.

    One SQL query: eligibility, the score of ranking.scoring, ORDER BY score DESC LIMIT, with
    only the helpers that can still make the list scored in full (scoring.candidates_sql).
    Ties are broken by helper id so the order is stable. `reasons` are in `language`.
    Does not look at the request's status (see eligible_helpers_for).
    """
    sql, params = candidates_sql(help_request=help_request, limit=limit)
    rows = _fetch_dicts(sql, params)
    candidates = []
    with translation.override(language):
        for row in rows:
            factors = {name: float(row[f"factor_{name}"]) for name in scoring.FACTORS}
            distance_km = _displayed_distance_km(row["distance_m"])
            candidates.append(
                Candidate(
                    helper_id=row["helper_id"],
                    display_name=row["display_name"],
                    distance_km=distance_km,
                    score=float(row["score"]),
                    reasons=_reasons(
                        help_request=help_request,
                        row=row,
                        factors=factors,
                        distance_km=distance_km,
                    ),
                    factors=factors,
                )
            )
    return candidates


def scored_pairs_for(
    *, help_request_ids: list[int], near_share: float | None = None
) -> list[tuple[int, int, float]]:
    """(request id, helper user id, score) for every eligible pair of these requests.

    One SQL query joining the requests to the helpers whose coverage holds them, scored exactly
    like candidates_for (scoring.pairs_sql). Does not look at the requests' status: pass the
    open ones. Sorted by request id, then score descending, then helper id. With `near_share`,
    only the pairs whose helper lives within that share of their radius (near_omitted_bounds
    bounds the scores of the others).
    """
    if not help_request_ids:
        return []
    pairs_sql = scoring.pairs_sql(where="r.id = ANY(%s)", near_share=near_share)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT request_id, helper_id, score FROM ({pairs_sql}) scored"
            " ORDER BY request_id, score DESC, helper_id",
            [list(help_request_ids)],
        )
        return [(request_id, helper_id, float(score)) for request_id, helper_id, score in cursor]


def best_near_pairs_for(
    *, help_request_ids: list[int], near_share: float, keep: int
) -> tuple[list[tuple[int, int, float]], dict[int, float]]:
    """Each request's `keep` best pairs among those of scored_pairs_for(near_share=…), and for
    each request a bound on the score of every eligible pair of it left out.

    The bound is the higher of near_omitted_score_bound (the pairs beyond the share) and the
    score of the request's next best near pair (those beyond `keep`). Sorted as
    scored_pairs_for.
    """
    if not help_request_ids:
        return [], {}
    bounds = near_omitted_bounds(help_request_ids=help_request_ids, near_share=near_share)
    pairs_sql = scoring.pairs_sql(where="r.id = ANY(%s)", near_share=near_share)
    pairs = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT request_id, helper_id, score, rank FROM ("
            " SELECT request_id, helper_id, score, row_number() OVER"
            " (PARTITION BY request_id ORDER BY score DESC, helper_id) AS rank"
            f" FROM ({pairs_sql}) scored) ranked WHERE rank <= %s"
            " ORDER BY request_id, rank",
            [list(help_request_ids), keep + 1],
        )
        for request_id, helper_id, score, rank in cursor:
            if rank <= keep:
                pairs.append((request_id, helper_id, float(score)))
            else:
                bounds[request_id] = max(bounds[request_id], float(score))
    return pairs, bounds


def near_omitted_bounds(*, help_request_ids: list[int], near_share: float) -> dict[int, float]:
    """For each request, the highest score of an eligible pair scored_pairs_for(near_share=…)
    leaves out (scoring.near_omitted_score_bound, from what the request asks)."""
    if not help_request_ids:
        return {}
    q = scoring.REQUEST_CONSTANTS
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q}.request_id, {q}.starts_at IS NOT NULL, {q}.category,"
            f" cardinality({q}.helped_by) > 0"
            f" FROM ({scoring.request_constants_sql(where='r.id = ANY(%s)')}) {q}",
            [list(help_request_ids)],
        )
        return {
            request_id: scoring.near_omitted_score_bound(
                share=near_share,
                has_start=has_start,
                is_transport=category == Category.TRANSPORT,
                has_helped_before=helped_before,
            )
            for request_id, has_start, category, helped_before in cursor
        }


def open_requests_without_candidates() -> list[int]:
    """Ids of the open requests no helper is eligible for (nobody to propose: a coordinator
    has to find someone). Two queries whatever the number of requests: the open ids, then the
    requests among them that have at least one eligible pair (scoring.pairs_sql)."""
    open_ids = list(
        HelpRequest.objects.filter(status=RequestStatus.OPEN)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not open_ids:
        return []
    pairs_sql = scoring.pairs_sql(where="r.id = ANY(%s)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT request_id FROM ({pairs_sql}) scored", [open_ids])
        with_candidates = {row[0] for row in cursor}
    return [request_id for request_id in open_ids if request_id not in with_candidates]


# --- Nearby requests --------------------------------------------------------------------------


@dataclass(frozen=True)
class NearbyRequest:
    """An open request a helper could take, as that helper may see it: the place approximate."""

    id: int
    category: str
    description: str
    distance_km: float
    location: Point
    duration_minutes: int
    recurrence: str
    starts_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class NearbySearch:
    """What the nearby query needs of a helper profile, read in one query (nearby_search_for).

    The places are EWKB, as PostgreSQL stores them. `can_be_matched` is false for a profile
    that is inactive or unverified, or whose account is inactive: eligible for nothing.
    """

    can_be_matched: bool
    location: bytes
    location_metric: bytes
    coverage: bytes
    coverage_metric: bytes
    radius_km: float
    categories: list[str]
    spare_weekly_hours: float


def displayed_nearby_km(kilometres: float) -> float:
    """A nearby request's distance as shown to the helper: to 0.1 km (the place being
    approximate already), as Python's round() writes it."""
    return round(float(kilometres), 1)


# Geometries come back from PostgreSQL as hexadecimal EWKB: decoded to bytes, not parsed by
# GEOS, since they only go back into the nearby query as parameters.
_NEARBY_SEARCH_SQL = (
    "SELECT p.active AND u.is_active AND p.verification_state = %s,"
    " p.location, p.location_metric, p.coverage, p.coverage_metric, p.radius_km, p.categories,"
    " p.weekly_hours, p.committed_weekly_hours"
    f" FROM {HelperProfile._meta.db_table} p"
    f" JOIN {User._meta.db_table} u ON u.id = p.user_id"
    " WHERE p.user_id = %s"
)


def nearby_search_for(*, user: User) -> NearbySearch | None:
    """The user's helper profile as the nearby query needs it, or None if they have none."""
    if not user.is_authenticated:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_NEARBY_SEARCH_SQL, [VerificationState.VERIFIED, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        can_be_matched,
        location,
        location_metric,
        coverage,
        coverage_metric,
        radius_km,
        categories,
        weekly_hours,
        committed_weekly_hours,
    ) = row
    return NearbySearch(
        can_be_matched=bool(can_be_matched),
        location=bytes.fromhex(location),
        location_metric=bytes.fromhex(location_metric),
        coverage=bytes.fromhex(coverage),
        coverage_metric=bytes.fromhex(coverage_metric),
        radius_km=radius_km,
        categories=list(categories),
        spare_weekly_hours=weekly_hours - committed_weekly_hours,
    )


def nearby_sql(*, search: NearbySearch, helper_user_id: int, limit: int) -> tuple[str, list]:
    """The query behind nearby_request_rows_for, with its parameters (for EXPLAIN in tests).

    Finds the open requests whose place is in the helper's bounding box through the GiST index
    on the requests' place, keeps those the helper's disc covers (the planar test of
    candidates, ranking.scoring.planar_covers_sql, so both lists agree on who fits what), then
    orders by the geodesic distance to the approximate place. Only the requests that can be
    among the `limit` nearest get that distance: with P the `limit`-th smallest Lambert 2008
    distance, a request whose planar distance is over P (1 + e) / (1 - e) is farther than
    `limit` others (e = scoring.PLANAR_DISTANCE_RELATIVE_ERROR), so the order is exact.
    The approximate place comes out as plain longitude and latitude (ST_X, ST_Y).
    """
    requests = HelpRequest._meta.db_table
    error = scoring.PLANAR_DISTANCE_RELATIVE_ERROR
    covers = scoring.planar_covers_sql(helper="h", point="r.place_metric")
    # Planar distances past this multiple of the `limit`-th smallest cannot make the list.
    stretch = (1 + error) / (1 - error)
    sql = (
        "WITH h AS MATERIALIZED (SELECT ST_GeomFromEWKB(%s) AS location_metric,"
        " ST_GeomFromEWKB(%s) AS coverage_metric, %s::float8 AS radius_km),"
        " found AS MATERIALIZED (SELECT r.id, ST_Distance(h.location_metric,"
        f" ST_Transform(r.approximate_location::geometry, {scoring.METRIC_SRID})) AS planar_m"
        " FROM (SELECT r.id, r.approximate_location,"
        f" ST_Transform(r.location::geometry, {scoring.METRIC_SRID}) AS place_metric"
        f" FROM {requests} r WHERE r.status = %s AND r.category = ANY(%s)"
        " AND r.requester_id IS DISTINCT FROM %s"
        f" AND {scoring.weekly_load_sql('r')} <= %s"
        " AND r.location && ST_GeomFromEWKB(%s)::geography OFFSET 0) r"
        f" CROSS JOIN h WHERE {covers}),"
        " cutoff AS (SELECT planar_m FROM found ORDER BY planar_m LIMIT 1 OFFSET %s),"
        " nearest AS (SELECT r.id, r.category, r.description,"
        " ST_Distance(r.approximate_location, ST_GeomFromEWKB(%s)::geography) AS distance_m,"
        " ST_X(r.approximate_location::geometry) AS longitude,"
        " ST_Y(r.approximate_location::geometry) AS latitude,"
        " r.duration_minutes, r.recurrence, r.starts_at, r.created_at"
        f" FROM found JOIN {requests} r ON r.id = found.id"
        f" WHERE found.planar_m <= COALESCE((SELECT planar_m FROM cutoff) * {stretch!r}"
        " + 1e-6, 'Infinity'::float8)"
        " ORDER BY distance_m, r.id LIMIT %s)"
        # Aliased to NearbyRequestSerializer's fields (core.fast_rows); ordered by the metres,
        # as measured, the kilometres being rounded by the serializer's field.
        ' SELECT id AS "id", category AS "category", description AS "description",'
        ' distance_m / 1000.0::float8 AS "distance_km",'
        ' latitude AS "location.lat", longitude AS "location.lon",'
        ' duration_minutes AS "duration_minutes", recurrence AS "recurrence",'
        ' starts_at AS "starts_at", created_at AS "created_at"'
        " FROM nearest ORDER BY distance_m, id"
    )
    params = [
        search.location_metric,
        search.coverage_metric,
        search.radius_km,
        RequestStatus.OPEN,
        search.categories,
        helper_user_id,
        search.spare_weekly_hours + COMMITTED_HOURS_TOLERANCE,
        search.coverage,
        limit - 1,
        search.location,
        limit,
    ]
    return sql, params


def nearby_request_rows_for(*, helper_user: User, limit: int = NEARBY_LIMIT) -> Rows | None:
    """Open requests `helper_user` is eligible for, nearest first (at most `limit`), as rows.

    None when the user has no helper profile at all (the API refuses them); no rows for someone
    whose profile is inactive or unverified: they are eligible for nothing. Two queries: the
    profile (nearby_search_for), then the requests inside its coverage through the GiST index
    on their place (nearby_sql). No model instances and no GEOS: this is the hot path of
    GET /api/requests/nearby/.

    The columns are NearbyRequestSerializer's fields (core.fast_rows.rows_data writes them):
    distance_km is geodesic, from the helper's home to the approximate place, the only place
    they may see (the serializer's field rounds it to 0.1 km); location is the approximate place.
    """
    search = nearby_search_for(user=helper_user)
    if search is None:
        return None
    if not search.can_be_matched or not search.categories:
        return Rows((), [])
    sql, params = nearby_sql(search=search, helper_user_id=helper_user.pk, limit=limit)
    return fetch_rows(sql, params, prepared=True)


def nearby_requests_for(*, helper_user: User, limit: int = NEARBY_LIMIT) -> list[NearbyRequest]:
    """nearby_request_rows_for as NearbyRequest objects, the place as a Point (for the pages).

    Empty for someone without an active, verified helper profile: they are eligible for nothing.
    """
    rows = nearby_request_rows_for(helper_user=helper_user, limit=limit)
    if not rows:
        return []
    nearby = []
    for values in rows.values:
        row = dict(zip(rows.names, values, strict=True))
        nearby.append(
            NearbyRequest(
                id=row["id"],
                category=row["category"],
                description=row["description"],
                distance_km=displayed_nearby_km(row["distance_km"]),
                location=Point(row["location.lon"], row["location.lat"], srid=4326),
                duration_minutes=row["duration_minutes"],
                recurrence=Recurrence(row["recurrence"]).value,
                starts_at=row["starts_at"],
                created_at=row["created_at"],
            )
        )
    return nearby


def proposals_of_batch(*, batch_id) -> list[Proposal]:
    """The proposals one batch run made, with their requests and helpers (the batch page)."""
    return list(
        Proposal.objects.filter(batch_id=batch_id)
        .select_related("request", "helper")
        .order_by("request_id", "id")
    )
