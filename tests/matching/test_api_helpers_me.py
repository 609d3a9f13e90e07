"""PUT/GET /api/helpers/me/ (CONTRACT.md "Helpers")."""

import pytest
from django.contrib.gis.geos import Point

from accounts.models import Role
from matching.models import HelperProfile, VerificationState
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.geo.factories import NAMUR
from tests.matching.factories import VerifiedHelperFactory

pytestmark = pytest.mark.django_db

URL = "/api/helpers/me/"
LILLE = {"lat": 50.6292, "lon": 3.0573}  # France, 15 km from the border


def valid_profile(**changes) -> dict:
    body = {
        "postcode": "5000",
        "radius_km": 5,
        "categories": ["shopping", "transport"],
        "weekly_hours": 4,
        "languages": ["fr", "nl"],
        "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
        "has_car": True,
        "active": True,
    }
    body.update(changes)
    return body


def test_first_put_creates_the_profile_and_makes_the_user_a_helpper():
    user = UserFactory(roles=[Role.HELPPIE])

    response = client_for(user).put(URL, valid_profile(), format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["helper_id"] == user.pk
    assert body["postcode"] == "5000"
    assert body["radius_km"] == 5
    assert body["categories"] == ["shopping", "transport"]
    assert body["weekly_hours"] == 4
    assert body["committed_weekly_hours"] == 0
    assert body["languages"] == ["fr", "nl"]
    assert body["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    assert body["has_car"] is True
    assert body["active"] is True
    assert body["verification_state"] == "unverified"
    assert set(body["location"]) == {"lat", "lon"}
    user.refresh_from_db()
    assert user.roles == [Role.HELPPIE, Role.HELPPER]


def test_get_reads_back_what_put_stored():
    user = UserFactory()
    client = client_for(user)
    client.put(URL, valid_profile(), format="json")

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["categories"] == ["shopping", "transport"]


def test_get_without_a_profile_is_404():
    response = client_for(UserFactory()).get(URL)

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "put"])
def test_anonymous_is_401(method):
    response = getattr(client_for(None), method)(URL, valid_profile(), format="json")

    assert response.status_code == 401


def test_a_location_gives_the_home_exactly():
    user = UserFactory()

    response = client_for(user).put(
        URL, valid_profile(postcode=None, location={"lat": 50.4669, "lon": 4.8675}), format="json"
    )

    assert response.status_code == 200, response.json()
    profile = HelperProfile.objects.get(user=user)
    assert (profile.location.x, profile.location.y) == pytest.approx((4.8675, 50.4669))
    assert response.json()["location"] == {"lat": 50.4669, "lon": 4.8675}


def test_a_location_outside_belgium_is_400_and_stores_nothing():
    user = UserFactory()
    body = valid_profile(location=LILLE)
    body.pop("postcode")

    response = client_for(user).put(URL, body, format="json")

    assert response.status_code == 400
    assert "location" in response.json()
    assert not HelperProfile.objects.filter(user=user).exists()


def test_an_unknown_postcode_is_400():
    response = client_for(UserFactory()).put(URL, valid_profile(postcode="0001"), format="json")

    assert response.status_code == 400
    assert "postcode" in response.json()


def test_a_first_put_without_a_place_is_400():
    body = valid_profile()
    body.pop("postcode")

    response = client_for(UserFactory()).put(URL, body, format="json")

    assert response.status_code == 400
    assert "postcode" in response.json()


@pytest.mark.parametrize("missing", ["radius_km", "categories", "weekly_hours"])
def test_a_first_put_without_a_required_field_is_400(missing):
    body = valid_profile()
    body.pop(missing)

    response = client_for(UserFactory()).put(URL, body, format="json")

    assert response.status_code == 400
    assert missing in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("radius_km", 0.4),
        ("radius_km", 50.1),
        ("radius_km", "far"),
        ("weekly_hours", 0.5),
        ("weekly_hours", 41),
        ("weekly_hours", "NaN"),
        ("categories", ["nursing"]),
        ("categories", []),
        ("categories", "shopping"),
        ("languages", ["es"]),
        ("has_car", "maybe"),
        ("location", {"lat": 95, "lon": 4}),
        ("location", {"lat": "x", "lon": 4}),
        ("availability", [{"weekday": 7, "start": "09:00", "end": "10:00"}]),
        ("availability", [{"weekday": 1, "start": "9h", "end": "10:00"}]),
        ("availability", [{"weekday": 1, "start": "10:00", "end": "10:00"}]),
        ("availability", [{"weekday": 1, "start": "11:00", "end": "10:00"}]),
        (
            "availability",
            [
                {"weekday": 1, "start": "09:00", "end": "10:00"},
                {"weekday": 1, "start": "09:00", "end": "11:00"},
            ],
        ),
    ],
)
def test_bad_values_are_400_naming_the_field(field, value):
    user = UserFactory()

    response = client_for(user).put(URL, valid_profile(**{field: value}), format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not HelperProfile.objects.filter(user=user).exists()


@pytest.mark.parametrize("body", [None, [], "profile", 3])
def test_a_body_that_is_not_an_object_is_400(body):
    response = client_for(UserFactory()).put(URL, body, format="json")

    assert response.status_code == 400


def test_radius_bounds_themselves_are_accepted():
    client = client_for(UserFactory())

    assert client.put(URL, valid_profile(radius_km=0.5), format="json").status_code == 200
    assert client.put(URL, valid_profile(radius_km=50), format="json").status_code == 200


def test_changing_home_and_radius_keeps_the_verification_and_the_rest():
    profile = VerifiedHelperFactory(has_car=True, categories=["meals"], weekly_hours=6)
    client = client_for(profile.user)

    response = client.put(URL, {"postcode": "1000", "radius_km": 12}, format="json")

    assert response.status_code == 200, response.json()
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.VERIFIED
    assert profile.verified_by is not None
    assert (profile.postcode, profile.radius_km) == ("1000", 12)
    assert (profile.categories, profile.weekly_hours, profile.has_car) == (["meals"], 6, True)
    # The covered area follows the new home: Brussels, no longer Namur.
    assert HelperProfile.objects.filter(pk=profile.pk, coverage__covers=profile.location).exists()
    assert not HelperProfile.objects.filter(pk=profile.pk, coverage__covers=NAMUR).exists()


def test_availability_given_again_replaces_every_slot():
    user = UserFactory()
    client = client_for(user)
    client.put(URL, valid_profile(), format="json")

    response = client.put(
        URL,
        {
            "availability": [
                {"weekday": 5, "start": "14:00", "end": "17:30"},
                {"weekday": 0, "start": "08:00", "end": "09:00"},
            ]
        },
        format="json",
    )

    assert response.json()["availability"] == [
        {"weekday": 0, "start": "08:00", "end": "09:00"},
        {"weekday": 5, "start": "14:00", "end": "17:30"},
    ]


def test_weekly_hours_cannot_drop_below_the_hours_already_committed():
    profile = VerifiedHelperFactory(weekly_hours=6, committed_weekly_hours=3)
    client = client_for(profile.user)

    below = client.put(URL, {"weekly_hours": 2.5}, format="json")
    equal = client.put(URL, {"weekly_hours": 3}, format="json")

    assert below.status_code == 400
    assert "weekly_hours" in below.json()
    assert equal.status_code == 200


def test_the_role_is_added_once():
    user = UserFactory(roles=[Role.HELPPER])
    client = client_for(user)

    client.put(URL, valid_profile(), format="json")
    client.put(URL, valid_profile(radius_km=3), format="json")

    user.refresh_from_db()
    assert user.roles == [Role.HELPPER]


def test_a_new_profile_speaks_the_users_language_unless_told():
    user = UserFactory(language="nl")
    body = valid_profile()
    body.pop("languages")

    response = client_for(user).put(URL, body, format="json")

    assert response.json()["languages"] == ["nl"]


def test_a_postcode_with_a_location_names_the_place_and_the_location_is_the_home():
    user = UserFactory()
    home = Point(4.87, 50.47, srid=4326)

    client_for(user).put(URL, valid_profile(location={"lat": home.y, "lon": home.x}), format="json")

    profile = HelperProfile.objects.get(user=user)
    assert profile.postcode == "5000"
    assert (profile.location.x, profile.location.y) == pytest.approx((home.x, home.y))
