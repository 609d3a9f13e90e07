"""GET/PATCH /api/referrals/ and the audit log (CONTRACT.md, "Carers and referrals"):
only coordinators see referrals, and every read, list and change is recorded."""

import pytest
from rest_framework.test import APIClient

from carers.models import Referral, ReferralAudit, ReferralNote
from directory.models import Service
from tests.accounts.factories import UserFactory
from tests.carers.factories import ReferralFactory

pytestmark = pytest.mark.django_db
LIST = "/api/referrals/"


def detail(referral) -> str:
    return f"/api/referrals/{referral.pk}/"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def referral(db):
    return ReferralFactory(person__display_name="Marie Dubois")


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_authenticate(coordinator)
    return client


def namur_cpas() -> Service:
    return Service.objects.get(key="cpas-92094")


# --- Who may see referrals -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch"])
def test_anonymous_visitors_get_401(client, referral, method):
    assert getattr(client, method)(LIST if method == "get" else detail(referral)).status_code == 401
    assert client.get(detail(referral)).status_code == 401
    assert client.get(detail(referral) + "audit/").status_code == 401


@pytest.mark.parametrize("persona", ["requester", "helper"])
def test_helppies_and_helpers_get_403_everywhere(client, referral, persona, request):
    client.force_authenticate(request.getfixturevalue(persona))

    assert client.get(LIST).status_code == 403
    assert client.get(detail(referral)).status_code == 403
    assert client.patch(detail(referral), {"status": "contacted"}, format="json").status_code == 403
    assert client.get(detail(referral) + "audit/").status_code == 403
    assert not ReferralAudit.objects.filter(action__in=["list", "read"]).exists()


def test_the_person_a_referral_is_about_cannot_read_it_either(client, referral):
    client.force_authenticate(referral.person)

    assert client.get(detail(referral)).status_code == 403


def test_a_coordinator_lists_referrals_in_the_contract_shape(as_coordinator, referral):
    response = as_coordinator.get(LIST)

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == referral.pk
    assert item["status"] == "draft"
    assert item["source"] == "request"
    assert item["consent"] == "pending"
    assert item["person"]["display_name"] == "Marie Dubois"
    assert item["person"]["postcode"] == "5000"
    assert item["reasons"][0]["text"]
    assert "created_at" in item


def test_an_unknown_referral_is_a_404(as_coordinator):
    assert as_coordinator.get("/api/referrals/999999/").status_code == 404


# --- Audit -----------------------------------------------------------------------------------


def test_every_referral_listed_gets_a_list_entry_naming_the_coordinator(
    as_coordinator, coordinator
):
    referrals = ReferralFactory.create_batch(3)

    as_coordinator.get(LIST)

    for referral in referrals:
        [entry] = ReferralAudit.objects.filter(referral=referral, action="list")
        assert entry.actor == coordinator


def test_each_coordinator_read_appears_in_the_audit(client, referral):
    first, second = UserFactory(coordinator=True), UserFactory(coordinator=True)
    for reader in (first, second, first):
        client.force_authenticate(reader)
        assert client.get(detail(referral)).status_code == 200

    client.force_authenticate(second)
    audit = client.get(detail(referral) + "audit/").json()

    reads = [(entry["who"]["id"], entry["action"]) for entry in audit if entry["action"] == "read"]
    assert reads == [(first.pk, "read"), (second.pk, "read"), (first.pk, "read")]
    assert all(entry["at"] for entry in audit)


def test_a_change_is_audited_with_what_changed(as_coordinator, referral, coordinator):
    as_coordinator.patch(
        detail(referral), {"status": "contacted", "note": "Called her."}, format="json"
    )

    [entry] = ReferralAudit.objects.filter(referral=referral, action="update")
    assert entry.actor == coordinator
    # v1 "contacted" is stored as its v2 name (docs/REFERRALS.md, "Statuses").
    assert entry.details["changes"]["status"] == ["draft", "consent_asked"]
    assert "Called her." not in str(entry.details)  # the note's id, not its text


# --- Filters ---------------------------------------------------------------------------------


def test_the_queue_filters_by_status_municipality_and_source(as_coordinator):
    namur_new = ReferralFactory()
    namur_contacted = ReferralFactory(status="consent_asked")
    ghent = ReferralFactory(postcode="9000", municipality_id="44021", source="assessment")

    def ids(**filters):
        return {item["id"] for item in as_coordinator.get(LIST, filters).json()}

    assert ids(status="new") == {namur_new.pk, ghent.pk}
    assert ids(municipality="92094") == {namur_new.pk, namur_contacted.pk}
    assert ids(source="assessment") == {ghent.pk}
    assert ids(status="new", municipality="92094") == {namur_new.pk}
    assert as_coordinator.get(LIST, {"status": "lost"}).status_code == 400


def test_a_filtered_list_audits_only_what_it_shows(as_coordinator):
    shown, hidden = ReferralFactory(status="consent_asked"), ReferralFactory()

    as_coordinator.get(LIST, {"status": "contacted"})

    assert ReferralAudit.objects.filter(referral=shown, action="list").exists()
    assert not ReferralAudit.objects.filter(referral=hidden, action="list").exists()


# --- Transitions -----------------------------------------------------------------------------


def patch(client, referral, **body):
    return client.patch(detail(referral), body, format="json")


def test_a_referral_moves_forward_through_the_statuses(as_coordinator, service_directory):
    referral = ReferralFactory(with_consent=True)

    assert patch(as_coordinator, referral, status="contacted").json()["status"] == "consent_asked"
    assert (
        patch(as_coordinator, referral, status="referred", referred_to=namur_cpas().pk).json()[
            "referred_to"
        ]["name"]
        == "CPAS de Namur"
    )
    closed = patch(as_coordinator, referral, status="closed", outcome="Met the CPAS.").json()
    assert closed["status"] == "closed"
    assert closed["outcome"] == "Met the CPAS."


def test_steps_may_be_skipped(as_coordinator, referral):
    assert patch(as_coordinator, referral, status="closed").status_code == 200


def test_a_referral_never_moves_back(as_coordinator):
    referral = ReferralFactory(status="sent")

    response = patch(as_coordinator, referral, status="contacted")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_closed_is_final_but_notes_can_still_be_added(as_coordinator):
    referral = ReferralFactory(status="closed")

    refused = patch(as_coordinator, referral, status="closed", outcome="Changed my mind")
    noted = patch(as_coordinator, referral, note="She called back to say thanks.")

    assert refused.status_code == 409
    assert refused.json()["code"] == "referral_closed"
    assert noted.status_code == 200
    assert ReferralNote.objects.get(referral=referral).text == "She called back to say thanks."


def test_notes_keep_their_author_and_show_in_the_detail(as_coordinator, referral, coordinator):
    patch(as_coordinator, referral, note="Left a voicemail.")

    [note] = as_coordinator.get(detail(referral)).json()["notes"]
    assert note["text"] == "Left a voicemail."
    assert note["author"]["id"] == coordinator.pk


def test_a_referral_is_assigned_to_a_coordinator_only(as_coordinator, referral, helper):
    colleague = UserFactory(coordinator=True, display_name="Colette")

    assert (
        patch(as_coordinator, referral, assigned_to=colleague.pk).json()["assigned_to"][
            "display_name"
        ]
        == "Colette"
    )
    response = patch(as_coordinator, referral, assigned_to=helper.pk)
    assert response.status_code == 400
    assert "assigned_to" in response.json()


def test_unknown_fields_and_statuses_are_refused(as_coordinator, referral):
    assert patch(as_coordinator, referral, status="lost").status_code == 400
    assert patch(as_coordinator, referral, colour="blue").status_code == 400
    assert patch(as_coordinator, referral, referred_to=999999).status_code == 400


# --- Consent ---------------------------------------------------------------------------------


def test_sharing_with_a_service_without_consent_is_a_409(as_coordinator, service_directory):
    referral = ReferralFactory()  # consent pending

    response = patch(as_coordinator, referral, status="referred", referred_to=namur_cpas().pk)

    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"
    referral.refresh_from_db()
    assert referral.referred_to is None
    assert referral.status == "draft"


def test_sharing_after_a_refusal_is_a_409(as_coordinator, service_directory, referral):
    assert patch(as_coordinator, referral, consent="refused").json()["consent"] == "refused"

    response = patch(as_coordinator, referral, referred_to=namur_cpas().pk)

    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"


def test_a_coordinator_records_consent_with_its_time_and_wording_version(
    as_coordinator, service_directory, referral
):
    given = patch(as_coordinator, referral, consent="given").json()
    shared = patch(as_coordinator, referral, referred_to=namur_cpas().pk)

    assert given["consent"] == "given"
    assert given["consent_at"]
    assert given["consent_wording_version"] == "2025-01"
    assert shared.status_code == 200


def test_consent_cannot_be_withdrawn_once_used_to_share(as_coordinator, service_directory):
    referral = ReferralFactory(with_consent=True)
    patch(as_coordinator, referral, referred_to=namur_cpas().pk)

    response = patch(as_coordinator, referral, consent="refused")

    assert response.status_code == 409
    assert response.json()["code"] == "consent_already_used"


def test_the_database_itself_refuses_a_service_without_consent(service_directory):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(referred_to=namur_cpas())


# --- Manual referrals ------------------------------------------------------------------------


def test_a_coordinator_enters_a_referral_by_hand(as_coordinator, coordinator):
    response = as_coordinator.post(LIST, {"postcode": "5000", "note": "Phone call."}, format="json")

    referral = Referral.objects.get(pk=response.json()["id"])
    assert response.status_code == 201
    assert referral.source == "manual"
    assert referral.municipality_id == "92094"
    assert referral.assigned_to == coordinator
