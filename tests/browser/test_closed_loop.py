"""The closed loop end to end in a real browser (issue 14, "Acceptance"): a likely carer's
request → a coordinator (signed in with their authenticator) asks the person's agreement for the
local CPAS → the person agrees online → the coordinator sends → the CPAS's worker (invited,
address proved by choosing a password through the invitation, authenticator set up like a
coordinator's) sees only that referral, accepts it, records "in progress", then closes it with an
outcome → the person was told of each step in their language, and their account page lists the
steps and each read of their referral, by the coordinator and by the worker.

The worker's pages and the person's account page are checked with axe-core on the way (no
serious or critical violation); tests/browser/test_accessibility_loop.py checks every page of
the loop in the four languages."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect
from rest_framework.test import APIClient

from audit.models import AccessRecord
from carers.models import Referral
from carers.services.loop import referral_consent_record, referral_send
from directory.models import Service
from tests.accounts.factories import CoordinatorFactory, UserFactory, password_for
from tests.accounts.test_second_factor import current_code, enrol
from tests.browser.test_accessibility import AXE_SCRIPT, blocking_violations, sign_in_as
from tests.carers.factories import ReferralFactory
from tests.directory.factories import ServiceFactory
from tests.geo.factories import NAMUR

pytestmark = pytest.mark.browser

WORKER_PASSWORD = "Un mot de passe assez long 7"


@pytest.fixture
def contexts(browser: Browser, live_server, places) -> Iterator[callable]:
    """New tabs, one browser context (cookie jar) per person; axe-core's script allowed in."""
    opened: list[BrowserContext] = []

    def new_tab() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="fr-BE",
            bypass_csp=True,
            viewport={"width": 1024, "height": 800},
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context.new_page()

    yield new_tab
    for context in opened:
        context.close()


def no_blocking_violation(page: Page) -> None:
    found = blocking_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)


def namur_cpas():
    """Namur's CPAS: the directory's entry when the directory is loaded (it has one CPAS per
    municipality), else one like it."""
    found = Service.objects.filter(kind="cpas", municipality_id="92094").first()
    return found or ServiceFactory(
        name_fr="CPAS de Namur", kind="cpas", municipality_id="92094", coverage=["92094"]
    )


def sign_in_with_code(page: Page, user, device: TOTPDevice) -> None:
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(password_for(user))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your one-time code")
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()


def likely_carers_request(person) -> None:
    """The person asks for help in words that say they care for a relative (POST /api/requests/,
    as the request form does): carers opens a referral in the coordinators' queue."""
    client = APIClient()
    client.force_authenticate(person)
    response = client.post(
        "/api/requests/",
        {
            "category": "company",
            "description": (
                "Je m'occupe de ma mère atteinte d'alzheimer jour et nuit, je suis épuisée."
            ),
            "postcode": "5000",
            "location": {"lat": NAMUR.y, "lon": NAMUR.x},
            "duration_minutes": 60,
            "recurrence": "weekly",
            "for_someone_else": True,
            "relationship": "parent",
            "cared_for_age": 84,
            "care_hours_per_week": 40,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["carer_signal"]["likely_carer"] is True


def invite(coordinator, service, email: str) -> str:
    """A coordinator invites the service's worker (POST /api/services/<id>/members/); returns
    the link of the invitation e-mail."""
    client = APIClient()
    client.force_authenticate(coordinator)
    response = client.post(
        f"/api/services/{service.pk}/members/",
        {"email": email, "display_name": "Wanda", "language": "en"},
        format="json",
    )
    assert response.status_code == 201, response.content
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"https?://\S+/password-reset/confirm/\S+", message.body).group(0)


def test_a_referral_goes_round_the_loop_and_the_person_sees_each_step_and_read(
    contexts, live_server, settings
):
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci)"
    settings.COORDINATOR_MFA_REQUIRED = True
    cpas = namur_cpas()
    name = cpas.name_in("fr")
    assert cpas.name_in("nl") == cpas.name_in("en") == name  # Namur's has a French name only
    casd = ServiceFactory(name_fr="Aide à domicile Namur", kind="casd", coverage=["92094"])
    coordinator = CoordinatorFactory(display_name="Cora", email="cora@example.be")
    enrol(coordinator)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)
    marie = UserFactory(
        display_name="Marie", email="marie@example.be", language="nl", postcode="5000"
    )
    # Another person's referral, sent with consent to another service of Namur.
    elsewhere = ReferralFactory(person__display_name="Jan Peeters")
    referral_consent_record(
        referral=elsewhere,
        actor=coordinator,
        service=casd,
        wording_version="2026-12",
        given_by="coordinator",
        note="By phone",
    )
    referral_send(referral=elsewhere, coordinator=coordinator, service=casd)

    # 1. A likely carer's request opens a referral.
    likely_carers_request(marie)
    referral = Referral.objects.get(person=marie)
    assert referral.status == "draft"

    # 2. The coordinator signs in with their code, opens it and asks Marie's agreement.
    desk = contexts()
    desk.goto("/login/?lang=en&next=/coordinator/")
    sign_in_with_code(desk, coordinator, device)
    expect(desk.get_by_role("heading", level=1)).to_have_text("Referral queue")
    desk.get_by_role("link", name=f"#{referral.pk}", exact=True).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Referral #{referral.pk}")
    ask = desk.locator("form[action$='/ask-consent/']")
    ask.get_by_label("Service").select_option(label=name)
    ask.get_by_role("button", name="Ask the person's agreement").click()
    expect(desk.get_by_role("status")).to_contain_text("The person is asked to agree")

    # 3. Marie reads the question in her inbox, in Dutch, and agrees online.
    person = contexts()
    person.goto("/")
    sign_in_as(person, marie, base_url=live_server.url)
    person.goto("/notifications/")
    expect(person.locator("html")).to_have_attribute("lang", "nl")
    person.get_by_role("link", name="Uw toestemming wordt gevraagd").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Uw contacten met lokale diensten")
    expect(person.get_by_role("heading", level=3).first).to_have_text(
        f"Gaat u akkoord om in contact gebracht te worden met {name}?"
    )
    person.get_by_role("button", name="Ja, ik ga akkoord").click()
    expect(person.get_by_role("status")).to_contain_text("uw toestemming is geregistreerd")

    # 4. The coordinator sends it to the CPAS.
    desk.reload()
    send = desk.locator("form[action$='/send/']")
    send.get_by_label("Service").select_option(label=name)
    send.get_by_role("button", name="Send to this service").click()
    expect(desk.get_by_role("status")).to_contain_text("The referral was sent to the service.")

    # 5. The CPAS's worker, invited by a coordinator, chooses a password through the
    # invitation (which proves the address), signs in and sets up an authenticator.
    link = invite(coordinator, cpas, "wanda@cpas.example.be")
    partner = contexts()
    partner.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), "") + "&lang=en")
    partner.get_by_label("New password", exact=True).fill(WORKER_PASSWORD)
    partner.get_by_role("button", name="Save my new password").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Log in")
    partner.goto("/login/?lang=en")
    partner.get_by_label("Email address", exact=True).fill("wanda@cpas.example.be")
    partner.get_by_label("Password", exact=True).fill(WORKER_PASSWORD)
    partner.get_by_role("button", name="Log in").click()
    for _ in range(4):
        heading = partner.get_by_role("heading", level=1).inner_text()
        if heading == "Two-step sign-in":
            worker_device = TOTPDevice.objects.get(user__email="wanda@cpas.example.be")
            partner.get_by_label("Code", exact=True).fill(current_code(worker_device))
            partner.get_by_role("button", name="Turn on two-step sign-in").click()
            expect(partner.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
            partner.get_by_role("link", name="I have kept them: continue").click()
        elif heading == "Our privacy notice":
            partner.get_by_label("I have read the privacy notice and I accept it").check()
            partner.get_by_role("button", name="Continue").click()
        else:
            break
    worker = marie.__class__.objects.get(email="wanda@cpas.example.be")
    assert worker.email_verified and worker.is_service_worker
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists()

    # 6. They land on their service's referrals: Marie's, not the other service's.
    expect(partner.get_by_role("heading", level=1)).to_have_text("Referrals sent to your service")
    expect(partner.get_by_role("table")).to_contain_text("Marie")
    expect(partner.get_by_role("table")).not_to_contain_text("Jan Peeters")
    expect(partner.locator("tbody tr")).to_have_count(1)
    no_blocking_violation(partner)
    partner.get_by_role("link", name=f"Referral #{referral.pk}").click()
    expect(partner.get_by_test_id("status")).to_have_text("Sent to the service")
    expect(partner.locator("main")).to_contain_text("marie@example.be")
    expect(partner.locator("main")).to_contain_text("Dutch")
    partner.goto(f"/partner/referrals/{elsewhere.pk}/")
    expect(partner.get_by_role("heading", level=1)).to_have_text("Not found")
    partner.goto(f"/partner/referrals/{referral.pk}/")

    # 7. Accept, in progress, then close with an outcome.
    partner.get_by_role("button", name="Accept the referral").click()
    expect(partner.get_by_test_id("status")).to_have_text("Accepted by the service")
    progress = partner.locator("form[action$='/progress/']")
    progress.get_by_label("Note (optional)").fill("Called her; a home visit is planned.")
    progress.get_by_role("button", name="Record: in progress").click()
    expect(partner.get_by_test_id("status")).to_have_text("In progress")
    close = partner.locator("form[action$='/close/']")
    close.get_by_label("Carer recognition applied for").check()
    close.get_by_label("Note (optional)").fill("Application filed with the municipality.")
    close.get_by_role("button", name="Close the referral").click()
    expect(partner.get_by_test_id("status")).to_have_text("Closed")
    no_blocking_violation(partner)

    # 8. Marie was told of each step, in Dutch.
    person.goto("/notifications/")
    inbox = person.locator(".notification-list")
    for sentence in (
        f"Een coördinator wil u in contact brengen met {name}.",
        f"Uw toestemming om in contact gebracht te worden met {name} is geregistreerd.",
        f"Uw gegevens werden naar {name} gestuurd, zoals u instemde.",
        f"{name} aanvaardde uw doorverwijzing en neemt contact met u op.",
        f"{name} werkt aan uw situatie.",
        f"{name} sloot uw doorverwijzing af: Erkenning als mantelzorger aangevraagd.",
    ):
        expect(inbox).to_contain_text(sentence)

    # 9. Her account page: the steps, and who read her referral.
    person.goto("/account/")
    steps = person.get_by_test_id("referral-steps")
    for step in ("Toestemming gevraagd", "Naar de dienst gestuurd", "Aanvaard door de dienst"):
        expect(steps).to_contain_text(step)
    reads = person.locator(".access-log")
    expect(reads).to_contain_text("Cora (Tandem), coördinator, heeft uw doorverwijzing gelezen")
    expect(reads).to_contain_text(
        f"Wanda ({name}), medewerker van een partnerdienst, heeft uw doorverwijzing gelezen"
    )
    no_blocking_violation(person)
    assert AccessRecord.objects.filter(subject=marie, reader=worker).exists()
    assert not AccessRecord.objects.filter(subject=elsewhere.person, reader=worker).exists()
