"""Place-related test data. Municipalities and postcodes come from `load_places`, not factories;
most test data sits around Namur (5000)."""

import factory
from django.contrib.gis.geos import Point
from factory.django import DjangoModelFactory
from geopy.distance import geodesic

from geo.models import GeocodedAddress
from geo.services import normalise_address

NAMUR = Point(4.8675, 50.4669, srid=4326)


def point_at(origin: Point, *, km: float, bearing: float = 90.0) -> Point:
    """The point `km` kilometres from `origin` (geodesic), towards `bearing` degrees."""
    moved = geodesic(kilometers=km).destination((origin.y, origin.x), bearing)
    return Point(moved.longitude, moved.latitude, srid=4326)


class GeocodedAddressFactory(DjangoModelFactory):
    class Meta:
        model = GeocodedAddress

    class Params:
        address = factory.Sequence(lambda number: f"Rue de Test {number}, 1000 Bruxelles")
        not_found = factory.Trait(location=None)

    query = factory.LazyAttribute(lambda entry: normalise_address(entry.address))
    location = factory.LazyFunction(lambda: Point(4.3572, 50.8434, srid=4326))
    postcode = "1000"
    provider = "nominatim"
