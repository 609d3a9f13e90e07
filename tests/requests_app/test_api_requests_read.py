"""GET /api/requests/ and /api/requests/<id>/: own requests, and who may read one (else 404)."""

import pytest

from tests.clients import client_for
from tests.requests_app.conftest import mark_matched as matched
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def detail_url(help_request) -> str:
    return f"/api/requests/{help_request.pk}/"


# --- The list ---------------------------------------------------------------------------------


def test_the_list_holds_only_the_persons_own_requests(personas):
    HelpRequestFactory()  # someone else's

    data = client_for(personas.requester).get("/api/requests/").json()

    assert [item["id"] for item in data] == [personas.help_request.pk]


@pytest.mark.parametrize("persona", ["helper", "other_helper", "outsider", "coordinator"])
def test_others_do_not_see_the_request_in_their_list(personas, persona):
    data = client_for(getattr(personas, persona)).get("/api/requests/").json()

    assert data == []


def test_a_coordinator_lists_the_requests_made_on_someones_behalf(personas):
    made = HelpRequestFactory(created_by=personas.coordinator)

    data = client_for(personas.coordinator).get("/api/requests/").json()

    assert [item["id"] for item in data] == [made.pk]


def test_the_matched_helper_lists_their_requests_as_helper(personas):
    matched(personas)

    data = client_for(personas.helper).get("/api/requests/?as=helper").json()
    others = client_for(personas.other_helper).get("/api/requests/?as=helper").json()

    assert [item["id"] for item in data] == [personas.help_request.pk]
    assert others == []


def test_anonymous_cannot_list(personas):
    assert client_for(None).get("/api/requests/").status_code == 401


# --- One request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("requester", 200),
        ("helper", 404),
        ("other_helper", 404),
        ("outsider", 404),
        ("coordinator", 200),
        ("anonymous", 401),
    ],
)
def test_who_may_read_an_open_request(personas, persona, expected):
    response = client_for(getattr(personas, persona)).get(detail_url(personas.help_request))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("requester", 200),
        ("helper", 200),
        ("other_helper", 404),
        ("outsider", 404),
        ("coordinator", 200),
    ],
)
def test_who_may_read_a_matched_request(personas, persona, expected):
    help_request = matched(personas)

    response = client_for(getattr(personas, persona)).get(detail_url(help_request))

    assert response.status_code == expected


def test_an_unknown_request_is_404_like_someone_elses(personas):
    response = client_for(personas.requester).get("/api/requests/999999999/")

    assert response.status_code == 404


def test_the_requester_sees_the_exact_place_and_the_carer_fields(personas):
    help_request = personas.help_request

    data = client_for(personas.requester).get(detail_url(help_request)).json()

    assert data["location"] == {
        "lat": round(help_request.location.y, 6),
        "lon": round(help_request.location.x, 6),
    }
    assert data["location_is_exact"] is True
    assert "carer_signal" in data and "cared_for_age" in data


def test_the_matched_helper_sees_the_exact_place_but_not_the_family_details(personas):
    help_request = matched(personas)

    data = client_for(personas.helper).get(detail_url(help_request)).json()

    assert data["location"]["lat"] == round(help_request.location.y, 6)
    assert data["location_is_exact"] is True
    assert "carer_signal" not in data
    assert "cared_for_age" not in data
    assert "care_hours_per_week" not in data


def test_someone_not_matched_would_see_only_the_approximate_place(personas):
    from requests_app.serializers import HelpRequestOutputSerializer

    data = HelpRequestOutputSerializer(
        personas.help_request, context={"viewer": personas.other_helper}
    ).data

    approximate = personas.help_request.approximate_location
    assert data["location"] == {"lat": round(approximate.y, 6), "lon": round(approximate.x, 6)}
    assert data["location_is_exact"] is False
