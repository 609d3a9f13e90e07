"""POST /api/requests/<id>/cancel/ and /complete/: the requester ends a request."""

import pytest

from matching.models import HelperProfile
from requests_app.models import Offer, OfferStatus, RequestStatus
from requests_app.services import match_confirm
from tests.clients import client_for
from tests.requests_app.factories import OfferFactory

pytestmark = pytest.mark.django_db


def url(help_request, action: str) -> str:
    return f"/api/requests/{help_request.pk}/{action}/"


def committed_hours(user) -> float:
    return HelperProfile.objects.get(user=user).committed_weekly_hours


@pytest.fixture
def matched(personas):
    """The fixture's request matched with `helper` through the real service."""
    match_confirm(offer=OfferFactory(request=personas.help_request, helper=personas.helper))
    personas.help_request.refresh_from_db()
    return personas.help_request


# --- Cancel -----------------------------------------------------------------------------------


def test_the_requester_cancels_an_open_request_and_pending_offers_are_declined(personas):
    pending = OfferFactory(request=personas.help_request, helper=personas.helper)

    response = client_for(personas.requester).post(url(personas.help_request, "cancel"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    pending.refresh_from_db()
    assert pending.status == OfferStatus.DECLINED


def test_cancelling_a_matched_request_gives_the_helper_their_hours_back(personas, matched):
    assert committed_hours(personas.helper) == pytest.approx(1.0)

    response = client_for(personas.requester).post(url(matched, "cancel"))

    assert response.status_code == 200
    assert committed_hours(personas.helper) == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", 200),
        ("helper", 404),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_cancel_an_open_request(personas, persona, expected):
    response = client_for(getattr(personas, persona)).post(url(personas.help_request, "cancel"))

    assert response.status_code == expected


def test_the_matched_helper_may_not_cancel(personas, matched):
    response = client_for(personas.helper).post(url(matched, "cancel"))

    assert response.status_code == 403
    matched.refresh_from_db()
    assert matched.status == RequestStatus.MATCHED


@pytest.mark.parametrize(
    "status", [RequestStatus.CANCELLED, RequestStatus.COMPLETED, RequestStatus.EXPIRED]
)
def test_cancelling_a_closed_request_is_409(personas, status):
    personas.help_request.status = status
    personas.help_request.save()

    response = client_for(personas.requester).post(url(personas.help_request, "cancel"))

    assert response.status_code == 409


# --- Complete ---------------------------------------------------------------------------------


def test_the_requester_completes_a_matched_request(personas, matched):
    response = client_for(personas.requester).post(url(matched, "complete"))

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert committed_hours(personas.helper) == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", 200),
        ("helper", 403),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_complete(personas, matched, persona, expected):
    response = client_for(getattr(personas, persona)).post(url(matched, "complete"))

    assert response.status_code == expected


@pytest.mark.parametrize(
    "status",
    [RequestStatus.OPEN, RequestStatus.CANCELLED, RequestStatus.COMPLETED, RequestStatus.EXPIRED],
)
def test_completing_a_request_that_is_not_matched_is_409(personas, status):
    personas.help_request.status = status
    personas.help_request.save()

    response = client_for(personas.requester).post(url(personas.help_request, "complete"))

    assert response.status_code == 409


def test_completing_twice_releases_the_hours_once(personas, matched):
    HelperProfile.objects.filter(user=personas.helper).update(committed_weekly_hours=3.0)
    client_for(personas.requester).post(url(matched, "complete"))

    second = client_for(personas.requester).post(url(matched, "complete"))

    assert second.status_code == 409
    assert committed_hours(personas.helper) == pytest.approx(2.0)
    assert Offer.objects.get().status == OfferStatus.ACCEPTED
