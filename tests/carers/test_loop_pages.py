"""The closed loop's pages (issue 14; carers/loop_pages.py): partner services' workers see and
answer the referrals sent to their service, and nothing more than the API shows them; the person
agrees, withdraws and asks not to be contacted online, and reads the steps and who read their
data on their account page; coordinators ask consent and send from a referral's page."""

import pytest

from audit.models import AccessRecord
from carers.models import ReferralAudit, ReferralConsent, ReferralStep
from carers.services.loop import referral_consent_record, referral_send
from notifications.models import Notification
from notifications.selectors import notification_text
from tests.carers.factories import ReferralFactory
from tests.directory.factories import ServiceFactory, ServiceWorkerFactory
from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db
WORDING = "2026-12"


@pytest.fixture
def cpas(places):
    """A service serving Namur (where the referrals' people live). Not of the kind `cpas`: the
    directory, when loaded, already has Namur's (one per municipality)."""
    return ServiceFactory(
        name_fr="CPAS de Namur", name_nl="OCMW Namen", kind="other", coverage=["92094"]
    )


@pytest.fixture
def worker(cpas):
    return ServiceWorkerFactory(service=cpas, user__display_name="Wanda").user


@pytest.fixture
def referral(db):
    return ReferralFactory(
        person__display_name="Marie Dubois", person__email="marie@example.be", person__language="nl"
    )


def sent(referral, coordinator, service):
    referral_consent_record(
        referral=referral,
        actor=coordinator,
        service=service,
        wording_version=WORDING,
        given_by="coordinator",
        note="Phone call, 3 March",
    )
    referral_send(referral=referral, coordinator=coordinator, service=service)
    referral.refresh_from_db()
    return referral


def html_of(client, user, path: str) -> str:
    client.force_login(user)
    response = client.get(path, {"lang": "en"})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Partner services' workers ----------------------------------------------------------------


def test_a_worker_sees_only_their_services_referrals_and_each_listing_is_in_the_access_log(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)
    elsewhere = sent(
        ReferralFactory(person__display_name="Jan Peeters"), coordinator, ServiceFactory()
    )

    html = html_of(client, worker, "/partner/referrals/")

    assert "Marie Dubois" in html
    assert "Jan Peeters" not in html
    page = Page(html)
    assert page.find("strong", **{"data-testid": "count-sent"}).text == "1"
    assert AccessRecord.objects.filter(
        subject=referral.person, reader=worker, reader_role="service_worker"
    ).exists()
    assert not AccessRecord.objects.filter(subject=elsewhere.person, reader=worker).exists()
    client.force_login(worker)
    assert client.get(f"/partner/referrals/{elsewhere.pk}/").status_code == 404


def test_the_referral_page_shows_the_shared_summary_and_no_coordinator_notes(
    client, coordinator, referral, cpas, worker
):
    referral.notes.create(author=coordinator, text="Private: her son drinks.")
    sent(referral, coordinator, cpas)

    html = html_of(client, worker, f"/partner/referrals/{referral.pk}/")

    assert "Marie Dubois" in html
    assert "marie@example.be" in html
    assert "Dutch" in html  # the person's language
    assert "Private: her son drinks." not in html
    assert "Phone call, 3 March" not in html  # the consent's note is the coordinators'
    assert ReferralAudit.objects.filter(referral=referral, actor=worker, action="read").exists()
    assert AccessRecord.objects.filter(
        subject=referral.person, reader=worker, organisation="CPAS de Namur"
    ).exists()


def test_a_worker_accepts_records_in_progress_and_closes_with_an_outcome(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)
    client.force_login(worker)
    base = f"/partner/referrals/{referral.pk}"

    assert client.post(f"{base}/accept/", {"accept-note": ""}).status_code == 302
    assert client.post(f"{base}/progress/", {"progress-note": "Called her"}).status_code == 302
    response = client.post(
        f"{base}/close/", {"close-outcome": "recognition_applied", "close-note": "Filed"}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.closing_outcome == "recognition_applied"
    assert list(
        ReferralStep.objects.filter(referral=referral, actor=worker).values_list(
            "status", flat=True
        )
    ) == ["accepted", "in_progress", "closed"]


def test_a_decline_needs_a_reason_from_the_list(client, coordinator, referral, cpas, worker):
    sent(referral, coordinator, cpas)
    client.force_login(worker)

    response = client.post(
        f"/partner/referrals/{referral.pk}/decline/?lang=en", {"decline-reason": "bored"}
    )

    assert response.status_code == 400
    assert "Something needs your attention" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_move_the_status_does_not_allow_is_refused_with_a_message(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)
    client.force_login(worker)

    response = client.post(
        f"/partner/referrals/{referral.pk}/progress/?lang=en", {"progress-note": ""}, follow=True
    )

    assert "this step is not possible now" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_others_cannot_open_the_partner_pages(client, requester, coordinator):
    assert client.get("/partner/referrals/").status_code == 302  # to the login page
    for user in (requester, coordinator):
        client.force_login(user)
        assert client.get("/partner/referrals/").status_code == 403


def test_a_withdrawn_referral_leaves_the_list_and_its_page_is_a_404(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)
    client.force_login(referral.person)
    client.post(f"/account/referrals/{referral.pk}/withdraw/")

    client.force_login(worker)
    assert client.get(f"/partner/referrals/{referral.pk}/").status_code == 404
    assert "Marie Dubois" not in client.get("/partner/referrals/").content.decode()


def test_the_workers_home_counts_their_queue_and_signing_in_leads_to_it(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)

    page = Page(html_of(client, worker, "/"))

    assert page.find("span", **{"data-queue": "partner_sent"}).text == "1"
    assert page.find("span", **{"data-queue": "partner_accepted"}).text == "0"
    client.logout()
    worker.set_password("a long enough password 1")
    worker.save()
    response = client.post(
        "/login/", {"email": worker.email, "password": "a long enough password 1"}
    )
    assert response.status_code == 302
    assert response["Location"] in (
        "/partner/referrals/",
        "/privacy/accept/?next=%2Fpartner%2Freferrals%2F",
    )


# --- The person -------------------------------------------------------------------------------


def test_the_person_agrees_online_to_the_service_they_are_asked_about(
    client, coordinator, referral, cpas
):
    client.force_login(coordinator)
    client.post(f"/coordinator/referrals/{referral.pk}/ask-consent/", {"ask-service": cpas.pk})
    referral.refresh_from_db()
    assert referral.status == "consent_asked"

    html = html_of(client, referral.person, "/account/referrals/")
    assert "Do you agree to be put in touch with CPAS de Namur / OCMW Namen?" in html
    assert "your e-mail address or phone number" in html
    response = client.post(
        f"/account/referrals/{referral.pk}/consent/", {"wording_version": WORDING}
    )

    assert response.status_code == 302
    consent = ReferralConsent.objects.get(referral=referral)
    assert (consent.service, consent.given_by, consent.recorded_by) == (
        cpas,
        "person",
        referral.person,
    )
    told = Notification.objects.filter(recipient=referral.person).latest("id")
    assert notification_text(notification=told, language="nl")[1] == (
        "Uw toestemming om in contact gebracht te worden met OCMW Namen is geregistreerd. "
        "Een coördinator stuurt uw gegevens ernaar door."
    )
    assert told.url == "/account/referrals/"


def test_the_person_withdraws_and_asks_not_to_be_contacted(client, coordinator, referral, cpas):
    sent(referral, coordinator, cpas)
    client.force_login(referral.person)

    client.post("/account/contact-preference/", {"do_not_contact": "yes"})

    referral.refresh_from_db()
    assert referral.referred_to is None and referral.status == "draft"
    html = html_of(client, referral.person, "/account/referrals/")
    assert "On: no coordinator will put a service in touch with you" in html
    client.force_login(coordinator)
    client.post(f"/coordinator/referrals/{referral.pk}/ask-consent/", {"ask-service": cpas.pk})
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_nobody_else_answers_for_the_person(client, outsider, coordinator, referral, cpas):
    client.force_login(coordinator)
    client.post(f"/coordinator/referrals/{referral.pk}/ask-consent/", {"ask-service": cpas.pk})
    client.force_login(outsider)

    assert client.post(f"/account/referrals/{referral.pk}/consent/").status_code == 404
    assert client.post(f"/account/referrals/{referral.pk}/withdraw/").status_code == 404
    assert not ReferralConsent.objects.exists()


def test_the_account_page_shows_the_steps_and_who_read_the_referral(
    client, coordinator, referral, cpas, worker
):
    sent(referral, coordinator, cpas)
    html_of(client, coordinator, f"/coordinator/referrals/{referral.pk}/")
    html_of(client, worker, f"/partner/referrals/{referral.pk}/")

    html = html_of(client, referral.person, "/account/")

    page = Page(html)
    steps = page.find("ol", **{"data-testid": "referral-steps"})
    assert "Sent to the service – CPAS de Namur" in " ".join(steps.text.split())
    assert f"{coordinator.display_name} (Tandem), coordinator, read your referral" in html
    assert "Wanda (CPAS de Namur), worker of a partner service, read your referral" in html


# --- Coordinators -----------------------------------------------------------------------------


def test_a_coordinator_records_a_phone_consent_and_sends_from_the_referrals_page(
    client, coordinator, referral, cpas, worker
):
    client.force_login(coordinator)
    path = f"/coordinator/referrals/{referral.pk}"

    without = client.post(f"{path}/send/?lang=en", {"send-service": cpas.pk}, follow=True)
    assert referral.__class__.objects.get(pk=referral.pk).status == "draft"
    assert "Select a valid choice" in without.content.decode()
    no_note = client.post(f"{path}/consent/?lang=en", {"consent-service": cpas.pk}, follow=True)
    assert "This field is required" in no_note.content.decode()
    client.post(f"{path}/consent/", {"consent-service": cpas.pk, "consent-note": "By phone"})
    client.post(f"{path}/send/", {"send-service": cpas.pk})

    referral.refresh_from_db()
    assert (referral.status, referral.referred_to) == ("sent", cpas)
    html = html_of(client, coordinator, f"{path}/")
    assert "By phone" in html
