"""HelperProfile: the area a helper covers is a geodesic disc of their radius around home."""

from datetime import time

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from geopy.distance import geodesic

from matching.models import AvailabilitySlot, HelperProfile
from tests.accounts.factories import UserFactory
from tests.matching.factories import HelperProfileFactory

pytestmark = pytest.mark.django_db

# From the coast to the far south-east: the projection's scale varies most between these.
HOMES = {
    "Oostende": Point(2.9186, 51.2154, srid=4326),
    "Brussels": Point(4.3525, 50.8466, srid=4326),
    "Arlon": Point(5.8167, 49.6833, srid=4326),
    "Sankt Vith": Point(6.1264, 50.2814, srid=4326),
}
BEARINGS = range(0, 360, 15)


def _at(home: Point, *, km: float, bearing: float) -> Point:
    moved = geodesic(kilometers=km).destination((home.y, home.x), bearing)
    return Point(moved.longitude, moved.latitude, srid=4326)


def _covering(point: Point) -> set[int]:
    return set(HelperProfile.objects.filter(coverage__covers=point).values_list("pk", flat=True))


@pytest.mark.parametrize("place", HOMES)
@pytest.mark.parametrize("radius_km", [0.5, 3.0, 15.0, 50.0])
def test_coverage_holds_points_inside_the_radius_and_not_beyond(place, radius_km):
    profile = HelperProfileFactory(location=HOMES[place], radius_km=radius_km)

    for bearing in BEARINGS:
        inside = _at(HOMES[place], km=0.9 * radius_km, bearing=bearing)
        outside = _at(HOMES[place], km=1.1 * radius_km, bearing=bearing)
        assert profile.pk in _covering(inside), f"{place}: {bearing}° at 0.9 × radius"
        assert profile.pk not in _covering(outside), f"{place}: {bearing}° at 1.1 × radius"


def test_coverage_edge_is_within_half_a_percent_of_the_radius():
    home = HOMES["Brussels"]
    profile = HelperProfileFactory(location=home, radius_km=10.0)
    profile.refresh_from_db()

    distances = [
        geodesic((home.y, home.x), (latitude, longitude)).km
        for longitude, latitude in profile.coverage.exterior_ring.coords
    ]

    assert min(distances) == pytest.approx(10.0, rel=0.005)
    assert max(distances) == pytest.approx(10.0, rel=0.005)


def test_coverage_follows_a_new_radius_and_a_new_home():
    home = HOMES["Brussels"]
    profile = HelperProfileFactory(location=home, radius_km=2.0)
    four_km_east = _at(home, km=4, bearing=90)
    assert profile.pk not in _covering(four_km_east)

    profile.radius_km = 5.0
    profile.save(update_fields=["radius_km"])
    assert profile.pk in _covering(four_km_east)

    profile.location = HOMES["Arlon"]
    profile.save()
    assert profile.pk not in _covering(four_km_east)
    assert profile.pk in _covering(_at(HOMES["Arlon"], km=4, bearing=200))


@pytest.mark.parametrize(
    ("field", "value"),
    [("radius_km", 0.4), ("radius_km", 50.1), ("weekly_hours", 0.5), ("weekly_hours", 40.5)],
)
def test_out_of_range_radius_or_hours_are_refused_by_validation_and_database(field, value):
    profile = HelperProfileFactory.build(user=UserFactory(), **{field: value})

    with pytest.raises(ValidationError) as raised:
        profile.full_clean()
    assert field in raised.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def test_ranges_edges_are_accepted():
    low = HelperProfileFactory(radius_km=0.5, weekly_hours=1)
    high = HelperProfileFactory(radius_km=50, weekly_hours=40)

    low.full_clean()
    high.full_clean()


def test_a_category_outside_the_contract_is_refused():
    profile = HelperProfileFactory.build(user=UserFactory(), categories=["nursing"])

    with pytest.raises(ValidationError) as raised:
        profile.full_clean()
    assert "categories" in raised.value.message_dict


def test_an_availability_slot_must_end_after_it_starts():
    profile = HelperProfileFactory()

    AvailabilitySlot.objects.create(profile=profile, weekday=0, start="09:00", end="12:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilitySlot.objects.create(profile=profile, weekday=1, start="12:00", end="09:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilitySlot.objects.create(profile=profile, weekday=7, start="09:00", end="10:00")

    assert list(profile.availability_slots.values_list("weekday", "start", "end")) == [
        (0, time(9), time(12))
    ]
