"""/helper/: the helper's profile, nearby requests (approximate places only), offers, proposals."""

import pytest

from matching.models import HelperProfile, VerificationState
from ranking.models import ProposalStatus
from requests_app import services as request_services
from requests_app.models import Offer, RequestStatus
from tests.accounts.factories import UserFactory
from tests.matching.factories import HelperProfileFactory
from tests.pages.conftest import client_for
from tests.pages.html import (
    assert_every_control_is_labelled,
    assert_light,
    coordinate_texts,
    page_of,
)
from tests.ranking.factories import ProposalFactory
from tests.requests_app.factories import HelpRequestFactory

URL = "/helper/"

pytestmark = pytest.mark.django_db


def profile_answers(**changes) -> dict:
    data = {
        "postcode": "5000",
        "radius_km": "5.0",
        "categories": ["shopping", "company"],
        "weekly_hours": "3",
        "languages": ["fr", "nl"],
        "has_car": "on",
        "active": "on",
        "slot-TOTAL_FORMS": "2",
        "slot-INITIAL_FORMS": "0",
        "slot-MIN_NUM_FORMS": "0",
        "slot-MAX_NUM_FORMS": "21",
        "slot-0-weekday": "1",
        "slot-0-start": "14:00",
        "slot-0-end": "17:00",
        "slot-1-weekday": "",
        "slot-1-start": "",
        "slot-1-end": "",
    }
    data.update(changes)
    return data


def test_anonymous_people_are_sent_to_log_in_first():
    response = client_for(None).get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/helper/"


def test_someone_new_fills_in_the_profile_through_the_real_service(db):
    person = UserFactory(postcode="5000")
    client = client_for(person)

    form_page = client.get(URL)
    assert form_page.status_code == 200
    assert_every_control_is_labelled(form_page)
    assert_light(form_page)
    assert page_of(form_page).by_id("id_postcode").attrs["value"] == "5000"

    response = client.post(URL, profile_answers())

    assert response.status_code == 302
    profile = HelperProfile.objects.get(user=person)
    assert (profile.radius_km, profile.weekly_hours, profile.has_car, profile.active) == (
        5.0,
        3.0,
        True,
        True,
    )
    assert sorted(profile.categories) == ["company", "shopping"]
    assert sorted(profile.languages) == ["fr", "nl"]
    [slot] = profile.availability_slots.all()
    assert (slot.weekday, slot.start.isoformat(), slot.end.isoformat()) == (
        1,
        "14:00:00",
        "17:00:00",
    )
    person.refresh_from_db()
    assert "helpper" in person.roles
    html = client.get(URL).content.decode()
    assert "A coordinator will contact you" in html


def test_profile_errors_are_shown_next_to_their_fields(db):
    person = UserFactory(postcode="5000")

    response = client_for(person).post(
        URL,
        profile_answers(
            postcode="0000", categories=[], **{"slot-0-start": "18:00", "slot-0-end": "09:00"}
        ),
    )

    assert response.status_code == 200
    assert not HelperProfile.objects.exists()
    page = page_of(response)
    assert page.by_id("id_categories_error")
    assert page.by_id("id_slot-0-end").attrs.get("aria-invalid") == "true"


def test_the_service_checks_the_postcode(db):
    person = UserFactory(postcode="5000")

    response = client_for(person).post(URL, profile_answers(postcode="0000"))

    assert not HelperProfile.objects.exists()
    assert page_of(response).by_id("id_postcode").attrs.get("aria-invalid") == "true"


def test_an_existing_profile_keeps_its_values_and_can_be_changed(personas):
    client = client_for(personas.helper)
    page = page_of(client.get(URL))
    assert page.find("input", name="categories", value="shopping").attrs.get("checked") is not None

    client.post(URL, profile_answers(weekly_hours="6", categories=["gardening"]))

    profile = HelperProfile.objects.get(user=personas.helper)
    assert profile.weekly_hours == 6.0
    assert profile.categories == ["gardening"]
    assert profile.verification_state == VerificationState.VERIFIED


def test_a_verified_helper_sees_nearby_requests_without_their_exact_place(personas):
    help_request = personas.help_request
    response = client_for(personas.helper).get(URL)

    html = response.content.decode()
    assert "You are verified" in html
    assert help_request.description in html or "supermarch" in html
    assert page_of(response).find("form", action=f"/helper/requests/{help_request.pk}/offer/")
    for text in coordinate_texts(help_request.location) + coordinate_texts(
        help_request.approximate_location
    ):
        assert text not in html
    # Nor who asked.
    assert personas.requester.display_name not in html
    assert personas.requester.email not in html


def test_an_exact_place_stays_hidden_from_helpers_until_they_are_matched(personas):
    # A place given as exact coordinates (a house in Namur), through the real service.
    house = {"lat": 50.463812, "lon": 4.862177}
    help_request = request_services.help_request_create(
        requester=personas.requester,
        created_by=personas.requester,
        category="company",
        description="Une visite le mardi",
        location=house,
        duration_minutes=60,
        recurrence="weekly",
    )
    helper = client_for(personas.helper)

    html = helper.get(URL).content.decode()

    assert "Une visite le mardi" in html
    for text in coordinate_texts(help_request.location) + ["50.4638", "4.8621", "50,4638"]:
        assert text not in html
    assert helper.get(f"/requests/{help_request.pk}/").status_code == 404


def test_offering_creates_an_offer_and_a_second_time_says_so(personas):
    client = client_for(personas.helper)
    offer_url = f"/helper/requests/{personas.help_request.pk}/offer/"

    first = client.post(offer_url, follow=True)
    second = client.post(offer_url, follow=True)

    assert Offer.objects.filter(request=personas.help_request, helper=personas.helper).count() == 1
    assert "Your offer is sent" in first.content.decode()
    assert "Waiting for an answer" in first.content.decode()
    assert "already offered" in page_of(second).find("div", role="alert").text


def test_an_unverified_helper_is_told_plainly_why_they_cannot_offer(personas):
    unverified = HelperProfileFactory().user
    client = client_for(unverified)

    assert "I can help" not in client.get(URL).content.decode()
    response = client.post(f"/helper/requests/{personas.help_request.pk}/offer/", follow=True)

    assert not Offer.objects.exists()
    assert "verify your profile" in page_of(response).find("div", role="alert").text


def test_offering_on_an_unknown_request_is_not_found(personas):
    response = client_for(personas.helper).post("/helper/requests/999999/offer/")

    assert response.status_code == 404


def test_the_page_stays_light_with_fifty_requests_nearby(personas):
    HelpRequestFactory.create_batch(
        60, description="Aller chercher le pain et le journal le matin. " * 4
    )

    response = client_for(personas.helper).get(URL)

    assert response.content.decode().count("I can help") == 50
    assert_light(response)


def test_a_proposal_from_the_batch_can_be_accepted(personas):
    proposal = ProposalFactory(request=personas.help_request, helper=personas.helper)
    client = client_for(personas.helper)
    assert "A coordinator asks you" in client.get(URL).content.decode()

    response = client.post(f"/helper/proposals/{proposal.pk}/accept/")

    assert response["Location"] == f"/requests/{personas.help_request.pk}/"
    proposal.refresh_from_db()
    personas.help_request.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert personas.help_request.status == RequestStatus.MATCHED
    assert personas.help_request.matched_helper == personas.helper
    # Now a visit to log, from the helper page.
    assert f"/requests/{personas.help_request.pk}/#log-visit" in client.get(URL).content.decode()


def test_a_proposal_can_be_declined_and_someone_elses_is_not_found(personas):
    proposal = ProposalFactory(request=personas.help_request, helper=personas.helper)

    assert (
        client_for(personas.other_helper)
        .post(f"/helper/proposals/{proposal.pk}/decline/")
        .status_code
        == 404
    )
    client_for(personas.helper).post(f"/helper/proposals/{proposal.pk}/decline/")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
