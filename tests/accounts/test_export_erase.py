"""GET /api/me/export/, DELETE /api/me/, the /account/ page and `purge_expired_data`.

A person can take all their data with them, and erase their account: what others still need
(statistics, the other side of a conversation, the referral audit) stays, without them.
"""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from carers.models import (
    Assessment,
    CareDiaryEntry,
    Referral,
    ReferralAudit,
    ReferralNote,
    ReferralStatus,
)
from core import realtime
from matching.models import HelperProfile
from messaging.models import Message, Participant
from requests_app.models import Feedback, HelpRequest, Offer, RequestStatus, Visit
from tests.accounts.factories import UserFactory, password_for
from tests.carers.factories import AssessmentFactory, DiaryEntryFactory, ReferralFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory, VisitFactory

pytestmark = pytest.mark.django_db

ME = "/api/me/"
EXPORT = "/api/me/export/"


@pytest.fixture(autouse=True)
def _sockets(monkeypatch):
    """Record the WebSocket closes instead of needing Redis."""
    sent: list = []
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: sent.extend(sends) or True)
    return sent


@pytest.fixture
def person():
    """Someone who both asks and helps, with a bit of everything on the platform."""
    user = UserFactory(email="ines@example.be", display_name="Inès", postcode="5000")
    VerifiedHelperFactory(user=user)
    return user


@pytest.fixture
def their_data(person):
    neighbour = UserFactory(display_name="Marc")
    own_request = HelpRequestFactory(
        requester=person,
        description="Courses rue des Tanneries 12, je suis en chaise roulante.",
        for_someone_else=True,
        relationship="parent",
        cared_for_age=84,
    )
    done_request = HelpRequestFactory(requester=person, status=RequestStatus.COMPLETED)
    other_request = HelpRequestFactory(requester=neighbour)
    offer = OfferFactory(request=other_request, helper=person)
    helped_request = HelpRequestFactory(
        requester=neighbour, status=RequestStatus.MATCHED, matched_helper=person
    )
    visit = VisitFactory(request=helped_request, helper=person)
    feedback = Feedback.objects.create(
        request=helped_request, author=person, about=neighbour, text="Très gentil."
    )
    conversation = ConversationFactory(participants=[person, neighbour])
    sent = MessageFactory(conversation=conversation, sender=person, body="J'arrive à 10h.")
    received = MessageFactory(conversation=conversation, sender=neighbour, body="Merci !")
    assessment = AssessmentFactory(user=person, contact_consent=True, contact={"phone": "x"})
    diary = DiaryEntryFactory(user=person, note="Toilette de maman")
    referral = ReferralFactory(person=person, with_consent=True)
    ReferralNote.objects.create(referral=referral, author=None, text="Internal: called twice.")
    return {
        "neighbour": neighbour,
        "own_request": own_request,
        "done_request": done_request,
        "offer": offer,
        "helped_request": helped_request,
        "visit": visit,
        "feedback": feedback,
        "conversation": conversation,
        "sent": sent,
        "received": received,
        "assessment": assessment,
        "diary": diary,
        "referral": referral,
    }


def signed_in(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# --- Export ----------------------------------------------------------------------------------


def test_export_anonymous_is_401(api_client):
    assert api_client.get(EXPORT).status_code == 401


def test_export_holds_all_the_persons_data(api_client, person, their_data):
    response = signed_in(api_client, person).get(EXPORT)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == "ines@example.be"
    assert data["helper_profile"]["verification_state"] == "verified"
    requests_by_id = {item["id"]: item for item in data["help_requests"]}
    own = requests_by_id[their_data["own_request"].pk]
    assert set(requests_by_id) == {their_data["own_request"].pk, their_data["done_request"].pk}
    # Their own requests come with the exact place, not only the approximate one.
    assert own["location"] == {
        "latitude": their_data["own_request"].location.y,
        "longitude": their_data["own_request"].location.x,
    }
    assert own["description"].startswith("Courses rue des Tanneries")
    assert [offer["id"] for offer in data["offers"]] == [their_data["offer"].pk]
    assert [visit["id"] for visit in data["visits"]] == [their_data["visit"].pk]
    assert [item["text"] for item in data["feedback_written"]] == ["Très gentil."]
    [conversation] = data["conversations"]
    assert [message["body"] for message in conversation["messages_sent"]] == ["J'arrive à 10h."]
    assert [item["id"] for item in data["assessments"]] == [their_data["assessment"].pk]
    assert [item["note"] for item in data["care_diary"]] == ["Toilette de maman"]
    [referral] = data["referrals"]
    assert referral["consent"] == "given"
    assert "notes" not in referral
    assert "Internal: called twice." not in response.content.decode()
    assert {record["subject"] for record in data["consents"]} == {
        "assessment_contact",
        "referral_sharing",
    }


def test_export_holds_nobody_elses_messages_or_requests(api_client, person, their_data):
    data = signed_in(api_client, person).get(EXPORT).json()

    text = str(data)
    assert "Merci !" not in text
    assert their_data["neighbour"].email not in text


# --- Erasure through the API ------------------------------------------------------------------


def test_delete_anonymous_is_401(api_client):
    assert api_client.delete(ME, {"password": "x"}, format="json").status_code == 401


def test_delete_with_a_wrong_password_is_400_and_erases_nothing(api_client, person):
    response = signed_in(api_client, person).delete(ME, {"password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()
    assert User.objects.filter(pk=person.pk).exists()


def test_delete_without_a_password_is_400(api_client, person):
    response = signed_in(api_client, person).delete(ME, {}, format="json")

    assert response.status_code == 400
    assert User.objects.filter(pk=person.pk).exists()


def test_delete_erases_the_account_and_keeps_what_others_need(
    api_client, person, their_data, _sockets, django_capture_on_commit_callbacks
):
    person_id = person.pk
    Token.objects.create(user=person)
    audit_before = ReferralAudit.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(api_client, person).delete(
            ME, {"password": password_for(person)}, format="json"
        )

    assert response.status_code == 204
    assert not User.objects.filter(pk=person_id).exists()
    assert not Token.objects.filter(user_id=person_id).exists()
    assert not HelperProfile.objects.filter(user_id=person_id).exists()
    assert not CareDiaryEntry.objects.filter(user_id=person_id).exists()
    assert not Offer.objects.filter(helper_id=person_id).exists()

    own = HelpRequest.objects.get(pk=their_data["own_request"].pk)
    assert own.requester_id is None
    assert own.status == RequestStatus.CANCELLED
    assert own.description == ""
    assert (own.relationship, own.cared_for_age) == ("", None)
    assert own.category == their_data["own_request"].category
    assert own.location.distance(their_data["own_request"].location) > 0.004  # ≈ 500 m
    assert own.location.equals_exact(own.approximate_location, tolerance=1e-9)
    done = HelpRequest.objects.get(pk=their_data["done_request"].pk)
    assert done.status == RequestStatus.COMPLETED  # history stays as it was

    helped = HelpRequest.objects.get(pk=their_data["helped_request"].pk)
    assert (helped.status, helped.matched_helper_id) == (RequestStatus.OPEN, None)
    assert Visit.objects.get(pk=their_data["visit"].pk).helper_id is None
    assert Feedback.objects.get(pk=their_data["feedback"].pk).author_id is None

    sent = Message.objects.get(pk=their_data["sent"].pk)
    assert (sent.sender_id, sent.body) == (None, "J'arrive à 10h.")
    assert Message.objects.get(pk=their_data["received"].pk).sender_id is not None
    assert list(
        Participant.objects.filter(conversation=their_data["conversation"]).values_list(
            "user_id", flat=True
        )
    ) == [their_data["neighbour"].pk]

    referral = Referral.objects.get(pk=their_data["referral"].pk)
    assert (referral.status, referral.person_id) == (ReferralStatus.CLOSED, None)
    assert ReferralAudit.objects.count() > audit_before  # the audit is kept and grows
    assessment = Assessment.objects.get(pk=their_data["assessment"].pk)
    assert (assessment.user_id, assessment.contact) == (None, {})

    assert _sockets == [(realtime.user_sockets_group(person_id), {"type": "session.ended"})]


def test_after_deletion_the_token_no_longer_signs_in(api_client, person):
    key = Token.objects.create(user=person).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert (
        api_client.delete(ME, {"password": password_for(person)}, format="json").status_code == 204
    )
    assert api_client.get(ME).status_code == 401


def test_delete_keeps_an_exact_place_nowhere(api_client, person):
    exact = point_at(NAMUR, km=2)
    request = HelpRequestFactory(requester=person, location=exact)

    signed_in(api_client, person).delete(ME, {"password": password_for(person)}, format="json")

    request.refresh_from_db()
    assert request.location.distance(exact) > 0.004


# --- The /account/ page -----------------------------------------------------------------------


@pytest.fixture
def browser(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def csrf_token(client, url="/account/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


def test_account_page_needs_a_sign_in():
    response = Client().get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_account_page_offers_download_and_deletion(browser):
    response = browser.get("/account/")

    content = response.content.decode()
    assert 'href="/account/export/"' in content
    assert 'action="/account/delete/"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'type="password"' in content


def test_page_download_is_the_same_json_file(browser, their_data):
    response = browser.get("/account/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response.json()["account"]["email"] == "ines@example.be"


def test_page_delete_without_csrf_is_refused(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    response = client.post("/account/delete/", {"password": password_for(person)})

    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_page_delete_with_a_wrong_password_shows_the_error(browser, person):
    token = csrf_token(browser)

    response = browser.post("/account/delete/", {"password": "wrong", "csrfmiddlewaretoken": token})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_page_delete_erases_and_then_sign_in_fails(browser, person, their_data):
    token = csrf_token(browser)

    response = browser.post(
        "/account/delete/", {"password": password_for(person), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert not User.objects.filter(email="ines@example.be").exists()
    assert browser.get("/account/").status_code == 302  # signed out
    login = Client().post(
        "/api/auth/token/",
        {"email": "ines@example.be", "password": password_for(person)},
        content_type="application/json",
    )
    assert login.status_code == 400
    assert HelpRequest.objects.get(pk=their_data["own_request"].pk).requester_id is None


# --- Retention --------------------------------------------------------------------------------


def age(model, pk, *, days, field):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - datetime.timedelta(days=days)})


@override_settings(RETENTION_CLOSED_REFERRAL_DAYS=730, RETENTION_AUDIT_DAYS=1825)
def test_purge_deletes_only_what_is_past_its_retention():
    old_closed = ReferralFactory(status=ReferralStatus.CLOSED)
    recent_closed = ReferralFactory(status=ReferralStatus.CLOSED)
    old_open = ReferralFactory(status=ReferralStatus.DRAFT)
    age(Referral, old_closed.pk, days=731, field="updated_at")
    age(Referral, recent_closed.pk, days=729, field="updated_at")
    age(Referral, old_open.pk, days=2000, field="updated_at")
    old_audit = ReferralAudit.objects.create(referral=old_open, action="read")
    recent_audit = ReferralAudit.objects.create(referral=old_open, action="read")
    age(ReferralAudit, old_audit.pk, days=1826, field="at")
    age(ReferralAudit, recent_audit.pk, days=1824, field="at")

    call_command("purge_expired_data")

    assert set(Referral.objects.values_list("pk", flat=True)) == {recent_closed.pk, old_open.pk}
    assert set(ReferralAudit.objects.filter(referral=old_open).values_list("pk", flat=True)) == {
        recent_audit.pk
    }


@override_settings(RETENTION_CLOSED_REFERRAL_DAYS=10, RETENTION_AUDIT_DAYS=10)
def test_purge_follows_the_settings():
    closed = ReferralFactory(status=ReferralStatus.CLOSED)
    age(Referral, closed.pk, days=11, field="updated_at")

    call_command("purge_expired_data")

    assert not Referral.objects.filter(pk=closed.pk).exists()


@override_settings(RETENTION_CLOSED_REFERRAL_DAYS=10, RETENTION_AUDIT_DAYS=10)
def test_purging_a_referral_keeps_the_conversation_about_it_for_its_participants():
    closed = ReferralFactory(status=ReferralStatus.CLOSED)
    age(Referral, closed.pk, days=11, field="updated_at")
    conversation = ConversationFactory(referral=closed)
    message = MessageFactory(conversation=conversation)

    call_command("purge_expired_data")

    conversation.refresh_from_db()
    assert conversation.referral_id is None
    assert Message.objects.filter(pk=message.pk).exists()
