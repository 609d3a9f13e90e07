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
"""

from dataclasses import dataclass

from matching.models import COMMITTED_HOURS_TOLERANCE, AvailabilitySlot, HelperProfile
from requests_app.models import WEEKLY_LOAD_FACTOR, Category, HelpRequest, RequestStatus

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
        f"WHEN {_quote_text(recurrence)} THEN {factor!r}"
        for recurrence, factor in WEEKLY_LOAD_FACTOR.items()
    )
    return f"({request}.duration_minutes / 60.0 * (CASE {request}.recurrence {branches} END))"


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
        "language": f"(CASE WHEN {h}.languages && {wanted_languages} THEN 1.0 ELSE 0.0 END)",
        "availability": (
            f"(CASE WHEN {r}.starts_at IS NULL THEN {NEUTRAL!r} ELSE COALESCE(("
            f'SELECT MAX(CASE WHEN slot.start <= {local_time} AND {local_time} < slot."end"'
            f" THEN 1.0 ELSE {SAME_WEEKDAY!r} END)"
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
            f" AND earlier.status IN ({continuity_statuses})) THEN 1.0 ELSE 0.0 END)"
        ),
        "car": (
            f"(CASE WHEN {r}.category = {_quote_text(Category.TRANSPORT)}"
            f" THEN (CASE WHEN {h}.has_car THEN 1.0 ELSE 0.0 END) ELSE {NEUTRAL!r} END)"
        ),
    }


def score_sql() -> str:
    """The weighted sum of the columns factor_<name> of an inner query."""
    return " + ".join(f"{weight!r} * factor_{name}" for name, weight in WEIGHTS.items())


def scored_pairs_sql(*, where: str, order_and_limit: str = "", extra_columns: str = "") -> str:
    """One query over every eligible (request, helper) pair matching `where`, with its score.

    Columns: request_id, helper_id (user id), distance_m (geodesic, metres), factor_<name> for
    each factor, `extra_columns` (SQL over the aliases of Aliases()), and score. The spatial
    join ST_Covers(coverage, location) is answered by the GiST index on the helpers' coverage.
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
        f" JOIN {HelperProfile._meta.db_table} {h} ON ST_Covers({h}.coverage, {r}.location)"
        f" JOIN {user_table} {hu} ON {hu}.id = {h}.user_id"
        f" LEFT JOIN {user_table} {ru} ON {ru}.id = {r}.requester_id"
        f" CROSS JOIN LATERAL (SELECT {distance_metres_sql(aliases)} AS distance_m OFFSET 0)"
        f" measured"
        f" WHERE {eligibility_sql(aliases)} AND ({where})"
        f" OFFSET 0) pairs {order_and_limit}"
    )
