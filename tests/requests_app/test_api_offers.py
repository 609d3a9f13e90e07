"""POST and GET /api/requests/<id>/offers/: who may offer (403), when (409), who sees them."""

import pytest

from matching.models import HelperProfile
from requests_app.models import Offer, OfferStatus, RequestStatus
from tests.clients import client_for
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db


def offers_url(help_request) -> str:
    return f"/api/requests/{help_request.pk}/offers/"


def offer(user, help_request, data=None):
    return client_for(user).post(offers_url(help_request), data or {}, format="json")


# --- Making an offer --------------------------------------------------------------------------


def test_an_eligible_helper_offers(personas):
    response = offer(personas.helper, personas.help_request, {"message": "Mardi matin ?"})

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["request"] == personas.help_request.pk
    assert data["helper"] == personas.helper.pk
    assert data["status"] == "pending"
    assert Offer.objects.get(pk=data["id"]).message == "Mardi matin ?"


def test_an_empty_body_is_a_plain_offer(personas):
    response = client_for(personas.helper).post(offers_url(personas.help_request))

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("requester", 403), ("outsider", 403), ("coordinator", 403), ("anonymous", 401)],
)
def test_people_who_are_not_helpers_cannot_offer(personas, persona, expected):
    response = offer(getattr(personas, persona), personas.help_request)

    assert response.status_code == expected
    assert not Offer.objects.exists()


def test_an_unverified_helper_cannot_offer(personas):
    unverified = HelperProfileFactory().user

    response = offer(unverified, personas.help_request)

    assert response.status_code == 403
    assert response.json()["code"] == "helper_not_verified"


def test_a_helper_too_far_away_is_not_eligible(personas):
    far = VerifiedHelperFactory(location=point_at(NAMUR, km=20), radius_km=5).user

    response = offer(far, personas.help_request)

    assert response.status_code == 403
    assert response.json()["code"] == "not_eligible"


def test_a_helper_without_the_category_is_not_eligible(personas):
    gardener = VerifiedHelperFactory(categories=["gardening"]).user

    assert offer(gardener, personas.help_request).status_code == 403


def test_a_helper_without_spare_hours_is_not_eligible(personas):
    HelperProfile.objects.filter(user=personas.helper).update(committed_weekly_hours=3.5)

    response = offer(personas.helper, personas.help_request)  # 1 h needed, 0.5 h left

    assert response.status_code == 403


def test_the_requester_cannot_offer_on_their_own_request_even_as_a_helper(personas):
    VerifiedHelperFactory(user=personas.requester)

    assert offer(personas.requester, personas.help_request).status_code == 403


def test_the_same_helper_twice_is_409(personas):
    offer(personas.helper, personas.help_request)

    response = offer(personas.helper, personas.help_request)

    assert response.status_code == 409
    assert response.json()["code"] == "offer_exists"
    assert Offer.objects.count() == 1


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.MATCHED,
        RequestStatus.CANCELLED,
        RequestStatus.COMPLETED,
        RequestStatus.EXPIRED,
    ],
)
def test_a_request_that_is_not_open_is_409(personas, status):
    personas.help_request.status = status
    personas.help_request.save()

    response = offer(personas.helper, personas.help_request)

    assert response.status_code == 409
    assert response.json()["code"] == "request_not_open"


def test_an_unknown_request_is_404(personas):
    response = client_for(personas.helper).post("/api/requests/999999999/offers/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "message", [42, None, "x" * 1001, "bonjour\x00"], ids=["number", "null", "long", "nul"]
)
def test_a_bad_message_is_a_400(personas, message):
    response = offer(personas.helper, personas.help_request, {"message": message})

    assert response.status_code == 400
    assert "message" in response.json()


# --- Reading the offers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("requester", 200),
        ("coordinator", 200),
        ("helper", 404),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_sees_the_offers(personas, persona, expected):
    OfferFactory(request=personas.help_request, helper=personas.helper)

    response = client_for(getattr(personas, persona)).get(offers_url(personas.help_request))

    assert response.status_code == expected
    if expected == 200:
        assert [item["helper"] for item in response.json()] == [personas.helper.pk]
        assert response.json()[0]["helper_display_name"] == "Bruno"


def test_the_matched_helper_may_read_the_request_but_not_its_offers(personas):
    OfferFactory(request=personas.help_request, helper=personas.helper)
    personas.help_request.status = RequestStatus.MATCHED
    personas.help_request.matched_helper = personas.helper
    personas.help_request.save()

    response = client_for(personas.helper).get(offers_url(personas.help_request))

    assert response.status_code == 403


def test_offers_of_another_request_are_not_listed(personas):
    OfferFactory(request=HelpRequestFactory(), helper=personas.helper)

    response = client_for(personas.requester).get(offers_url(personas.help_request))

    assert response.json() == []
    assert Offer.objects.get().status == OfferStatus.PENDING
