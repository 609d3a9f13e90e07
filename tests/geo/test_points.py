"""Points: building them from numbers, and telling whether they lie in Belgium."""

import math

import pytest
from django.contrib.gis.geos import Point

from core.api_errors import DomainError
from geo.models import CountryBoundary
from geo.services import (
    PlacesNotLoaded,
    point_from_lat_lon,
    point_in_belgium,
    point_require_in_belgium,
)

pytestmark = pytest.mark.usefixtures("places")

# Town centres (GeoNames), each well clear of the border.
INSIDE = {
    "Brussels": (50.85045, 4.34878),
    "Eupen": (50.6279, 6.03647),
    "Arlon": (49.68333, 5.81667),
    "Knokke-Heist": (51.35, 3.26667),
}
OUTSIDE = {
    "Lille": (50.63297, 3.05858),
    "Maastricht": (50.84833, 5.68889),
    "Aachen": (50.77664, 6.08342),
    "Luxembourg": (49.61167, 6.13),
    "Paris": (48.85341, 2.3488),
}


@pytest.mark.parametrize("name", INSIDE)
def test_a_belgian_town_is_in_belgium(name):
    assert point_in_belgium(point_from_lat_lon(*INSIDE[name])) is True


@pytest.mark.parametrize("name", OUTSIDE)
def test_a_town_across_the_border_is_not(name):
    assert point_in_belgium(point_from_lat_lon(*OUTSIDE[name])) is False


def test_a_point_outside_belgium_is_refused_with_a_400_code():
    with pytest.raises(DomainError) as refusal:
        point_require_in_belgium(point=point_from_lat_lon(*OUTSIDE["Lille"]))

    assert refusal.value.code == "outside_belgium"
    assert refusal.value.status_code == 400


def test_a_point_inside_belgium_passes():
    point_require_in_belgium(point=point_from_lat_lon(*INSIDE["Eupen"]))


def test_without_the_outline_the_answer_is_an_error_not_a_no():
    CountryBoundary.objects.all().delete()

    with pytest.raises(PlacesNotLoaded):
        point_in_belgium(point_from_lat_lon(*INSIDE["Brussels"]))


def test_a_point_in_another_reference_system_is_converted_first():
    # Brussels in Belgian Lambert 2008 (EPSG:3812), converted from the WGS 84 point.
    lambert = point_from_lat_lon(*INSIDE["Brussels"]).transform(3812, clone=True)

    assert point_in_belgium(lambert) is True


def test_a_point_is_built_from_latitude_then_longitude():
    point = point_from_lat_lon(50.85, "4.35")

    assert (point.x, point.y, point.srid) == (4.35, 50.85, 4326)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (91, 4.35),
        (-90.5, 4.35),
        (50.85, 180.1),
        (50.85, -181),
        (math.nan, 4.35),
        (50.85, math.inf),
        ("north", 4.35),
        (None, 4.35),
        (True, 4.35),
        ("", 4.35),
    ],
)
def test_a_point_needs_finite_numbers_in_range(latitude, longitude):
    with pytest.raises(ValueError):
        point_from_lat_lon(latitude, longitude)


def test_the_extremes_are_accepted():
    assert point_from_lat_lon(-90, 180) == Point(180, -90, srid=4326)
