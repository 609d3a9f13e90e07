"""Reads of the matching engine: helper profiles, eligibility, candidates, nearby requests.

Eligibility (CONTRACT.md "Requests and matching") is answered by the database: a helper is
eligible for a request when they are active and verified, their own radius covers the request's
place, they offer its category, their spare weekly hours cover its weekly load, and they are not
the requester. "Radius covers" is the helper's disc covering the request's point, tested on the
planar copy `coverage_metric` (Belgian Lambert 2008) through a partial GiST index per category
(matching.models), so the index finds the few helpers around a place among all of them instead of
scanning everyone within the largest radius anyone has. The SQL and the reasons of the speed are
in matching.scoring ("Two renderings of the one formula").
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Language, User
from matching import scoring
from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    HelperProfile,
    VerificationState,
    metric_point,
)
from requests_app.models import (
    HelpRequest,
    Recurrence,
    RequestStatus,
)

CANDIDATES_LIMIT_RANGE = (1, 50)
DEFAULT_CANDIDATES_LIMIT = 10
NEARBY_LIMIT = 50
# At most this many reasons per candidate: the strongest factors, not an inventory.
MAX_REASONS = 3
# A capacity factor from here up is worth telling ("has time to spare").
CAPACITY_WORTH_TELLING = 0.5


# --- Helper profiles --------------------------------------------------------------------------


def helper_profile_get(*, user: User) -> HelperProfile | None:
    """The user's helper profile with its availability slots, or None if they have none."""
    if not user.is_authenticated:
        return None
    return (
        HelperProfile.objects.filter(user=user)
        .select_related("user")
        .prefetch_related("availability_slots")
        .first()
    )


def helper_profile_exists(*, user: User) -> bool:
    """Whether the user has a helper profile (verified or not, active or not)."""
    return user.is_authenticated and HelperProfile.objects.filter(user=user).exists()


# --- Eligibility ------------------------------------------------------------------------------


def eligible_helpers_for(*, help_request: HelpRequest) -> QuerySet[HelperProfile]:
    """Helper profiles eligible for `help_request` (the rules of the module docstring).

    Does not look at the request's status: callers decide whether a closed request may still be
    offered. The same rules, written for a join of requests with helpers, are
    matching.scoring.fast_eligibility_sql (candidates, batch) and eligibility_sql (the reference);
    tests check all three agree.
    """
    helpers = HelperProfile.objects.annotate(
        spare_weekly_hours=F("weekly_hours") - F("committed_weekly_hours")
    ).filter(
        active=True,
        user__is_active=True,
        verification_state=VerificationState.VERIFIED,
        # The planar test of the fast SQL (matching.scoring.fast_eligibility_sql).
        coverage_metric__covers=metric_point(help_request.location),
        categories__contains=[help_request.category],
        spare_weekly_hours__gte=help_request.weekly_load_hours - COMMITTED_HOURS_TOLERANCE,
    )
    if help_request.requester_id is not None:
        helpers = helpers.exclude(user_id=help_request.requester_id)
    return helpers


def helper_is_eligible_for(*, helper_user: User, help_request: HelpRequest) -> bool:
    """Whether `helper_user` may be matched with `help_request` now (one indexed query).

    Inside a transaction that holds the helper profile's row lock, the answer stays true until
    the transaction ends (the capacity it reads cannot change meanwhile).
    """
    return eligible_helpers_for(help_request=help_request).filter(user=helper_user).exists()


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
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


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

    One SQL query: eligibility, the score of matching.scoring, ORDER BY score DESC LIMIT, with
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


def scored_pairs_for(*, help_request_ids: list[int]) -> list[tuple[int, int, float]]:
    """(request id, helper user id, score) for every eligible pair of these requests.

    One SQL query joining the requests to the helpers whose coverage holds them, scored exactly
    like candidates_for (scoring.pairs_sql). Does not look at the requests' status: pass the
    open ones. Sorted by request id, then score descending, then helper id.
    """
    if not help_request_ids:
        return []
    pairs_sql = scoring.pairs_sql(where="r.id = ANY(%s)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT request_id, helper_id, score FROM ({pairs_sql}) scored"
            " ORDER BY request_id, score DESC, helper_id",
            [list(help_request_ids)],
        )
        return [(request_id, helper_id, float(score)) for request_id, helper_id, score in cursor]


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


def nearby_sql(*, profile: HelperProfile, helper_user_id: int, limit: int) -> tuple[str, list]:
    """The query behind nearby_requests_for, with its parameters (for EXPLAIN in tests).

    Finds the open requests whose place is in the helper's bounding box through the GiST index
    on the requests' place, keeps those the helper's disc covers (the planar test of
    candidates, matching.scoring.planar_covers_sql, so both lists agree on who fits what), then
    orders by the geodesic distance to the approximate place. Only the requests that can be
    among the `limit` nearest get that distance: with P the `limit`-th smallest Lambert 2008
    distance, a request whose planar distance is over P (1 + e) / (1 - e) is farther than
    `limit` others (e = scoring.PLANAR_DISTANCE_RELATIVE_ERROR), so the order is exact.
    """
    requests = HelpRequest._meta.db_table
    error = scoring.PLANAR_DISTANCE_RELATIVE_ERROR
    spare_weekly_hours = profile.weekly_hours - profile.committed_weekly_hours
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
        " cutoff AS (SELECT planar_m FROM found ORDER BY planar_m LIMIT 1 OFFSET %s)"
        " SELECT r.id, r.category, r.description, r.approximate_location, r.duration_minutes,"
        " r.recurrence, r.starts_at, r.created_at,"
        " ST_Distance(r.approximate_location, ST_GeomFromEWKB(%s)::geography) AS distance_m"
        f" FROM found JOIN {requests} r ON r.id = found.id"
        f" WHERE found.planar_m <= COALESCE((SELECT planar_m FROM cutoff) * {stretch!r}"
        " + 1e-6, 'Infinity'::float8)"
        " ORDER BY distance_m, r.id LIMIT %s"
    )
    params = [
        bytes(profile.location_metric.ewkb),
        bytes(profile.coverage_metric.ewkb),
        profile.radius_km,
        RequestStatus.OPEN,
        list(profile.categories),
        helper_user_id,
        spare_weekly_hours + COMMITTED_HOURS_TOLERANCE,
        bytes(profile.coverage.ewkb),
        limit - 1,
        bytes(profile.location.ewkb),
        limit,
    ]
    return sql, params


def nearby_requests_for(*, helper_user: User, limit: int = NEARBY_LIMIT) -> list[NearbyRequest]:
    """Open requests `helper_user` is eligible for, nearest first (at most `limit`).

    Distance is geodesic, from the helper's home to the request's approximate place (the only
    place they may see), rounded to 0.1 km. Empty for someone without an active, verified helper
    profile: they are eligible for nothing. The requests are found through the GiST index on
    their place: those inside the helper's coverage (nearby_sql).
    """
    profile = (
        HelperProfile.objects.filter(
            user=helper_user,
            active=True,
            user__is_active=True,
            verification_state=VerificationState.VERIFIED,
        )
        .only(
            "location",
            "location_metric",
            "coverage",
            "coverage_metric",
            "radius_km",
            "categories",
            "weekly_hours",
            "committed_weekly_hours",
        )
        .first()
    )
    if profile is None or not profile.categories:
        return []
    sql, params = nearby_sql(profile=profile, helper_user_id=helper_user.pk, limit=limit)
    return [
        NearbyRequest(
            id=help_request.pk,
            category=help_request.category,
            description=help_request.description,
            distance_km=round(help_request.distance_m / 1000.0, 1),
            location=help_request.approximate_location,
            duration_minutes=help_request.duration_minutes,
            recurrence=Recurrence(help_request.recurrence).value,
            starts_at=help_request.starts_at,
            created_at=help_request.created_at,
        )
        for help_request in HelpRequest.objects.raw(sql, params)
    ]
