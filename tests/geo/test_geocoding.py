"""Turning postcodes and addresses into places: the offline gazetteer first, then Nominatim.

Nominatim is outside the machine, so geopy's Nominatim class is replaced by a double; geopy's
RateLimiter and everything of ours runs for real.
"""

import time
from unittest import mock

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim
from geopy.location import Location

from geo.models import GeocodedAddress, Postcode
from geo.services import geocode_address, geocode_postcode, geocoder_reset
from tests.geo.factories import GeocodedAddressFactory

pytestmark = pytest.mark.usefixtures("places")

LOI_16 = "Rue de la Loi 16, 1000 Bruxelles"
LOI_16_LATITUDE, LOI_16_LONGITUDE = 50.8463, 4.3668


def _location(latitude: float, longitude: float, postcode: str | None = None) -> Location:
    raw = {"lat": str(latitude), "lon": str(longitude), "address": {}}
    if postcode:
        raw["address"]["postcode"] = postcode
    return Location("somewhere", (latitude, longitude), raw)


@pytest.fixture
def nominatim(settings, monkeypatch):
    """Nominatim configured, with geopy's class replaced by a double; yields the instance."""
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "nominatim.example.org"
    settings.GEOCODER_USER_AGENT = "tandem-tests"
    settings.GEOCODER_TIMEOUT_SECONDS = 3
    settings.GEOCODER_MIN_DELAY_SECONDS = 0
    instance = mock.create_autospec(Nominatim, instance=True)
    instance.geocode.return_value = _location(LOI_16_LATITUDE, LOI_16_LONGITUDE, "1000")
    constructor = mock.Mock(return_value=instance)
    monkeypatch.setattr("geo.services.Nominatim", constructor)
    instance.constructor = constructor
    geocoder_reset()
    yield instance
    geocoder_reset()


# --- Postcodes, offline --------------------------------------------------------------------


def test_a_postcode_gives_its_point_and_municipality():
    place = geocode_postcode(postcode="1000")

    assert place.precision == "postcode"
    assert (place.postcode, place.municipality_refnis) == ("1000", "21004")
    assert place.point == Postcode.objects.get(code="1000").location
    assert place.point.srid == 4326


def test_a_postcode_with_spaces_around_it_is_found():
    assert geocode_postcode(postcode=" 9000 ").municipality_refnis == "44021"


@pytest.mark.parametrize("postcode", ["0000", "9999", "abcd", "10000", "", "B-1000"])
def test_an_unknown_or_malformed_postcode_gives_nothing(postcode):
    assert geocode_postcode(postcode=postcode) is None


# --- Addresses, offline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "postcode"),
    [
        ("1000", "1000"),
        ("Rue de la Loi 16, 1000 Bruxelles", "1000"),
        ("Chaussée de Waterloo 1234, 1180 Uccle", "1180"),  # a four-digit house number
        ("Veldstraat 1, B-9000 Gent", "9000"),
        ("  4700   Eupen ", "4700"),
    ],
)
def test_an_address_with_a_postcode_resolves_to_the_postcode_offline(address, postcode):
    place = geocode_address(address=address)

    assert (place.postcode, place.precision) == (postcode, "postcode")


@pytest.mark.parametrize("address", ["", "   ", "Rue de la Loi 16, Bruxelles", "9999 Nulle part"])
def test_without_a_known_postcode_and_no_geocoder_there_is_no_answer(address):
    assert geocode_address(address=address) is None


def test_without_a_configured_geocoder_nothing_leaves_the_machine(settings, monkeypatch):
    settings.GEOCODER = ""
    constructor = mock.Mock()
    monkeypatch.setattr("geo.services.Nominatim", constructor)

    geocode_address(address=LOI_16)

    constructor.assert_not_called()
    assert not GeocodedAddress.objects.exists()


# --- Addresses, through Nominatim ------------------------------------------------------------


def test_nominatim_places_the_address_itself(nominatim):
    place = geocode_address(address=LOI_16)

    assert place.precision == "address"
    assert (place.point.y, place.point.x) == (LOI_16_LATITUDE, LOI_16_LONGITUDE)
    assert (place.postcode, place.municipality_refnis) == ("1000", "21004")


def test_nominatim_is_asked_within_belgium_with_the_configured_settings(nominatim):
    geocode_address(address=LOI_16)

    nominatim.constructor.assert_called_once_with(
        domain="nominatim.example.org", user_agent="tandem-tests", timeout=3
    )
    nominatim.geocode.assert_called_once_with(
        LOI_16, exactly_one=True, country_codes="be", addressdetails=True
    )


def test_the_same_address_is_never_asked_twice(nominatim):
    first = geocode_address(address=LOI_16)
    second = geocode_address(address="  rue de la LOI 16 ,1000   Bruxelles")

    assert nominatim.geocode.call_count == 1
    assert second == first
    assert GeocodedAddress.objects.count() == 1


def test_a_cached_answer_is_used_without_asking(nominatim):
    GeocodedAddressFactory(address="Place Sainte-Gudule 1, 1000 Bruxelles")

    place = geocode_address(address="Place Sainte-Gudule 1, 1000 Bruxelles")

    nominatim.geocode.assert_not_called()
    assert (place.precision, place.postcode) == ("address", "1000")


def test_not_found_falls_back_to_the_postcode_and_is_remembered(nominatim):
    nominatim.geocode.return_value = None

    first = geocode_address(address="Rue Imaginaire 1, 5000 Namur")
    second = geocode_address(address="Rue Imaginaire 1, 5000 Namur")

    assert first == second
    assert (first.precision, first.postcode) == ("postcode", "5000")
    assert nominatim.geocode.call_count == 1
    assert GeocodedAddress.objects.get().location is None


def test_a_remembered_miss_without_a_postcode_gives_nothing(nominatim):
    GeocodedAddressFactory(address="Nulle part", not_found=True)

    assert geocode_address(address="Nulle part") is None
    nominatim.geocode.assert_not_called()


@pytest.mark.parametrize(
    "failure",
    [
        GeocoderTimedOut("timed out"),
        GeocoderUnavailable("down"),
        GeocoderServiceError("HTTP 429"),
        ValueError("an answer geopy could not read"),
    ],
)
def test_a_failing_geocoder_falls_back_to_the_postcode_and_is_asked_again_later(nominatim, failure):
    nominatim.geocode.side_effect = failure

    place = geocode_address(address=LOI_16)
    geocode_address(address=LOI_16)

    assert (place.precision, place.postcode) == ("postcode", "1000")
    assert nominatim.geocode.call_count == 2
    assert not GeocodedAddress.objects.exists()


def test_a_failing_geocoder_without_a_postcode_gives_nothing_and_does_not_raise(nominatim):
    nominatim.geocode.side_effect = GeocoderTimedOut("timed out")

    assert geocode_address(address="Rue de la Loi 16, Bruxelles") is None


def test_an_answer_outside_the_valid_range_is_a_failure_not_a_place(nominatim):
    # geopy's own Location refuses such a latitude, so the answer is a plain double here.
    nominatim.geocode.return_value = mock.Mock(latitude=123.0, longitude=4.35, raw={})

    place = geocode_address(address=LOI_16)

    assert place.precision == "postcode"
    assert not GeocodedAddress.objects.exists()


def test_the_postcode_nominatim_gives_wins_over_none(nominatim):
    nominatim.geocode.return_value = _location(51.0543, 3.7174, "9000")

    place = geocode_address(address="Korenmarkt 1, Gent")

    assert (place.postcode, place.municipality_refnis) == ("9000", "44021")


def test_an_unknown_postcode_from_nominatim_is_ignored(nominatim):
    nominatim.geocode.return_value = _location(51.0543, 3.7174, "0000")

    place = geocode_address(address="Korenmarkt 1, Gent")

    assert place.precision == "address"
    assert (place.postcode, place.municipality_refnis) == (None, None)


def test_a_postcode_alone_never_goes_to_nominatim(nominatim):
    assert geocode_address(address="1000").precision == "postcode"
    nominatim.geocode.assert_not_called()


def test_requests_to_nominatim_are_spaced_by_the_minimum_delay(nominatim, settings):
    settings.GEOCODER_MIN_DELAY_SECONDS = 1
    asked_at = []
    nominatim.geocode.side_effect = lambda *args, **kwargs: asked_at.append(time.monotonic())

    geocode_address(address="Rue Haute 1, 1000 Bruxelles")
    geocode_address(address="Rue Haute 2, 1000 Bruxelles")

    assert len(asked_at) == 2
    assert asked_at[1] - asked_at[0] >= 0.95
