"""Reads about places. Writes (loading, geocoder cache) live in geo.services."""

from collections.abc import Iterable, Sequence

from django.contrib.gis.db.models import MultiPolygonField
from django.contrib.gis.db.models.functions import GeometryDistance
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection
from django.db.models import Func, Value
from django.utils.translation import get_language

from core.fast_rows import Rows, fetch_rows
from geo.models import CountryBoundary, Municipality, Postcode, Region
from geo.services import POSTCODE_PATTERN


def postcode_get(*, code: str) -> Postcode | None:
    """A current Belgian postcode with its primary municipality, or None (also for malformed
    input: anything but four digits)."""
    if not isinstance(code, str) or not POSTCODE_PATTERN.fullmatch(code):
        return None
    return Postcode.objects.select_related("municipality").filter(code=code).first()


# The columns PostcodeSerializer reads, each named after its field, in one indexed query: the
# point's coordinates come from PostGIS as numbers (ST_Y/ST_X give the stored doubles exactly),
# so no GEOS objects are built for the API's most frequent place lookup.
_POSTCODE_DETAIL_SQL = """
SELECT postcode.code AS "postcode", municipality.refnis AS "municipality.refnis",
       municipality.name_fr AS "municipality.name.fr",
       municipality.name_nl AS "municipality.name.nl",
       municipality.name_de AS "municipality.name.de",
       municipality.region AS "municipality.region",
       ST_Y(postcode.location::geometry) AS "location.lat",
       ST_X(postcode.location::geometry) AS "location.lon"
FROM {postcode} postcode
JOIN {municipality} municipality ON municipality.refnis = postcode.municipality_id
WHERE postcode.code = %s
"""


def postcode_detail_rows(*, code: str) -> Rows:
    """A current Belgian postcode as rows (one, or none when postcode_get gives None) for
    geo.serializers.PostcodeSerializer (core.fast_rows).

    `GET /api/geo/postcodes/<code>/` is among the most frequent requests (SESSION4): one raw
    query and no model instances cost a fraction of the model instances, GEOS points and
    serializer behind PostcodeSerializer(postcode_get(...)): 1.6 -> 0.5 ms of CPU a request
    in-process. Not cached in the process: a cache checked against a version in Redis would save
    about 0.15 ms more, not worth invalidating on every write to the places (see carers.selectors
    for the same choice).
    """
    if not isinstance(code, str) or not POSTCODE_PATTERN.fullmatch(code):
        return Rows((), [])
    sql = _POSTCODE_DETAIL_SQL.format(
        postcode=Postcode._meta.db_table, municipality=Municipality._meta.db_table
    )
    return fetch_rows(sql, [code])


def postcode_is_known(*, code: str) -> bool:
    """Whether `code` is a current Belgian postcode."""
    return (
        isinstance(code, str)
        and bool(POSTCODE_PATTERN.fullmatch(code))
        and (Postcode.objects.filter(code=code).exists())
    )


# --- Map points -------------------------------------------------------------------------------
# What the web pages put on a map (geo/maps.py). Only reference data lives here: the outline
# of Belgium and the points of postcodes, which are public and never anybody's home.

# Douglas-Peucker tolerances of the outlines drawn on maps, in degrees: 0.01 (about 1.1 km
# north-south, 0.7 km east-west) for a map of the country or part of it, 0.04 for the thumbnail
# of Belgium in a corner of a local map. Both shrink the 92,000 points of the surveyed outline to
# a few hundred at most.
OUTLINE_TOLERANCE_DEGREES = 0.01
THUMBNAIL_TOLERANCE_DEGREES = 0.04
# Parts and holes of the outline smaller than this (square degrees, about 0.8 km²) are left off
# a map: the Baarle-Hertog enclaves and slivers along rivers, a dot at best at that size.
OUTLINE_MIN_PART_AREA = 0.0001

_outline_cache: dict[tuple[str, float], MultiPolygon] = {}


def country_outline(
    *, country_code: str = "BE", tolerance: float = OUTLINE_TOLERANCE_DEGREES
) -> MultiPolygon | None:
    """The country's outline simplified for drawing (ST_SimplifyPreserveTopology with
    `tolerance` in degrees), tiny parts and holes left off; None when the places are not loaded.

    Cached in the process: simplifying 92,000 points takes tens of milliseconds, and the outline
    only changes when `load_places` runs again (country_outline_cache_clear()).
    """
    key = (country_code, tolerance)
    cached = _outline_cache.get(key)
    if cached is not None:
        return cached
    simplified = (
        CountryBoundary.objects.filter(country_code=country_code)
        .annotate(
            simple=Func(
                "area",
                Value(tolerance),
                function="ST_SimplifyPreserveTopology",
                output_field=MultiPolygonField(srid=4326),
            )
        )
        .values_list("simple", flat=True)
        .first()
    )
    if simplified is None:
        return None
    if isinstance(simplified, Polygon):
        simplified = MultiPolygon(simplified, srid=4326)
    kept = []
    for part in simplified:
        if part.area < OUTLINE_MIN_PART_AREA:
            continue
        holes = [
            ring for ring in list(part)[1:] if Polygon(ring.coords).area >= OUTLINE_MIN_PART_AREA
        ]
        kept.append(Polygon(part.exterior_ring.coords, *[ring.coords for ring in holes]))
    outline = MultiPolygon(*kept, srid=4326)
    _outline_cache[key] = outline
    return outline


def country_outline_cache_clear() -> None:
    """Forget the cached outlines (after the boundary was loaded again)."""
    _outline_cache.clear()


def postcodes_get(*, codes: Iterable[str]) -> dict[str, Postcode]:
    """The known postcodes among `codes`, by code, with their primary municipality."""
    wanted = {code for code in codes if isinstance(code, str) and POSTCODE_PATTERN.fullmatch(code)}
    if not wanted:
        return {}
    found = Postcode.objects.select_related("municipality").filter(code__in=wanted)
    return {postcode.code: postcode for postcode in found}


def postcodes_nearest(*, points: Sequence[Point]) -> list[Postcode | None]:
    """For each point, the postcode whose point is nearest (None without place data), in one
    query: the GiST index on the postcodes' points answers each (KNN, `<->`).

    "Near 5100 Jambes" on a map's text alternative: a public place name for a point that may
    itself only be shown approximately.
    """
    if not points:
        return []
    sql = (
        "SELECT given.position, nearest.code"
        " FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS given(lon, lat, position)"
        f" CROSS JOIN LATERAL (SELECT code FROM {Postcode._meta.db_table} ORDER BY location <->"
        " ST_SetSRID(ST_MakePoint(given.lon, given.lat), 4326)::geography LIMIT 1) nearest"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [[point.x for point in points], [point.y for point in points]])
        codes = {position: code for position, code in cursor.fetchall()}
    by_code = postcodes_get(codes=codes.values())
    return [by_code.get(codes.get(position, "")) for position in range(1, len(points) + 1)]


def municipalities_within(
    *, west: float, south: float, east: float, north: float, limit: int
) -> list[Municipality]:
    """Municipalities whose point lies in the box (WGS 84 degrees), nearest its centre first:
    the place names a map draws for orientation."""
    centre = Point((west + east) / 2, (south + north) / 2, srid=4326)
    box = Polygon.from_bbox((west, south, east, north))
    box.srid = 4326
    return list(
        Municipality.objects.filter(location__coveredby=box).order_by(
            GeometryDistance("location", centre)
        )[:limit]
    )


def municipality_name_in(*, municipality: Municipality, language: str) -> str:
    """The municipality's name as a page in `language` writes it.

    French and Dutch pages use the name in their language; German and English pages use the
    German name where there is one, else the name used on the spot (Dutch in Flanders, French in
    Wallonia, both in Brussels). place_name below uses it for postcodes.
    """
    language = (language or "fr")[:2]
    if language == "fr":
        return municipality.name_fr
    if language == "nl":
        return municipality.name_nl
    if language == "de" and municipality.name_de:
        return municipality.name_de
    if municipality.region == Region.FLANDERS:
        return municipality.name_nl
    if municipality.region == Region.BRUSSELS and municipality.name_nl != municipality.name_fr:
        return f"{municipality.name_fr} / {municipality.name_nl}"
    return municipality.name_fr


def place_name(postcode: str) -> str:
    """The municipality of `postcode` in the page's language, or "" if unknown.

    Flemish and Walloon places keep their own name in German and English pages; Brussels ones
    show both official names.
    """
    found = postcode_get(code=postcode) if postcode else None
    if found is None:
        return ""
    return municipality_name_in(municipality=found.municipality, language=get_language() or "fr")
