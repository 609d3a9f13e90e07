"""The closed loop (issue 14; CONTRACT.md "Service partners and access log"; docs/REFERRALS.md
"The closed loop"): consent per service, sending, the partner service's answers, withdrawal,
"don't contact me", reminders, and what the person is told."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AccessRecord
from carers.models import ReferralConsent, ReferralStep
from carers.services.loop import referral_reminders_send, working_days_between
from core.periodic import periodic_jobs_enqueue
from notifications.models import Notification
from notifications.selectors import notification_text
from tests.carers.factories import ReferralFactory
from tests.directory.factories import ServiceFactory, ServiceWorkerFactory
from tests.jobs import jobs_run

pytestmark = pytest.mark.django_db
WORDING = "2026-12"


@pytest.fixture
def cpas():
    return ServiceFactory(name_fr="CPAS de Namur", name_nl="OCMW Namen", kind="other")


@pytest.fixture
def worker(cpas):
    return ServiceWorkerFactory(service=cpas, user__display_name="Wanda").user


@pytest.fixture
def other_worker():
    return ServiceWorkerFactory(user__display_name="Omar").user


@pytest.fixture
def referral(db):
    return ReferralFactory(person__display_name="Marie Dubois", person__language="nl")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def consent(client, referral, service, **body):
    body = {"service": service.pk, "wording_version": WORDING, **body}
    return client.post(f"/api/referrals/{referral.pk}/consents/", body, format="json")


def send(client, referral, service):
    return client.post(
        f"/api/referrals/{referral.pk}/send/", {"service": service.pk}, format="json"
    )


def sent_with_consent(coordinator, referral, service):
    assert (
        consent(
            api(coordinator), referral, service, given_by="coordinator", note="Phone, 3 March"
        ).status_code
        == 201
    )
    assert send(api(coordinator), referral, service).status_code == 200
    referral.refresh_from_db()
    return referral


# --- Consent per service ----------------------------------------------------------------------


def test_sending_without_consent_for_that_service_is_a_409(coordinator, referral, cpas):
    response = send(api(coordinator), referral, cpas)

    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"
    referral.refresh_from_db()
    assert referral.status == "draft" and referral.referred_to is None


def test_a_new_service_needs_a_new_consent(coordinator, referral, cpas):
    sent_with_consent(coordinator, referral, cpas)
    other = ServiceFactory(name_fr="CASD Namur")

    response = send(api(coordinator), referral, other)

    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"
    referral.refresh_from_db()
    assert referral.referred_to == cpas


def test_the_person_consents_online_and_the_coordinator_then_sends(
    coordinator, referral, cpas, worker
):
    asked = api(coordinator).post(
        f"/api/referrals/{referral.pk}/ask-consent/", {"service": cpas.pk}, format="json"
    )
    assert asked.json()["status"] == "consent_asked"
    mine = api(referral.person).get("/api/me/referrals/", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert mine[0]["proposed_service"]["name"] == "OCMW Namen"  # in the reader's language
    assert WORDING == mine[0]["consent_wording"]["version"]
    assert [field["code"] for field in mine[0]["shared_fields"]] == [
        "display_name",
        "contact",
        "language",
        "municipality",
        "reasons",
    ]

    given = consent(api(referral.person), referral, cpas, given_by="person")
    assert given.status_code == 201
    assert given.json()["given_by"] == "person"
    assert send(api(coordinator), referral, cpas).json()["status"] == "sent"
    assert [r["id"] for r in api(worker).get("/api/partner/referrals/").json()] == [referral.pk]


def test_a_coordinator_records_consent_with_a_note_only(coordinator, referral, cpas):
    response = consent(api(coordinator), referral, cpas, given_by="coordinator")

    assert response.status_code == 400
    assert not ReferralConsent.objects.exists()


def test_nobody_else_records_consent_and_a_coordinator_cannot_claim_the_person_did(
    coordinator, outsider, referral, cpas
):
    assert consent(api(outsider), referral, cpas, given_by="person").status_code == 404
    assert consent(api(coordinator), referral, cpas, given_by="person").status_code == 400
    assert (
        consent(
            api(referral.person), referral, cpas, given_by="person", wording_version="1999"
        ).status_code
        == 400
    )
    assert not ReferralConsent.objects.exists()


def test_errors_are_in_the_callers_language(coordinator, referral, cpas):
    client = api(coordinator)
    response = client.post(
        f"/api/referrals/{referral.pk}/send/",
        {"service": cpas.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 409
    assert "consentement" in response.json()["detail"]


# --- Withdrawal and "don't contact me" -------------------------------------------------------


def test_withdrawn_consent_the_service_loses_the_referral_at_once(
    coordinator, referral, cpas, worker
):
    sent_with_consent(coordinator, referral, cpas)
    partner = api(worker)
    assert partner.get(f"/api/partner/referrals/{referral.pk}/").status_code == 200

    withdrawn = api(referral.person).post(f"/api/me/referrals/{referral.pk}/withdraw-consent/")

    assert withdrawn.status_code == 200
    assert partner.get(f"/api/partner/referrals/{referral.pk}/").status_code == 404
    assert partner.get("/api/partner/referrals/").json() == []
    assert partner.post(f"/api/partner/referrals/{referral.pk}/accept/").status_code == 404
    referral.refresh_from_db()
    assert referral.referred_to is None and referral.status == "draft"
    # Sending again needs a new consent.
    assert send(api(coordinator), referral, cpas).status_code == 409


def test_withdrawn_consent_only_that_referral_leaves_the_list_and_a_new_service_needs_consent(
    coordinator, referral, cpas, worker
):
    """The acceptance item in full: after the withdrawal, the service's next read is a 404 and
    the referral leaves its list (its other referrals stay); sending it to another service
    needs a consent for that service (409 without); once given, that service sees it and the
    first one still does not."""
    sent_with_consent(coordinator, referral, cpas)
    still_shared = sent_with_consent(coordinator, ReferralFactory(), cpas)
    partner = api(worker)
    assert {r["id"] for r in partner.get("/api/partner/referrals/").json()} == {
        referral.pk,
        still_shared.pk,
    }

    api(referral.person).post(f"/api/me/referrals/{referral.pk}/withdraw-consent/")

    assert partner.get(f"/api/partner/referrals/{referral.pk}/").status_code == 404
    assert [r["id"] for r in partner.get("/api/partner/referrals/").json()] == [still_shared.pk]
    casd = ServiceFactory(name_fr="CASD de Namur")
    casd_worker = ServiceWorkerFactory(service=casd).user
    refused = send(api(coordinator), referral, casd)
    assert (refused.status_code, refused.json()["code"]) == (409, "consent_required")
    assert api(casd_worker).get(f"/api/partner/referrals/{referral.pk}/").status_code == 404

    given = consent(api(referral.person), referral, casd, given_by="person")
    assert given.status_code == 201
    assert send(api(coordinator), referral, casd).status_code == 200

    assert api(casd_worker).get(f"/api/partner/referrals/{referral.pk}/").status_code == 200
    assert partner.get(f"/api/partner/referrals/{referral.pk}/").status_code == 404
    assert [r["id"] for r in partner.get("/api/partner/referrals/").json()] == [still_shared.pk]


def test_withdrawn_consent_takes_the_referral_from_a_service_already_working_on_it(
    coordinator, referral, cpas, worker
):
    sent_with_consent(coordinator, referral, cpas)
    base = f"/api/partner/referrals/{referral.pk}/"
    partner = api(worker)
    assert partner.post(base + "accept/").status_code == 200
    assert partner.post(base + "progress/").status_code == 200

    api(referral.person).post(f"/api/me/referrals/{referral.pk}/withdraw-consent/")

    assert partner.get(base).status_code == 404
    assert partner.post(base + "close/", {"outcome": "no_need"}, format="json").status_code == 404
    assert partner.get("/api/partner/referrals/").json() == []
    referral.refresh_from_db()
    assert (referral.status, referral.referred_to) == ("draft", None)


def test_a_coordinator_withdraws_on_the_persons_word(coordinator, referral, cpas, worker):
    sent_with_consent(coordinator, referral, cpas)

    response = api(coordinator).post(
        f"/api/referrals/{referral.pk}/withdraw-consent/", {"note": "She called"}, format="json"
    )

    assert response.status_code == 200
    assert api(worker).get(f"/api/partner/referrals/{referral.pk}/").status_code == 404


def test_do_not_contact_withdraws_everything_and_refuses_new_consents(
    coordinator, referral, cpas, worker
):
    sent_with_consent(coordinator, referral, cpas)

    response = api(referral.person).post(
        "/api/me/contact-preference/", {"do_not_contact": True}, format="json"
    )

    assert response.json() == {"do_not_contact": True}
    assert api(worker).get("/api/partner/referrals/").json() == []
    refused = consent(api(coordinator), referral, cpas, given_by="coordinator", note="Phone")
    assert refused.status_code == 409
    assert refused.json()["code"] == "do_not_contact"
    assert (
        api(referral.person)
        .post("/api/me/contact-preference/", {"do_not_contact": "yes"}, format="json")
        .status_code
        == 400
    )


# --- Service A does not see service B's referrals ----------------------------------------------


def test_a_worker_of_another_service_sees_nothing(coordinator, referral, cpas, other_worker):
    sent_with_consent(coordinator, referral, cpas)
    other = api(other_worker)

    assert other.get("/api/partner/referrals/").json() == []
    assert other.get(f"/api/partner/referrals/{referral.pk}/").status_code == 404
    assert other.post(f"/api/partner/referrals/{referral.pk}/accept/").status_code == 404


def test_service_workers_do_not_see_the_coordinators_queue(worker):
    assert api(worker).get("/api/referrals/").status_code == 403


# --- The loop --------------------------------------------------------------------------------


def test_the_service_accepts_works_and_closes_with_an_outcome(coordinator, referral, cpas, worker):
    sent_with_consent(coordinator, referral, cpas)
    partner = api(worker)
    base = f"/api/partner/referrals/{referral.pk}/"

    shown = partner.get(base).json()
    assert shown["person"]["display_name"] == "Marie Dubois"
    assert "notes" not in shown and "assessment" not in shown
    assert partner.post(base + "accept/").json()["status"] == "accepted"
    assert (
        partner.post(base + "progress/", {"note": "Assessment planned"}, format="json").json()[
            "status"
        ]
        == "in_progress"
    )
    assert partner.post(base + "close/", {"outcome": "lost"}, format="json").status_code == 400
    closed = partner.post(
        base + "close/", {"outcome": "recognition_applied", "note": "Filed"}, format="json"
    )

    assert closed.json()["status"] == "closed"
    assert closed.json()["closing_outcome"] == "recognition_applied"
    steps = list(ReferralStep.objects.filter(referral=referral).values_list("status", "actor_role"))
    assert steps[-3:] == [
        ("accepted", "service_worker"),
        ("in_progress", "service_worker"),
        ("closed", "service_worker"),
    ]
    # Reads by the service are in the person's access log, with the service named.
    record = AccessRecord.objects.filter(subject=referral.person, reader=worker).first()
    assert record.reader_role == "service_worker" and record.organisation == "CPAS de Namur"


def test_the_service_declines_with_a_reason_and_cannot_skip_steps(
    coordinator, referral, cpas, worker
):
    sent_with_consent(coordinator, referral, cpas)
    base = f"/api/partner/referrals/{referral.pk}/"
    partner = api(worker)

    assert partner.post(base + "progress/").status_code == 409
    assert partner.post(base + "decline/", {}, format="json").status_code == 400
    declined = partner.post(base + "decline/", {"reason": "no_capacity"}, format="json")

    assert declined.json()["status"] == "declined"
    assert partner.post(base + "accept/").status_code == 409
    assert Notification.objects.filter(recipient=coordinator, kind="referral.declined").exists()


def test_the_person_is_told_each_step_in_their_language(coordinator, referral, cpas, worker):
    sent_with_consent(coordinator, referral, cpas)
    api(worker).post(f"/api/partner/referrals/{referral.pk}/accept/")

    told = Notification.objects.filter(recipient=referral.person, kind="referral.updated")
    bodies = [notification_text(notification=n, language="nl")[1] for n in told.order_by("id")]
    assert any("OCMW Namen" in body for body in bodies)
    assert Notification.objects.filter(recipient=worker, kind="referral.received").count() == 1


# --- Reminders -------------------------------------------------------------------------------


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 12, 4)
    assert working_days_between(friday, datetime.date(2026, 12, 7)) == 1  # Monday
    assert working_days_between(friday, datetime.date(2026, 12, 11)) == 5


@override_settings(REFERRAL_REMINDER_WORKING_DAYS=2, REFERRAL_ESCALATION_WORKING_DAYS=4)
def test_unanswered_referrals_remind_the_service_then_alert_coordinators(
    coordinator, referral, cpas, worker
):
    sent_with_consent(coordinator, referral, cpas)
    monday = timezone.make_aware(datetime.datetime(2026, 12, 7, 9))
    type(referral).objects.filter(pk=referral.pk).update(sent_at=monday)

    assert referral_reminders_send(now=monday + datetime.timedelta(days=1)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert referral_reminders_send(now=monday + datetime.timedelta(days=2)) == {
        "reminded": 1,
        "escalated": 0,
    }
    assert referral_reminders_send(now=monday + datetime.timedelta(days=3)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert referral_reminders_send(now=monday + datetime.timedelta(days=4)) == {
        "reminded": 0,
        "escalated": 1,
    }
    assert Notification.objects.filter(recipient=worker, kind="referral.reminder").count() == 1
    assert (
        Notification.objects.filter(recipient=coordinator, kind="referral.unanswered").count() == 1
    )


# --- Service workers: invitation, /api/me/, MFA ---------------------------------------------


def test_a_coordinator_invites_a_service_worker_who_sets_a_password(
    coordinator, cpas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(coordinator).post(
            f"/api/services/{cpas.pk}/members/",
            {"email": "Wanda@cpas.example", "display_name": "Wanda", "language": "nl"},
            format="json",
        )

    assert response.status_code == 201
    assert response.json()["email_verified"] is False
    [invitation] = mail.outbox
    assert invitation.to == ["wanda@cpas.example"]
    link = next(word for word in invitation.body.split() if "/password-reset/confirm/" in word)
    query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
    confirmed = api().post(
        "/api/auth/password-reset/confirm/",
        {"uid": query["uid"], "token": query["token"], "new_password": "a-long-Passphrase-42"},
        format="json",
    )
    assert confirmed.status_code == 200
    token = api().post(
        "/api/auth/token/",
        {"email": "wanda@cpas.example", "password": "a-long-Passphrase-42"},
        format="json",
    )
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    body = me.get("/api/me/").json()
    assert body["roles"] == ["service_worker"] and body["service"] == cpas.pk
    assert body["email_verified"] is True


def test_an_address_in_use_cannot_be_invited(coordinator, cpas, helper):
    response = api(coordinator).post(
        f"/api/services/{cpas.pk}/members/", {"email": helper.email}, format="json"
    )
    assert response.status_code == 400
    assert "email" in response.json()


@override_settings(REFERRAL_REMINDER_WORKING_DAYS=2, REFERRAL_ESCALATION_WORKING_DAYS=4)
def test_the_job_worker_sends_the_reminders_every_hour(coordinator, referral, cpas, worker):
    sent_with_consent(coordinator, referral, cpas)
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    type(referral).objects.filter(pk=referral.pk).update(sent_at=a_week_ago)

    assert "referrals.reminders" in periodic_jobs_enqueue()
    jobs_run()

    assert Notification.objects.filter(recipient=worker, kind="referral.reminder").count() == 1
    assert Notification.objects.filter(recipient=coordinator, kind="referral.unanswered").exists()


@override_settings(COORDINATOR_MFA_REQUIRED=True)
def test_service_workers_need_a_second_factor_like_coordinators(worker):
    worker.set_password("a-long-Passphrase-42")
    worker.save()
    response = api().post(
        "/api/auth/token/",
        {"email": worker.email, "password": "a-long-Passphrase-42"},
        format="json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
