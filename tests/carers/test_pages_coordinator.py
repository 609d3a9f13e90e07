"""/coordinator/ (the referral queue) and /carers/diary/: who may open them, what they show,
and that every read of a referral is audited."""

import datetime

import pytest

from carers.models import ReferralAudit, ReferralNote
from tests.accounts.factories import UserFactory
from tests.carers.factories import DiaryEntryFactory, ReferralFactory
from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db
QUEUE = "/coordinator/?lang=en"


def detail(referral) -> str:
    return f"/coordinator/referrals/{referral.pk}/?lang=en"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/coordinator/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/coordinator/")


@pytest.mark.parametrize("persona", ["requester", "helper"])
def test_helppies_and_helpers_get_a_403_page(client, persona, request):
    referral = ReferralFactory()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(QUEUE).status_code == 403
    assert client.get(detail(referral)).status_code == 403
    assert not ReferralAudit.objects.exists()


def test_the_queue_shows_counts_and_referrals_and_audits_the_list(client, coordinator):
    new = ReferralFactory(person__display_name="Marie Dubois")
    ReferralFactory(status="consent_asked")
    client.force_login(coordinator)

    response = client.get(QUEUE)

    page = Page(response.content.decode())
    assert response.status_code == 200
    assert page.find("strong", **{"data-testid": "count-draft"}).text == "1"
    assert page.find("strong", **{"data-testid": "count-consent_asked"}).text == "1"
    assert "Marie Dubois" in response.content.decode()
    assert ReferralAudit.objects.filter(referral=new, action="list", actor=coordinator).exists()


def test_the_queue_filters(client, coordinator):
    ReferralFactory(person__display_name="Marie Dubois")
    ReferralFactory(person__display_name="Jan Peeters", status="consent_asked")
    client.force_login(coordinator)

    html = client.get(QUEUE + "&status=consent_asked").content.decode()

    assert "Jan Peeters" in html
    assert "Marie Dubois" not in html


def test_opening_a_referral_is_audited_and_shows_its_reasons(client, coordinator):
    referral = ReferralFactory(reasons=[{"code": "concern", "params": {"kind": "isolation"}}])
    client.force_login(coordinator)

    html = client.get(detail(referral)).content.decode()

    assert "A helper is worried about the person they help: isolation." in html
    assert (
        ReferralAudit.objects.filter(referral=referral, action="read", actor=coordinator).count()
        == 1
    )


def test_a_coordinator_updates_a_referral_from_its_page(client, coordinator, service_directory):
    referral = ReferralFactory(with_consent=True)
    namur = referral.municipality.own_services.get(kind="cpas")
    client.force_login(coordinator)

    response = client.post(
        detail(referral),
        {
            "status": "sent",
            "consent": "given",
            "referred_to": str(namur.pk),
            "assigned_to": str(coordinator.pk),
            "outcome": "",
            "note": "Gave her the CPAS's name.",
        },
    )

    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.status == "sent"  # v1 "referred" is stored as "sent"
    assert referral.referred_to == namur
    assert referral.assigned_to == coordinator
    assert ReferralNote.objects.get(referral=referral).author == coordinator


def test_referring_without_consent_shows_the_error_next_to_the_field(
    client, coordinator, service_directory
):
    referral = ReferralFactory()
    namur = referral.municipality.own_services.get(kind="cpas")
    client.force_login(coordinator)

    response = client.post(
        detail(referral),
        {"status": "sent", "consent": "pending", "referred_to": str(namur.pk)},
    )

    page = Page(response.content.decode())
    referral.refresh_from_db()
    assert response.status_code == 200
    assert referral.referred_to is None
    assert "record their consent first" in page.by_id("id_referred_to_error").text
    assert "id_referred_to_error" in page.by_id("id_referred_to").attrs["aria-describedby"]


# --- Care diary page -------------------------------------------------------------------------


def test_the_diary_needs_an_account(client):
    response = client.get("/carers/diary/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_carer_adds_hours_and_sees_the_totals(client):
    carer = UserFactory()
    client.force_login(carer)
    today = datetime.date.today()

    client.post(
        "/carers/diary/",
        {"action": "add", "date": today.isoformat(), "hours": "3.5", "kind": "support_group"},
    )
    html = client.get("/carers/diary/?lang=en").content.decode()

    assert carer.care_diary_entries.get().hours == 3.5
    assert "This month: 3.50 hours of 50" in html
    assert "Last 12 months: 3.50 hours of 600" in html


def test_a_carer_cannot_delete_someone_elses_entry(client):
    other = DiaryEntryFactory()
    client.force_login(UserFactory())

    response = client.post("/carers/diary/", {"action": "delete", "entry": other.pk})

    assert response.status_code == 404
    assert other.__class__.objects.filter(pk=other.pk).exists()
