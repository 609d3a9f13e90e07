"""How well a helper fits a help request: one documented score in 0–1, computed in SQL.

The score is a weighted sum of six factors, each itself in 0–1, with weights that add up to 1:

=============  ======  =============================================================================
factor         weight  factor value
=============  ======  =============================================================================
distance       0.35    1 when the helper lives at the request's place, falling linearly to 0 at the
                       helper's own radius (geodesic distance, ST_Distance on geography).
language       0.20    1 when the helper speaks a language of the request (its `languages`, or else
                       the requester's language), else 0.
availability   0.15    1 when one of the helper's weekly slots covers the start time (Brussels local
                       weekday and time), 0.5 when a slot falls on that weekday at another time, 0
                       when none does. A request without `starts_at` is neutral: 0.5 for everyone.
capacity       0.10    The share of the helper's weekly hours still free once this request is taken:
                       (weekly_hours - committed_weekly_hours - load) / weekly_hours.
continuity     0.10    1 when the helper already helped this requester (another request of theirs,
                       matched to or completed with this helper), else 0.
car            0.10    For `transport`: 1 with a car, 0 without. Other categories: 0.5 for everyone.
=============  ======  =============================================================================

Why these weights: being close is what makes neighbour help work at all, so distance weighs
most; being understood comes next; the others break ties between otherwise similar neighbours.
They are a starting point to tune with coordinators, not a finding; they live in `WEIGHTS` so a
change is one line and the tests check they still add up to 1.

Neutral factors (0.5 for every helper) shift all scores equally and never change the order.

Everything is rendered to SQL here, from these tables, so that the candidates of one request and
the pairs of the batch (matching.selectors) rank with the very same formula in the database.

Two renderings of the one formula
---------------------------------
`reference_pairs_sql()` is the formula written plainly: a join of requests with the helpers whose
`coverage` (geography) covers them, every factor computed for every pair (availability and
continuity as one subquery per pair). It is the definition, and the tests compare the fast path
with it; it is too slow for a million helpers.

The fast path (`candidates_sql()` for one request, `pairs_sql()` for many) gives the same pairs and
the same scores, but:

- the spatial test is planar, `ST_Covers(coverage_metric, request point in EPSG:3812)`: the very
  disc `coverage` is made from, before it is turned into WGS 84 (matching.models), found through
  the partial GiST index of the request's category, which holds active and verified helpers only.
  The category is written into the SQL as a literal so that the planner can use that index;
- everything that depends on the request alone (its point in EPSG:3812, weekly load, languages,
  Brussels weekday and time, the helpers who already helped its requester) is computed once per
  request, not once per pair;
- the distance that is scored and shown stays geodesic (ST_Distance on geography). For the
  candidates, only the rows that can still reach the top `limit` get it (exact pruning, see
  candidates_sql()); the others are bounded with the planar distance, which is within
  PLANAR_DISTANCE_RELATIVE_ERROR of the geodesic one everywhere in Belgium;
- for the batch, availability and continuity are set-based joins instead of a subquery per pair.
"""

import math
from dataclasses import dataclass

from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    COVERAGE_QUADRANT_SEGMENTS,
    METRIC_SRID,
    NEAR_SHARES,
    AvailabilitySlot,
    HelperProfile,
    VerificationState,
)
from matching.vocabulary import WEEKLY_LOAD_FACTOR, Category
from requests_app.models import HelpRequest, RequestStatus

WEIGHTS: dict[str, float] = {
    "distance": 0.35,
    "language": 0.20,
    "availability": 0.15,
    "capacity": 0.10,
    "continuity": 0.10,
    "car": 0.10,
}
FACTORS = tuple(WEIGHTS)

# Value of a factor that says nothing about this pair (no start time, not a transport task).
NEUTRAL = 0.5
# Availability when a slot falls on the request's weekday but not at its start time.
SAME_WEEKDAY = 0.5
# The site's zone (CONTRACT.md): weekly slots are Brussels wall-clock times.
LOCAL_TIME_ZONE = "Europe/Brussels"
# Requests that show a helper has already helped this requester.
CONTINUITY_STATUSES = (RequestStatus.MATCHED, RequestStatus.COMPLETED)
# How far a Belgian Lambert 2008 (EPSG:3812) distance may be from the geodesic one, as a share of
# it, anywhere in Belgium: measured at most 0.016 % (20,000 random pairs up to 50 km apart, against
# geopy); the tests check 0.1 %, and the pruning of candidates_sql() relies on it.
PLANAR_DISTANCE_RELATIVE_ERROR = 1e-3


@dataclass(frozen=True)
class Aliases:
    """Table aliases the SQL fragments refer to.

    `helper` is a HelperProfile row, `helper_user` its User, `request` a HelpRequest row and
    `requester` the requester's User (LEFT JOINed: erased accounts leave it NULL).
    """

    helper: str = "h"
    helper_user: str = "hu"
    request: str = "r"
    requester: str = "ru"


def _quote_text(value: str) -> str:
    # Only ever used on the project's own constants (enum values), never on input.
    return "'" + value.replace("'", "''") + "'"


def weekly_load_sql(request: str) -> str:
    """The request's weekly load in hours (CONTRACT.md formula, WEEKLY_LOAD_FACTOR table)."""
    branches = " ".join(
        f"WHEN {_quote_text(recurrence)} THEN {factor!r}::float8"
        for recurrence, factor in WEEKLY_LOAD_FACTOR.items()
    )
    return (
        f"({request}.duration_minutes / 60.0::float8 * (CASE {request}.recurrence {branches} END))"
    )


def eligibility_sql(aliases: Aliases = Aliases()) -> str:
    """The WHERE clause of an eligible (helper, request) pair, beyond the spatial join.

    The same rules as matching.selectors.eligible_helpers_for, for queries that join requests
    to helpers (the ORM cannot join unrelated tables).
    """
    h, hu, r = aliases.helper, aliases.helper_user, aliases.request
    return (
        f"{h}.active AND {hu}.is_active"
        f" AND {h}.verification_state = 'verified'"
        f" AND {h}.categories @> ARRAY[{r}.category]::varchar(20)[]"
        f" AND {h}.weekly_hours - {h}.committed_weekly_hours + {COMMITTED_HOURS_TOLERANCE!r}"
        f" >= {weekly_load_sql(r)}"
        f" AND {h}.user_id IS DISTINCT FROM {r}.requester_id"
    )


def covers_sql(aliases: Aliases = Aliases()) -> str:
    """Whether the helper's coverage holds the request's place (ST_Covers on geography).

    PostGIS turns it into a bounding-box test (&&) on the GiST index of coverage, then the exact
    test on the sphere. (Testing the exact part on the geometry behind the geography would be
    several times cheaper per pair, but it hides the spatial condition from the planner's
    estimates and, with a misestimated join, loses the index: not worth it.)
    """
    return f"ST_Covers({aliases.helper}.coverage, {aliases.request}.location)"


def distance_metres_sql(aliases: Aliases = Aliases()) -> str:
    """Geodesic distance from the helper's home to the request's exact place, in metres."""
    return f"ST_Distance({aliases.helper}.location, {aliases.request}.location)"


def factor_sql(aliases: Aliases = Aliases(), *, distance_m: str | None = None) -> dict[str, str]:
    """Each factor as an SQL expression in 0–1 (see the module docstring for their meaning).

    `distance_m` is SQL for the pair's geodesic distance in metres, by default computed in place
    (distance_metres_sql); pass a column name to reuse a distance computed once.
    """
    h, r, ru = aliases.helper, aliases.request, aliases.requester
    distance_m = distance_m or distance_metres_sql(aliases)
    slots = AvailabilitySlot._meta.db_table
    requests = HelpRequest._meta.db_table
    local_start = f"({r}.starts_at AT TIME ZONE {_quote_text(LOCAL_TIME_ZONE)})"
    # ISODOW is 1 for Monday; slots count Monday as 0.
    local_weekday = f"(EXTRACT(ISODOW FROM {local_start})::int - 1)"
    local_time = f"{local_start}::time"
    continuity_statuses = ", ".join(_quote_text(status) for status in CONTINUITY_STATUSES)
    wanted_languages = (
        f"(CASE WHEN cardinality({r}.languages) > 0 THEN {r}.languages"
        f" ELSE ARRAY[{ru}.language]::varchar(2)[] END)"
    )
    return {
        "distance": f"GREATEST(0.0, 1.0 - {distance_m} / ({h}.radius_km * 1000.0))",
        "language": (
            f"(CASE WHEN {h}.languages && {wanted_languages} THEN 1.0::float8 ELSE 0.0 END)"
        ),
        "availability": (
            f"(CASE WHEN {r}.starts_at IS NULL THEN {NEUTRAL!r}::float8 ELSE COALESCE(("
            f'SELECT MAX(CASE WHEN slot.start <= {local_time} AND {local_time} < slot."end"'
            f" THEN 1.0::float8 ELSE {SAME_WEEKDAY!r} END)"
            f" FROM {slots} slot WHERE slot.profile_id = {h}.id"
            f" AND slot.weekday = {local_weekday}"
            f"), 0.0) END)"
        ),
        "capacity": (
            f"LEAST(1.0, GREATEST(0.0, ({h}.weekly_hours - {h}.committed_weekly_hours"
            f" - {weekly_load_sql(r)}) / {h}.weekly_hours))"
        ),
        "continuity": (
            f"(CASE WHEN EXISTS (SELECT 1 FROM {requests} earlier"
            f" WHERE earlier.matched_helper_id = {h}.user_id"
            f" AND earlier.requester_id = {r}.requester_id AND earlier.id <> {r}.id"
            f" AND earlier.status IN ({continuity_statuses})) THEN 1.0::float8 ELSE 0.0 END)"
        ),
        "car": (
            f"(CASE WHEN {r}.category = {_quote_text(Category.TRANSPORT)}"
            f" THEN (CASE WHEN {h}.has_car THEN 1.0::float8 ELSE 0.0 END) ELSE {NEUTRAL!r} END)"
        ),
    }


def score_sql() -> str:
    """The weighted sum of the columns factor_<name> of an inner query."""
    return " + ".join(f"{weight!r}::float8 * factor_{name}" for name, weight in WEIGHTS.items())


def reference_pairs_sql(*, where: str, order_and_limit: str = "", extra_columns: str = "") -> str:
    """One query over every eligible (request, helper) pair matching `where`, with its score.

    The plain rendering of the formula (module docstring), kept as the definition the fast path
    is tested against; not used by the application.

    Columns: request_id, helper_id (user id), distance_m (geodesic, metres), factor_<name> for
    each factor, `extra_columns` (SQL over the aliases of Aliases()), and score. The spatial
    join (covers_sql) is answered by the GiST index on the helpers' coverage.
    `where` and `order_and_limit` are SQL written by the caller, with %s placeholders only.
    """
    aliases = Aliases()
    h, hu, r, ru = aliases.helper, aliases.helper_user, aliases.request, aliases.requester
    user_table = HelperProfile._meta.get_field("user").related_model._meta.db_table
    factor_columns = ", ".join(
        f"{expression} AS factor_{name}"
        for name, expression in factor_sql(aliases, distance_m="measured.distance_m").items()
    )
    extra = f", {extra_columns}" if extra_columns else ""
    # OFFSET 0 keeps PostgreSQL from inlining the subqueries: inlined, every use of distance_m
    # and of each factor would be computed again (the score uses each factor once more).
    return (
        f"SELECT pairs.*, {score_sql()} AS score FROM ("
        f"SELECT {r}.id AS request_id, {h}.user_id AS helper_id, measured.distance_m,"
        f" {factor_columns}{extra}"
        f" FROM {HelpRequest._meta.db_table} {r}"
        f" JOIN {HelperProfile._meta.db_table} {h} ON {covers_sql(aliases)}"
        f" JOIN {user_table} {hu} ON {hu}.id = {h}.user_id"
        f" LEFT JOIN {user_table} {ru} ON {ru}.id = {r}.requester_id"
        f" CROSS JOIN LATERAL (SELECT {distance_metres_sql(aliases)} AS distance_m OFFSET 0)"
        f" measured"
        f" WHERE {eligibility_sql(aliases)} AND ({where})"
        f" OFFSET 0) pairs {order_and_limit}"
    )


# --- The fast path (module docstring) ----------------------------------------------------------

# Alias of the one-row-per-request constants in the fast queries.
REQUEST_CONSTANTS = "q"
# What the planar distance factor may differ from the geodesic one, in score units. A request is
# within the helper's radius (the coverage disc is inscribed in the planar circle), so the
# geodesic distance is at most radius / (1 - e) and the factor moves by at most e / (1 - e).
DISTANCE_BOUND = (
    WEIGHTS["distance"] * PLANAR_DISTANCE_RELATIVE_ERROR / (1.0 - PLANAR_DISTANCE_RELATIVE_ERROR)
)
# Slack for the rounding of sums of floats in bound comparisons.
FLOAT_SLACK = 1e-9
# The coverage polygon (matching.models.metric_coverage_polygon) is regular, its corners on the
# circle of radius_km around home and the middles of its sides at radius_km × cos(π / n), n its
# number of sides (64): a point closer than that is covered, a point beyond radius_km is not.
# Only in between (0.24 % of the disc's area) does the polygon itself need reading. The shares are
# moved inwards and outwards by 1e-9 (50 µm at 50 km): the float rounding of the polygon's
# corners is below 1e-12.
COVERAGE_INNER_SHARE = math.cos(math.pi / (4 * COVERAGE_QUADRANT_SEGMENTS)) * (1 - 1e-9)
COVERAGE_OUTER_SHARE = 1 + 1e-9


def _category_literal(category: str) -> str:
    # Written into the SQL (not a parameter) so the planner can pick the category's partial index.
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    return _quote_text(category)


def request_constants_sql(*, where: str, location_metric: str | None = None) -> str:
    """One row per request matching `where` (SQL over alias `r`), with what each pair needs.

    `location_metric` is SQL for the request's point in EPSG:3812, ST_Transform of its
    location by default; a caller that has the point already passes it as a parameter (the
    first ST_Transform of a database session loads the projection tables, about 10 ms).

    Columns: request_id, requester_id, category, starts_at, location (geography),
    location_metric (EPSG:3812), weekly_load, wanted_languages, local_weekday and local_time
    (Brussels, NULL without starts_at) and helped_by (the user ids of the helpers who already
    helped this requester, for continuity).
    """
    requests = HelpRequest._meta.db_table
    users = HelperProfile._meta.get_field("user").related_model._meta.db_table
    local_start = f"(r.starts_at AT TIME ZONE {_quote_text(LOCAL_TIME_ZONE)})"
    continuity_statuses = ", ".join(_quote_text(status) for status in CONTINUITY_STATUSES)
    location_metric = location_metric or f"ST_Transform(r.location::geometry, {METRIC_SRID})"
    return (
        "SELECT r.id AS request_id, r.requester_id, r.category, r.starts_at, r.location,"
        f" {location_metric} AS location_metric,"
        f" {weekly_load_sql('r')} AS weekly_load,"
        " (CASE WHEN cardinality(r.languages) > 0 THEN r.languages"
        " ELSE ARRAY[ru.language]::varchar(2)[] END) AS wanted_languages,"
        # ISODOW is 1 for Monday; slots count Monday as 0.
        f" (EXTRACT(ISODOW FROM {local_start})::int - 1) AS local_weekday,"
        f" {local_start}::time AS local_time,"
        f" ARRAY(SELECT earlier.matched_helper_id FROM {requests} earlier"
        " WHERE earlier.requester_id = r.requester_id AND earlier.id <> r.id"
        f" AND earlier.status IN ({continuity_statuses})"
        " AND earlier.matched_helper_id IS NOT NULL) AS helped_by"
        f" FROM {requests} r LEFT JOIN {users} ru ON ru.id = r.requester_id"
        f" WHERE {where}"
    )


def fast_eligibility_sql(
    *, category: str, helper: str = "h", near_share: float | None = None
) -> str:
    """The eligibility of a helper row for the request constants `q` of `category`.

    The rules of eligibility_sql(), but the spatial test planar (module docstring) and the
    account's is_active left to the caller (it lives in another table). Repeats the condition of
    the partial index of `category` (matching.models.coverage_index_condition) word for word.
    """
    h, q = helper, REQUEST_CONSTANTS
    if near_share is None:
        spatial = planar_covers_sql(helper=h)
    else:
        # Only the helpers whose box of near_share × radius around home holds the point, through
        # that box's index (matching.models.near_box_expression); then the same exact test.
        spatial = (
            f"{near_box_sql(helper=h, share=near_share)} && {q}.location_metric"
            f" AND {planar_covers_sql(helper=h, box_test=False)}"
        )
    return (
        f"{h}.active AND {h}.verification_state = {_quote_text(VerificationState.VERIFIED)}"
        f" AND {h}.categories @> ARRAY[{_category_literal(category)}]::varchar(20)[]"
        f" AND {spatial}"
        f" AND {h}.weekly_hours - {h}.committed_weekly_hours + {COMMITTED_HOURS_TOLERANCE!r}"
        f" >= {q}.weekly_load"
        f" AND {h}.user_id IS DISTINCT FROM {q}.requester_id"
    )


def near_box_sql(*, helper: str = "h", share: float) -> str:
    """The box of `share` × radius around the helper's home, as the near index has it."""
    if share not in NEAR_SHARES:
        raise ValueError(f"no index for the share {share!r}")
    return f"ST_Expand({helper}.location_metric, ({helper}.radius_km * {1000.0 * share!r}))"


def near_omitted_score_bound(
    *, share: float, has_start: bool, is_transport: bool, has_helped_before: bool
) -> float:
    """The highest score an eligible pair outside the box of `share` × radius can have.

    Such a helper's home is more than share × radius away in Lambert 2008, so geodesically
    more than share × radius / (1 + e) (PLANAR_DISTANCE_RELATIVE_ERROR): its distance factor
    is below 1 - share / (1 + e). Every other factor is bounded by its highest value for this
    request: language and capacity 1, availability 1 (0.5 without a start time), continuity 1
    only if someone already helped the requester, car 1 for transport (else 0.5).
    """
    highest = {
        "distance": 1.0 - share / (1.0 + PLANAR_DISTANCE_RELATIVE_ERROR),
        "language": 1.0,
        "availability": 1.0 if has_start else NEUTRAL,
        "capacity": 1.0,
        "continuity": 1.0 if has_helped_before else 0.0,
        "car": 1.0 if is_transport else NEUTRAL,
    }
    return sum(WEIGHTS[name] * highest[name] for name in FACTORS) + FLOAT_SLACK


def planar_covers_sql(
    *,
    helper: str = "h",
    point: str = f"{REQUEST_CONSTANTS}.location_metric",
    box_test: bool = True,
) -> str:
    """Whether the helper's coverage_metric covers `point` (EPSG:3812; the request constants').

    Exactly ST_Covers(coverage_metric, point), answered for nearly every row from the planar
    distance to the home (COVERAGE_INNER_SHARE): the polygon, stored out of the row
    (migration 0005), is read only for points near its edge. In the candidates and the batch,
    the bounding-box test (&&) is the index condition of the category's partial SP-GiST index,
    answered by the index alone (PostGIS's 2D box tests are exact, no recheck on the heap).
    """
    h = helper
    distance = f"ST_Distance({h}.location_metric, {point})"
    return (
        (f"{h}.coverage_metric && {point} AND " if box_test else "")
        + f"(CASE WHEN {distance} <= {h}.radius_km * {1000.0 * COVERAGE_INNER_SHARE!r}"
        f" THEN true WHEN {distance} > {h}.radius_km * {1000.0 * COVERAGE_OUTER_SHARE!r}"
        f" THEN false ELSE ST_Covers({h}.coverage_metric, {point}) END)"
    )


def _pair_factor_sql(*, helper: str) -> dict[str, str]:
    """The factors that need only the helper's row and the request constants `q`."""
    h, q = helper, REQUEST_CONSTANTS
    return {
        "language": (
            f"(CASE WHEN {h}.languages && {q}.wanted_languages THEN 1.0::float8 ELSE 0.0 END)"
        ),
        "capacity": (
            f"LEAST(1.0, GREATEST(0.0, ({h}.weekly_hours - {h}.committed_weekly_hours"
            f" - {q}.weekly_load) / {h}.weekly_hours))"
        ),
        "continuity": (
            f"(CASE WHEN {h}.user_id = ANY({q}.helped_by) THEN 1.0::float8 ELSE 0.0 END)"
        ),
        "car": (
            f"(CASE WHEN {q}.category = {_quote_text(Category.TRANSPORT)}"
            f" THEN (CASE WHEN {h}.has_car THEN 1.0::float8 ELSE 0.0 END) ELSE {NEUTRAL!r} END)"
        ),
    }


def _distance_factor_sql(*, distance_m: str, radius_km: str) -> str:
    return f"GREATEST(0.0, 1.0 - {distance_m} / ({radius_km} * 1000.0))"


def _availability_subquery_sql(*, profile_id: str) -> str:
    """Availability of one pair (profile `profile_id`, request constants `q`): one index probe."""
    q = REQUEST_CONSTANTS
    slots = AvailabilitySlot._meta.db_table
    return (
        f"(CASE WHEN {q}.starts_at IS NULL THEN {NEUTRAL!r}::float8 ELSE COALESCE(("
        f'SELECT MAX(CASE WHEN slot.start <= {q}.local_time AND {q}.local_time < slot."end"'
        f" THEN 1.0::float8 ELSE {SAME_WEEKDAY!r} END)"
        f" FROM {slots} slot WHERE slot.profile_id = {profile_id}"
        f" AND slot.weekday = {q}.local_weekday"
        f"), 0.0) END)"
    )


def _account_is_active_sql(user_id: str) -> str:
    # A scalar subquery, never turned into a join: it runs only on the rows that reach it.
    users = HelperProfile._meta.get_field("user").related_model._meta.db_table
    return f"(SELECT account.is_active FROM {users} account WHERE account.id = {user_id})"


def _eligible_rows_sql(*, category: str, near_share: float | None = None) -> str:
    """Eligible helpers of the requests in `q` of `category`, with the in-row factors.

    Columns: request_id, profile_id, helper_id, helper_location, radius_km, languages,
    planar_factor_distance (the distance factor on Lambert 2008 distances) and
    factor_<language, capacity, continuity, car>.
    """
    q = REQUEST_CONSTANTS
    factors = ", ".join(
        f"{expression} AS factor_{name}"
        for name, expression in _pair_factor_sql(helper="h").items()
    )
    planar_distance = f"ST_Distance(h.location_metric, {q}.location_metric)"
    return (
        f"SELECT {q}.request_id, h.id AS profile_id, h.user_id AS helper_id,"
        " h.location AS helper_location, h.radius_km, h.languages,"
        f" {_distance_factor_sql(distance_m=planar_distance, radius_km='h.radius_km')}"
        f" AS planar_factor_distance, {factors}"
        f" FROM {REQUEST_CONSTANTS} JOIN {HelperProfile._meta.db_table} h"
        f" ON {fast_eligibility_sql(category=category, near_share=near_share)}"
        f" WHERE {q}.category = {_category_literal(category)}"
    )


def _partial_score_sql(row: str) -> str:
    """The score without availability, with the planar distance factor."""
    return f"{WEIGHTS['distance']!r}::float8 * {row}.planar_factor_distance" + "".join(
        f" + {WEIGHTS[name]!r}::float8 * {row}.factor_{name}"
        for name in ("language", "capacity", "continuity", "car")
    )


def candidates_sql(
    *, help_request_id: int, category: str, location_metric: bytes, limit: int
) -> tuple[str, list]:
    """The best `limit` eligible helpers of one request with their exact scores, best first.

    `category` and `location_metric` (EWKB, EPSG:3812) are the request's own, known to the
    caller: the category picks the partial index, the point saves a transformation in SQL.

    Columns: request_id, helper_id, display_name, languages, distance_m (geodesic), factor_<name>
    for each factor, score; ordered by score descending, then helper id (as with the reference).

    Exact top-`limit` pruning. The score is the in-row part P (distance, language, capacity,
    continuity, car) plus 0.15 × availability A, which needs a probe of the slots, and the
    distance factor needs the geodesic distance. P is first computed for every eligible helper
    with the planar distance (P', within DISTANCE_BOUND of P). Then:

    1. the 2 × `limit` rows of highest P' get A, and those with an active account a lower
       bound of their score, P' - DISTANCE_BOUND + 0.15 A: with T the `limit`-th largest of
       these, `limit` helpers score at least T;
    2. the rows that could reach T with the highest A possible get their own A, and those that
       still can (P' + DISTANCE_BOUND + 0.15 A >= T) are scored exactly (geodesic distance),
       sorted, and walked down until `limit` of them have an active account.

    A row left out scores below T, so strictly below the `limit`-th best: the result (ties
    included) is the reference's. With fewer than `limit` helpers eligible, all are scored (also
    when fewer than `limit` of the 2 × `limit` best by P' have an active account: rare, exact,
    slower). The probe and the stage of step 2 are materialized in this order, so each reads
    the rows and the threshold it needs once.
    """
    q = REQUEST_CONSTANTS
    eligible = _eligible_rows_sql(category=category)
    highest_availability = f"(CASE WHEN {q}.starts_at IS NULL THEN {NEUTRAL!r} ELSE 1.0 END)"
    availability_weight = f"{WEIGHTS['availability']!r}::float8"
    availability = _availability_subquery_sql(profile_id="e.profile_id")
    exact_factors = {
        "distance": _distance_factor_sql(distance_m="measured.distance_m", radius_km="e.radius_km"),
        "language": "e.factor_language",
        "availability": "e.factor_availability",
        "capacity": "e.factor_capacity",
        "continuity": "e.factor_continuity",
        "car": "e.factor_car",
    }
    factor_columns = ", ".join(f"{exact_factors[name]} AS factor_{name}" for name in FACTORS)
    users = HelperProfile._meta.get_field("user").related_model._meta.db_table
    reaches = f"{DISTANCE_BOUND!r} + {FLOAT_SLACK!r} >= threshold.lowest_score"
    sql = (
        f"WITH {q} AS MATERIALIZED ("
        f"{request_constants_sql(where='r.id = %s', location_metric='ST_GeomFromEWKB(%s)')}),"
        f" eligible AS MATERIALIZED (SELECT rows.*, {_partial_score_sql('rows')} AS partial_score"
        f" FROM ({eligible} OFFSET 0) rows),"
        # 1. The best rows by the in-row part, with their availability: lower bounds. (A
        # bounded sort of twice `limit` rows; the accounts are checked on those only.)
        f" probe AS MATERIALIZED (SELECT e.partial_score - {DISTANCE_BOUND!r}"
        f" + {availability_weight} * {availability} AS lowest_score"
        " FROM (SELECT * FROM eligible ORDER BY partial_score DESC LIMIT %s) e"
        f" CROSS JOIN {q} WHERE {_account_is_active_sql('e.helper_id')}),"
        " threshold AS (SELECT COALESCE((SELECT lowest_score FROM probe"
        " ORDER BY lowest_score DESC LIMIT 1 OFFSET %s), '-Infinity'::float8) AS lowest_score),"
        # 2. The rows that can still reach it: with the best availability possible, then with
        # their own; the account is checked last.
        f" hopeful AS MATERIALIZED (SELECT e.*, {availability} AS factor_availability"
        f" FROM eligible e CROSS JOIN threshold CROSS JOIN {q}"
        f" WHERE e.partial_score + {availability_weight} * {highest_availability} + {reaches}"
        " OFFSET 0),"
        " finalists AS MATERIALIZED (SELECT e.* FROM hopeful e CROSS JOIN threshold"
        f" WHERE e.partial_score + {availability_weight} * e.factor_availability + {reaches})"
        # Scored, sorted, then walked down in order until `limit` rows with an active account
        # are found: the accounts of the rows below are never read.
        " SELECT ranked.*, account.display_name"
        f" FROM (SELECT scored.*, {score_sql()} AS score FROM ("
        " SELECT e.request_id, e.helper_id, e.languages, measured.distance_m,"
        f" {factor_columns}"
        f" FROM finalists e CROSS JOIN {q}"
        f" CROSS JOIN LATERAL (SELECT ST_Distance(e.helper_location, {q}.location)"
        " AS distance_m OFFSET 0) measured"
        " OFFSET 0) scored"
        " ORDER BY score DESC, helper_id OFFSET 0) ranked"
        " CROSS JOIN LATERAL (SELECT account.display_name, account.is_active"
        f" FROM {users} account WHERE account.id = ranked.helper_id) account"
        " WHERE account.is_active"
        " ORDER BY ranked.score DESC, ranked.helper_id LIMIT %s"
    )
    return sql, [location_metric, help_request_id, 2 * limit, limit - 1, limit]


def pairs_sql(*, where: str, near_share: float | None = None) -> str:
    """Every eligible (request, helper) pair of the requests matching `where`, with its score.

    Columns: request_id, helper_id (user id), distance_m (geodesic), factor_<name>, score.
    `where` is SQL over the request alias `r`, with %s placeholders only. One branch per
    category (each uses that category's partial index); availability and continuity are joins
    over all pairs at once rather than a subquery per pair.

    With `near_share` (one of matching.models.NEAR_SHARES), only the pairs whose helper lives
    within that share of their radius (a box of it, near_box_sql) are returned: the best ones,
    found through the near indexes; near_omitted_score_bound() bounds the others.
    """
    q = REQUEST_CONSTANTS
    slots = AvailabilitySlot._meta.db_table
    users = HelperProfile._meta.get_field("user").related_model._meta.db_table
    branches = " UNION ALL ".join(
        f"({_eligible_rows_sql(category=category, near_share=near_share)})"
        for category in Category.values
    )
    exact_factors = {
        "distance": _distance_factor_sql(
            distance_m="measured.distance_m", radius_km="pairs.radius_km"
        ),
        "language": "pairs.factor_language",
        "availability": (
            f"(CASE WHEN {q}.starts_at IS NULL THEN {NEUTRAL!r}::float8"
            " ELSE COALESCE(available.value, 0.0) END)"
        ),
        "capacity": "pairs.factor_capacity",
        "continuity": "pairs.factor_continuity",
        "car": "pairs.factor_car",
    }
    factor_columns = ", ".join(f"{exact_factors[name]} AS factor_{name}" for name in FACTORS)
    return (
        f"WITH {q} AS MATERIALIZED ({request_constants_sql(where=where)}),"
        f" pairs AS MATERIALIZED ({branches}),"
        # The best slot of each pair on the request's weekday, for all pairs in one join.
        " available AS (SELECT pairs.request_id, pairs.profile_id,"
        f' MAX(CASE WHEN slot.start <= {q}.local_time AND {q}.local_time < slot."end"'
        f" THEN 1.0::float8 ELSE {SAME_WEEKDAY!r} END) AS value"
        f" FROM pairs JOIN {q} ON {q}.request_id = pairs.request_id"
        f" JOIN {slots} slot ON slot.profile_id = pairs.profile_id"
        f" AND slot.weekday = {q}.local_weekday"
        " GROUP BY pairs.request_id, pairs.profile_id)"
        f" SELECT scored.*, {score_sql()} AS score FROM ("
        f" SELECT pairs.request_id, pairs.helper_id, measured.distance_m, {factor_columns}"
        f" FROM pairs JOIN {q} ON {q}.request_id = pairs.request_id"
        f" JOIN {users} account ON account.id = pairs.helper_id AND account.is_active"
        " LEFT JOIN available ON available.request_id = pairs.request_id"
        " AND available.profile_id = pairs.profile_id"
        f" CROSS JOIN LATERAL (SELECT ST_Distance(pairs.helper_location, {q}.location)"
        " AS distance_m OFFSET 0) measured"
        " OFFSET 0) scored"
    )
