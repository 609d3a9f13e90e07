"""Where referrals come from: a help request with `likely_carer`, an assessment with
`contact_consent`, a helper's concern, and what happens to them when an account is erased."""

import pytest
from rest_framework.test import APIClient

from carers.models import Referral, ReferralAudit, ReferralNote
from carers.services.referrals import referral_open_for_request, referrals_close_for_user
from detection.carer_situation import carer_signal_for_request
from tests.carers.factories import AnswersFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

LIKELY = carer_signal_for_request(
    description="Ma mère a la maladie d'Alzheimer, je m'en occupe tous les jours.",
    for_someone_else=True,
    relationship="parent",
    cared_for_age=84,
    care_hours_per_week=20,
    language="fr",
)
UNLIKELY = carer_signal_for_request(
    description="Faire les courses au supermarché",
    for_someone_else=False,
    relationship="",
    cared_for_age=None,
    care_hours_per_week=None,
    language="fr",
)


@pytest.fixture
def client():
    return APIClient()


# --- Help requests ---------------------------------------------------------------------------


def test_a_likely_carer_request_opens_one_pending_referral():
    help_request = HelpRequestFactory()

    referral = referral_open_for_request(help_request=help_request, signal=LIKELY)

    assert referral.source == "request"
    assert referral.person == help_request.requester
    assert referral.consent == "pending"
    assert referral.municipality_id == "92094"
    assert referral.reasons == [
        {"code": "signal.care_hours", "params": {"hours": 20.0}},
        {"code": "signal.condition", "params": {}},
        {"code": "signal.relative", "params": {}},
        {"code": "signal.regular_care", "params": {}},
        {"code": "signal.older_age", "params": {}},
    ]
    assert ReferralAudit.objects.filter(referral=referral, action="create").exists()


def test_opening_again_for_the_same_request_returns_the_same_referral():
    help_request = HelpRequestFactory()

    first = referral_open_for_request(help_request=help_request, signal=LIKELY)
    second = referral_open_for_request(help_request=help_request, signal=LIKELY)

    assert first == second
    assert Referral.objects.filter(help_request=help_request).count() == 1


def test_a_request_without_the_signal_opens_nothing():
    help_request = HelpRequestFactory()

    opened = referral_open_for_request(help_request=help_request, signal=UNLIKELY)

    assert opened is None
    assert not Referral.objects.exists()


# --- Assessments -----------------------------------------------------------------------------


def post_assessment(client, **extra):
    body = {**AnswersFactory(), "postcode": "5000", **extra}
    return client.post("/api/carers/assessments/", body, format="json")


def test_an_assessment_with_consent_opens_a_referral_with_the_consent_recorded(client):
    response = post_assessment(client, contact_consent=True, contact={"email": "anne@example.org"})

    referral = Referral.objects.get(assessment_id=response.json()["id"])
    assert response.status_code == 201
    assert referral.source == "assessment"
    assert referral.person is None  # anonymous: the contact is on the assessment
    assert referral.assessment.contact == {"email": "anne@example.org"}
    assert referral.consent == "given"
    assert referral.consent_at is not None
    assert referral.consent_wording_version == "2025-01"
    assert referral.municipality_id == "92094"
    assert referral.reasons[0]["params"]["general"] == "likely"


def test_an_assessment_without_consent_opens_nothing(client):
    assert post_assessment(client).status_code == 201
    assert not Referral.objects.exists()


def test_the_coordinator_sees_the_contact_the_person_gave(client, coordinator):
    post_assessment(client, contact_consent=True, contact={"phone": "0470 12 34 56"})
    client.force_authenticate(coordinator)

    [item] = client.get("/api/referrals/").json()
    referral = client.get(f"/api/referrals/{item['id']}/").json()

    assert item["source"] == "assessment"
    assert item["consent"] == "given"
    assert referral["contact"] == {"phone": "0470 12 34 56"}
    assert referral["reasons"][1]["code"] == "assessment.contact_requested"


# --- Helpers' concerns -----------------------------------------------------------------------


def concern_url(help_request) -> str:
    return f"/api/requests/{help_request.pk}/concerns/"


@pytest.fixture
def matched_request(helper):
    return HelpRequestFactory(status="matched", matched_helper=helper)


def test_the_matched_helper_raises_a_concern_that_reaches_the_coordinators(
    client, helper, matched_request
):
    client.force_authenticate(helper)

    response = client.post(
        concern_url(matched_request),
        {"kind": "exhaustion", "text": "Her husband looks exhausted."},
        format="json",
    )

    referral = Referral.objects.get(help_request=matched_request, source="helper_concern")
    assert response.status_code == 201
    assert set(response.json()) == {"kind", "received_at"}  # nothing about the referral
    assert referral.person == matched_request.requester
    assert referral.raised_by == helper
    assert referral.reasons == [{"code": "concern", "params": {"kind": "exhaustion"}}]
    assert ReferralNote.objects.get(referral=referral).author == helper


def test_a_second_concern_joins_the_open_referral(client, helper, matched_request):
    client.force_authenticate(helper)

    client.post(concern_url(matched_request), {"kind": "isolation"}, format="json")
    client.post(concern_url(matched_request), {"kind": "neglect"}, format="json")

    [referral] = Referral.objects.filter(source="helper_concern")
    assert [reason["params"]["kind"] for reason in referral.reasons] == ["isolation", "neglect"]


def test_another_helper_gets_a_404(client, matched_request):
    from tests.accounts.factories import UserFactory

    client.force_authenticate(UserFactory(helper=True))

    response = client.post(concern_url(matched_request), {"kind": "isolation"}, format="json")

    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_the_requester_cannot_raise_a_concern_about_themselves(client, matched_request):
    client.force_authenticate(matched_request.requester)

    response = client.post(concern_url(matched_request), {"kind": "isolation"}, format="json")

    assert response.status_code == 403


def test_a_concern_needs_a_known_kind_and_a_signed_in_helper(client, helper, matched_request):
    assert client.post(concern_url(matched_request), {"kind": "isolation"}).status_code == 401
    client.force_authenticate(helper)
    assert (
        client.post(concern_url(matched_request), {"kind": "boredom"}, format="json").status_code
        == 400
    )
    assert (
        client.post(
            "/api/requests/999999/concerns/", {"kind": "isolation"}, format="json"
        ).status_code
        == 404
    )


# --- Account erasure -------------------------------------------------------------------------


def test_erasing_an_account_closes_and_detaches_its_referrals():
    help_request = HelpRequestFactory()
    referral = referral_open_for_request(help_request=help_request, signal=LIKELY)

    assert referrals_close_for_user(user=help_request.requester) == 1

    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.person is None


def test_the_referral_stores_the_signal_reasons_as_codes_not_as_the_requesters_sentences():
    """The sentences the requester saw are in their language; the referral keeps codes."""
    referral = referral_open_for_request(help_request=HelpRequestFactory(), signal=LIKELY)

    assert [reason["code"] for reason in referral.reasons] == [
        f"signal.{reason['code']}" for reason in LIKELY.reason_codes
    ]
    assert all(set(reason) == {"code", "params"} for reason in referral.reasons)
