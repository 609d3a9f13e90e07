"""Places: loading the place data, turning postcodes and addresses into points, checking points.

Geocoding is offline first: a Belgian postcode (on its own or inside an address) resolves from
the gazetteer loaded by `load_places`. Only when settings.GEOCODER is "nominatim" does a street
address go to geopy's Nominatim, rate-limited, and every answer (found or not) is kept in
GeocodedAddress so the same address is never asked twice. The external geocoder is an
improvement, never a dependency: its failures fall back to the postcode's point.
"""

import functools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from core.api_errors import DomainError
from geo import sources
from geo.models import CountryBoundary, GeocodedAddress, Municipality, Postcode

logger = logging.getLogger(__name__)

Precision = Literal["postcode", "address"]

POSTCODE_PATTERN = re.compile(r"[0-9]{4}")
# A postcode inside an address: four digits standing alone ("1000 Bruxelles", "B-1000").
_POSTCODE_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
# Longer texts are not addresses; they are not sent anywhere.
MAX_ADDRESS_LENGTH = 500
NOMINATIM_PROVIDER = "nominatim"


class PlacesNotLoaded(RuntimeError):
    """The place data is missing: run `python manage.py load_places`."""


@dataclass(frozen=True)
class Place:
    """A point and what is known about it.

    `precision` is "postcode" when the point is the postcode's representative point, "address"
    when an external geocoder placed the address itself.
    """

    point: Point
    postcode: str | None
    municipality_refnis: str | None
    precision: Precision


# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacesLoadResult:
    municipalities: int
    postcodes: int
    postcode_links: int
    boundary_polygons: int
    created: int
    removed: int


def _point(latitude: float, longitude: float) -> Point:
    return Point(longitude, latitude, srid=4326)


@transaction.atomic
def places_load() -> PlacesLoadResult:
    """Write the packaged municipalities, postcodes and outline of Belgium to the database.

    Idempotent: rows are upserted, links and rows that left the data are removed, so running
    it again changes nothing. One transaction, so readers never see half a load.
    """
    data = sources.place_data()
    municipality_codes = {record.refnis for record in data.municipalities}
    postcode_codes = {record.code for record in data.postcodes}
    existing_municipalities = set(Municipality.objects.values_list("refnis", flat=True))
    existing_postcodes = set(Postcode.objects.values_list("code", flat=True))

    Municipality.objects.bulk_create(
        [
            Municipality(
                refnis=record.refnis,
                name_fr=record.name_fr,
                name_nl=record.name_nl,
                name_de=record.name_de,
                region=record.region,
                location=_point(record.latitude, record.longitude),
            )
            for record in data.municipalities
        ],
        update_conflicts=True,
        unique_fields=["refnis"],
        update_fields=["name_fr", "name_nl", "name_de", "region", "location"],
    )
    Postcode.objects.bulk_create(
        [
            Postcode(
                code=record.code,
                municipality_id=record.municipality_refnis,
                locality_name=record.locality_name,
                location=_point(record.latitude, record.longitude),
                location_source=record.location_source,
                location_note=record.location_note,
            )
            for record in data.postcodes
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "municipality",
            "locality_name",
            "location",
            "location_source",
            "location_note",
        ],
    )

    link_model = Postcode.municipalities.through
    wanted_links = {
        (record.code, refnis)
        for record in data.postcodes
        for refnis in record.all_municipality_refnis
    }
    existing_links = {
        (postcode_id, municipality_id): link_id
        for link_id, postcode_id, municipality_id in link_model.objects.values_list(
            "id", "postcode_id", "municipality_id"
        )
    }
    link_model.objects.filter(
        id__in=[link_id for key, link_id in existing_links.items() if key not in wanted_links]
    ).delete()
    link_model.objects.bulk_create(
        [
            link_model(postcode_id=code, municipality_id=refnis)
            for code, refnis in sorted(wanted_links - existing_links.keys())
        ]
    )

    # Postcodes first: they protect the municipalities they point to.
    removed_postcodes, _details = Postcode.objects.exclude(code__in=postcode_codes).delete()
    removed_municipalities, _details = Municipality.objects.exclude(
        refnis__in=municipality_codes
    ).delete()

    area = sources.belgium_area()
    CountryBoundary.objects.update_or_create(
        country_code="BE", defaults={"area": area, "source": sources.BELGIUM_BOUNDARY_SOURCE}
    )

    return PlacesLoadResult(
        municipalities=len(municipality_codes),
        postcodes=len(postcode_codes),
        postcode_links=len(wanted_links),
        boundary_polygons=len(area),
        created=len(municipality_codes - existing_municipalities)
        + len(postcode_codes - existing_postcodes),
        removed=removed_postcodes + removed_municipalities,
    )


# --- Points ----------------------------------------------------------------------------------


def point_from_lat_lon(latitude: float | int | str, longitude: float | int | str) -> Point:
    """A WGS 84 point from a latitude and a longitude in decimal degrees.

    Raises ValueError for anything that is not a finite number in range (booleans included,
    though Python counts them as numbers).
    """
    values = []
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if isinstance(value, bool):
            raise ValueError(f"{name} must be a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number") from None
        if not math.isfinite(number) or not -limit <= number <= limit:
            raise ValueError(f"{name} must lie between -{limit} and {limit}")
        values.append(number)
    return Point(values[1], values[0], srid=4326)


def point_in_belgium(point: Point) -> bool:
    """Whether a point lies in Belgium (its border included), by the NGI's outline.

    Raises PlacesNotLoaded when the outline is not in the database, rather than calling every
    place foreign.
    """
    if point.srid not in (None, 4326):
        point = point.transform(4326, clone=True)
    point = Point(point.x, point.y, srid=4326)
    if CountryBoundary.objects.filter(country_code="BE", area__covers=point).exists():
        return True
    if not CountryBoundary.objects.filter(country_code="BE").exists():
        raise PlacesNotLoaded("No outline of Belgium: run `python manage.py load_places`.")
    return False


def point_require_in_belgium(*, point: Point) -> None:
    """Raises DomainError("outside_belgium", 400) for a point outside Belgium."""
    if not point_in_belgium(point):
        raise DomainError("outside_belgium", _("This place is not in Belgium."))


# --- Geocoding -------------------------------------------------------------------------------


def geocode_postcode(*, postcode: str) -> Place | None:
    """The point of a current Belgian postcode, from the offline gazetteer; None if unknown."""
    code = postcode.strip()
    if not POSTCODE_PATTERN.fullmatch(code):
        return None
    found = Postcode.objects.filter(code=code).values_list("location", "municipality_id").first()
    if found is None:
        return None
    location, municipality_refnis = found
    return Place(
        point=location,
        postcode=code,
        municipality_refnis=municipality_refnis,
        precision="postcode",
    )


def _postcode_in_text(text: str) -> Place | None:
    # Belgian addresses put the postcode after the house number ("Rue X 1234, 1000 Bruxelles"),
    # so the last known four-digit group is the postcode.
    for candidate in reversed(_POSTCODE_IN_TEXT.findall(text)):
        place = geocode_postcode(postcode=candidate)
        if place is not None:
            return place
    return None


def normalise_address(text: str) -> str:
    """The cache key of an address: Unicode-normalised, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s*,\s*", ", ", text)
    return " ".join(text.split()).strip(" ,")


@functools.cache
def _rate_limited_geocoder(
    domain: str, user_agent: str, timeout: int, min_delay: float
) -> RateLimiter:
    # One per process and configuration, so that the minimum delay holds between requests.
    # Retries are left to the next request (max_retries=0), and errors are raised to us rather
    # than swallowed: a swallowed error would look like "not found" and be cached as such.
    geocoder = Nominatim(domain=domain, user_agent=user_agent, timeout=timeout)
    return RateLimiter(
        geocoder.geocode,
        min_delay_seconds=min_delay,
        max_retries=0,
        swallow_exceptions=False,
    )


def geocoder_reset() -> None:
    """Forget the external geocoder built for the current settings (tests, settings changes)."""
    _rate_limited_geocoder.cache_clear()


def _known_postcode(value: object) -> str:
    match = _POSTCODE_IN_TEXT.search(str(value or ""))
    if match and Postcode.objects.filter(code=match.group()).exists():
        return match.group()
    return ""


def _place_from_cache(entry: GeocodedAddress, fallback: Place | None) -> Place | None:
    if entry.location is None:
        return fallback
    postcode = entry.postcode or (fallback.postcode if fallback else "")
    postcode_place = geocode_postcode(postcode=postcode) if postcode else None
    return Place(
        point=entry.location,
        postcode=postcode or None,
        municipality_refnis=postcode_place.municipality_refnis if postcode_place else None,
        precision="address",
    )


def _ask_nominatim(text: str) -> GeocodedAddress | None:
    """Nominatim's answer for an address, stored; None when the geocoder failed (not stored)."""
    geocode = _rate_limited_geocoder(
        settings.GEOCODER_DOMAIN,
        settings.GEOCODER_USER_AGENT,
        settings.GEOCODER_TIMEOUT_SECONDS,
        settings.GEOCODER_MIN_DELAY_SECONDS,
    )
    try:
        found = geocode(text, exactly_one=True, country_codes="be", addressdetails=True)
        location = None
        postcode = ""
        if found is not None:
            location = point_from_lat_lon(found.latitude, found.longitude)
            raw_address = (found.raw or {}).get("address") or {}
            postcode = _known_postcode(raw_address.get("postcode"))
    except Exception as error:
        # Whatever went wrong out there (timeout, refusal, odd answer), the caller still gets
        # the postcode's point. The address itself is personal data: it is not logged.
        logger.warning(
            "geocoder_failed provider=%s error=%s", NOMINATIM_PROVIDER, type(error).__name__
        )
        return None
    entry, _created = GeocodedAddress.objects.get_or_create(
        query=normalise_address(text),
        defaults={"location": location, "postcode": postcode, "provider": NOMINATIM_PROVIDER},
    )
    return entry


def geocode_address(*, address: str) -> Place | None:
    """The best point for a free-text Belgian address, or None when nothing is known.

    A text that is a postcode, or contains one, first resolves offline to the postcode's point.
    When settings.GEOCODER is "nominatim", the address then goes to Nominatim (once ever: the
    answer, found or not, is cached) and a hit gives a point of precision "address". Never
    raises for the geocoder's failures: they give the postcode-level answer, or None.
    """
    text = " ".join(address.split())
    if not text:
        return None
    postcode_place = _postcode_in_text(text)
    if POSTCODE_PATTERN.fullmatch(text) or settings.GEOCODER != NOMINATIM_PROVIDER:
        return postcode_place
    if len(text) > MAX_ADDRESS_LENGTH:
        return postcode_place

    entry = GeocodedAddress.objects.filter(query=normalise_address(text)).first()
    if entry is None:
        entry = _ask_nominatim(text)
    if entry is None:
        return postcode_place
    return _place_from_cache(entry, postcode_place)
