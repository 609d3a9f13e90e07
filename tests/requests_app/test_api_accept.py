"""POST /api/offers/<id>/accept/: who may accept, what a match changes, and every 409."""

import pytest

from matching.models import HelperProfile, VerificationState
from matching.services import helper_vetting_change
from matching.vocabulary import Recurrence
from messaging.models import Conversation
from requests_app.models import OfferStatus, RequestStatus
from tests.clients import client_for
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db


def accept_url(offer) -> str:
    return f"/api/offers/{offer.pk}/accept/"


def accept(user, offer):
    return client_for(user).post(accept_url(offer))


@pytest.fixture
def offer(personas):
    return OfferFactory(request=personas.help_request, helper=personas.helper)


def committed_hours(user) -> float:
    return HelperProfile.objects.get(user=user).committed_weekly_hours


def test_the_requester_accepts_and_a_conversation_opens(personas, offer):
    other = OfferFactory(request=personas.help_request, helper=personas.other_helper)

    response = accept(personas.requester, offer)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    conversation = Conversation.objects.get(pk=response.json()["conversation"])
    assert conversation.request_id == personas.help_request.pk
    assert set(conversation.participants.values_list("pk", flat=True)) == {
        personas.requester.pk,
        personas.helper.pk,
    }
    personas.help_request.refresh_from_db()
    assert personas.help_request.status == RequestStatus.MATCHED
    assert personas.help_request.matched_helper == personas.helper
    offer.refresh_from_db()
    other.refresh_from_db()
    assert (offer.status, other.status) == (OfferStatus.ACCEPTED, OfferStatus.DECLINED)


def test_the_helpers_committed_hours_grow_by_the_weekly_load(personas, offer):
    accept(personas.requester, offer)

    assert committed_hours(personas.helper) == pytest.approx(1.0)  # 60 min once


def test_a_monthly_request_weighs_a_quarter(personas):
    help_request = HelpRequestFactory(
        requester=personas.requester, duration_minutes=120, recurrence=Recurrence.MONTHLY
    )
    offer = OfferFactory(request=help_request, helper=personas.helper)

    accept(personas.requester, offer)

    assert committed_hours(personas.helper) == pytest.approx(0.5)


def test_a_coordinator_may_accept_for_the_person(personas, offer):
    assert accept(personas.coordinator, offer).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("helper", 403), ("other_helper", 404), ("outsider", 404), ("anonymous", 401)],
)
def test_nobody_else_may_accept(personas, offer, persona, expected):
    response = accept(getattr(personas, persona), offer)

    assert response.status_code == expected
    personas.help_request.refresh_from_db()
    assert personas.help_request.status == RequestStatus.OPEN
    assert committed_hours(personas.helper) == 0


def test_an_unknown_offer_is_404(personas):
    assert client_for(personas.requester).post("/api/offers/999999999/accept/").status_code == 404


def test_accepting_a_second_offer_after_a_match_is_409(personas, offer):
    other = OfferFactory(request=personas.help_request, helper=personas.other_helper)
    accept(personas.requester, offer)

    response = accept(personas.requester, other)

    assert response.status_code == 409
    assert response.json()["code"] == "request_not_open"
    assert committed_hours(personas.other_helper) == 0


def test_accepting_the_same_offer_twice_is_409(personas, offer):
    accept(personas.requester, offer)

    assert accept(personas.requester, offer).status_code == 409
    assert committed_hours(personas.helper) == pytest.approx(1.0)


def test_a_helper_without_room_left_is_409(personas, offer):
    # The helper took other requests meanwhile: 3.5 of their 4 hours are committed.
    HelperProfile.objects.filter(user=personas.helper).update(committed_weekly_hours=3.5)

    response = accept(personas.requester, offer)

    assert response.status_code == 409
    assert response.json()["code"] == "helper_unavailable"
    personas.help_request.refresh_from_db()
    assert personas.help_request.status == RequestStatus.OPEN


def test_a_helper_who_became_inactive_is_409(personas, offer):
    HelperProfile.objects.filter(user=personas.helper).update(active=False)

    assert accept(personas.requester, offer).status_code == 409


def test_an_offer_of_a_helper_suspended_since_is_409_and_waits(personas, offer):
    helper_vetting_change(
        helper_user=personas.helper,
        coordinator=personas.coordinator,
        state=VerificationState.SUSPENDED,
        reason="A complaint to look into.",
    )

    response = accept(personas.requester, offer)

    assert response.status_code == 409
    assert response.json()["code"] == "helper_unavailable"
    assert response.json()["detail"] == "Ce helpper ne peut pas prendre de demande pour le moment."
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    personas.help_request.refresh_from_db()
    assert personas.help_request.status == RequestStatus.OPEN
    assert committed_hours(personas.helper) == 0


def test_an_offer_on_a_cancelled_request_is_409(personas, offer):
    personas.help_request.status = RequestStatus.CANCELLED
    personas.help_request.save()

    assert accept(personas.requester, offer).status_code == 409


def test_the_exact_capacity_fits(personas):
    HelperProfile.objects.filter(user=personas.helper).update(committed_weekly_hours=3.0)
    offer = OfferFactory(request=personas.help_request, helper=personas.helper)

    assert accept(personas.requester, offer).status_code == 200
    assert committed_hours(personas.helper) == pytest.approx(4.0)
