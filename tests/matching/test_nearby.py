"""GET /api/requests/nearby/ (CONTRACT.md "Requests and matching"): open requests a helper is
eligible for, nearest first, placed only approximately."""

import pytest
from geopy.distance import geodesic

from matching.vocabulary import Category, Recurrence
from requests_app.models import RequestStatus
from tests.clients import client_for
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

URL = "/api/requests/nearby/"


def metres(a, b) -> float:
    return geodesic((a["lat"], a["lon"]), (b.y, b.x)).m


def test_a_helper_sees_open_requests_nearest_first_with_approximate_places():
    helper = VerifiedHelperFactory(location=NAMUR, radius_km=10)
    requests = [
        HelpRequestFactory(location=point_at(NAMUR, km=km, bearing=bearing))
        for km, bearing in [(6, 10), (2, 200), (8.5, 300), (4, 90)]
    ]

    response = client_for(helper.user).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [r.pk for r in sorted(requests, key=distance_order)]
    distances = [item["distance_km"] for item in body]
    assert distances == sorted(distances)
    for item, help_request in zip(body, sorted(requests, key=distance_order), strict=True):
        assert set(item) >= {
            "id",
            "category",
            "description",
            "distance_km",
            "location",
            "duration_minutes",
            "recurrence",
            "created_at",
        }
        # Never the exact place: at least 500 m away from it (CONTRACT.md).
        assert metres(item["location"], help_request.location) >= 500
        assert metres(item["location"], help_request.approximate_location) < 1
        expected_km = geodesic(
            (NAMUR.y, NAMUR.x), (item["location"]["lat"], item["location"]["lon"])
        ).km
        assert item["distance_km"] == pytest.approx(round(expected_km, 1), abs=0.1)


def distance_order(help_request) -> float:
    point = help_request.approximate_location
    return geodesic((NAMUR.y, NAMUR.x), (point.y, point.x)).m


def test_only_requests_the_helper_is_eligible_for():
    helper = VerifiedHelperFactory(
        location=NAMUR,
        radius_km=5,
        categories=[Category.SHOPPING],
        weekly_hours=2,
        committed_weekly_hours=1,
    )
    fits = HelpRequestFactory(location=point_at(NAMUR, km=3))
    HelpRequestFactory(location=point_at(NAMUR, km=3), status=RequestStatus.MATCHED)
    HelpRequestFactory(location=point_at(NAMUR, km=3), category=Category.GARDENING)
    HelpRequestFactory(location=point_at(NAMUR, km=5.5))
    HelpRequestFactory(location=point_at(NAMUR, km=3), requester=helper.user)
    HelpRequestFactory(duration_minutes=90, recurrence=Recurrence.WEEKLY)  # 1.5 h > 1 h spare

    response = client_for(helper.user).get(URL)

    assert [item["id"] for item in response.json()] == [fits.pk]


@pytest.mark.parametrize(
    "profile_factory",
    [
        pytest.param(lambda: HelperProfileFactory(), id="unverified"),
        pytest.param(lambda: VerifiedHelperFactory(active=False), id="inactive"),
    ],
)
def test_helpers_who_cannot_be_matched_see_an_empty_list(profile_factory):
    profile = profile_factory()
    HelpRequestFactory()

    response = client_for(profile.user).get(URL)

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("requester", 403), ("outsider", 403), ("coordinator", 403), ("anonymous", 401)],
)
def test_people_without_a_helper_profile_are_refused(personas, persona, status):
    response = client_for(getattr(personas, persona)).get(URL)

    assert response.status_code == status


def test_the_personas_helper_sees_the_personas_request(personas):
    response = client_for(personas.helper).get(URL)

    assert [item["id"] for item in response.json()] == [personas.help_request.pk]


def test_at_most_fifty_requests():
    helper = VerifiedHelperFactory(weekly_hours=40)
    HelpRequestFactory.create_batch(55)

    response = client_for(helper.user).get(URL)

    assert len(response.json()) == 50
