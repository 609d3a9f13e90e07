"""What a new database connection runs once so that the first real request is not slower.

A fresh PostgreSQL backend starts with empty per-session caches: the first spatial query loads
PostGIS (about 8 ms), the first transformation of coordinates PROJ's tables (about 11 ms), and
the first plan over a table reads its catalogue entries, statistics and the definitions of its
indexes (for the helpers: nine partial indexes, one per category). Measured over HTTP on the
benchmark database, a candidates request on a cold connection took 60–200 ms where a warm one
takes about 20 (docs/MATCHING.md, "Connections").

`warm_up_statements()` are the hot queries themselves, candidates for each category and nearby,
about a place in Brussels and for ids that do not exist: they are planned and executed in full
(so every cache they need is loaded) but find nothing and change nothing. They are run by the
connection pool on every connection it opens (config.database.WarmConnection), before the
connection is handed to a request.
"""

from django.contrib.gis.geos import Point

from matching.models import coverage_polygon, metric_coverage_polygon, metric_point
from matching.vocabulary import Category
from ranking import scoring
from ranking.selectors import (
    _NEARBY_SEARCH_SQL,
    DEFAULT_CANDIDATES_LIMIT,
    NEARBY_LIMIT,
    NearbySearch,
    nearby_sql,
)
from requests_app.models import HelpRequest

# Any place in Belgium does: the queries only need a point for their plans (the Grand-Place).
_PLACE = Point(4.3525, 50.8467, srid=4326)
_RADIUS_KM = 1.0
# No row has this id (ids start at 1): the queries find nothing.
_NO_ID = 0


def warm_up_statements() -> list[tuple[str, list]]:
    """(SQL, parameters) of the hot queries, for ids that match nothing (module docstring)."""
    place_metric = bytes(metric_point(_PLACE).ewkb)
    statements: list[tuple[str, list]] = [
        # PROJ's tables, and the geodesic code of geography distances.
        (
            "SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s),"
            " ST_Distance(ST_MakePoint(%s, %s)::geography, ST_MakePoint(%s, %s)::geography)",
            [_PLACE.x, _PLACE.y, scoring.METRIC_SRID, _PLACE.x, _PLACE.y, 4.4, 50.9],
        ),
        # The request as the candidates view reads it (ranking.selectors).
        (
            "SELECT r.id, r.status, r.requester_id, r.category, r.location"
            f" FROM {HelpRequest._meta.db_table} r WHERE r.id = %s",
            [_NO_ID],
        ),
    ]
    for category in Category.values:
        statements.append(
            scoring.candidates_sql(
                help_request_id=_NO_ID,
                category=category,
                location_metric=place_metric,
                limit=DEFAULT_CANDIDATES_LIMIT,
            )
        )
    search = NearbySearch(
        can_be_matched=True,
        location=bytes(_PLACE.ewkb),
        location_metric=place_metric,
        coverage=bytes(coverage_polygon(home=_PLACE, radius_km=_RADIUS_KM).ewkb),
        coverage_metric=bytes(metric_coverage_polygon(home=_PLACE, radius_km=_RADIUS_KM).ewkb),
        radius_km=_RADIUS_KM,
        categories=list(Category.values),
        spare_weekly_hours=0.0,
    )
    statements.append((_NEARBY_SEARCH_SQL, ["verified", _NO_ID]))
    statements.append(nearby_sql(search=search, helper_user_id=_NO_ID, limit=NEARBY_LIMIT))
    return statements
