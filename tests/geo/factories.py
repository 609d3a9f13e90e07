"""Place-related test data. Municipalities and postcodes come from `load_places`, not factories."""

import factory
from django.contrib.gis.geos import Point
from factory.django import DjangoModelFactory

from geo.models import GeocodedAddress
from geo.services import normalise_address


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
