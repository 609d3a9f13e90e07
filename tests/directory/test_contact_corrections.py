"""Coordinators add, correct or confirm a directory entry's contact details with a source, and
entries unverified for 12 months are flagged (docs/SERVICES.md, "Contact details and
verification"). Contacts here are plainly fictional (example.org, "TEST-…")."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from directory.models import ContactChangeVia, ServiceContactChange, verification_cutoff
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


def contact_url(service) -> str:
    return f"/api/services/{service.pk}/contact/"


def test_a_correction_without_a_source_is_refused_and_changes_nothing(client, coordinator):
    service = ServiceFactory(phone="")
    client.force_authenticate(coordinator)

    response = client.post(contact_url(service), {"phone": "TEST-0003"}, format="json")

    assert response.status_code == 400
    assert "source" in response.json()
    service.refresh_from_db()
    assert service.phone == "" and service.verified_at is None
    assert not ServiceContactChange.objects.exists()


def test_a_correction_with_a_source_is_saved_verified_and_recorded(client, coordinator):
    service = ServiceFactory(phone="TEST-0001", email="old@example.org")
    client.force_authenticate(coordinator)

    response = client.post(
        contact_url(service),
        {
            "phone": "TEST-0002",
            "email": "old@example.org",
            "source": "The service's own leaflet (test)",
            "source_url": "https://example.org/leaflet",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phone"] == "TEST-0002"
    assert body["contact_source"] == "The service's own leaflet (test)"
    assert body["verified_at"] == timezone.localdate().isoformat()
    assert body["needs_verification"] is False
    [entry] = body["contact_history"]
    assert entry["changed_by"] == coordinator.display_name
    assert entry["via"] == "correction"
    assert entry["changes"] == {"phone": ["TEST-0001", "TEST-0002"]}
    assert entry["source"] == "The service's own leaflet (test)"
    change = ServiceContactChange.objects.get()
    assert (change.changed_by, change.via) == (coordinator, ContactChangeVia.CORRECTION)


def test_the_public_list_names_where_corrected_contacts_come_from(client, places, coordinator):
    service = ServiceFactory(coverage=["92094"])
    client.force_authenticate(coordinator)
    client.post(
        contact_url(service),
        {"website": "https://example.org/test", "source": "Test source (fictional)"},
        format="json",
    )
    client.force_authenticate(None)

    entries = client.get("/api/services/", {"postcode": "5000"}).json()

    entry = next(item for item in entries if item["key"] == service.key)
    assert entry["website"] == "https://example.org/test"
    assert entry["contact_source"] == "Test source (fictional)"


def test_a_confirmation_without_changes_verifies_the_entry(client, coordinator):
    service = ServiceFactory(email="desk@example.org", verified_at=date(2020, 1, 1))
    client.force_authenticate(coordinator)

    response = client.post(
        contact_url(service), {"source": "Phoned the service (test)"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["contact_history"][0]["changes"] == {}
    service.refresh_from_db()
    assert service.verified_at == timezone.localdate()
    assert service.contact_source == ""


def test_an_invalid_email_is_a_400(client, coordinator):
    service = ServiceFactory()
    client.force_authenticate(coordinator)

    response = client.post(
        contact_url(service), {"email": "not an email", "source": "Test"}, format="json"
    )

    assert response.status_code == 400
    assert "email" in response.json()


def test_an_unknown_service_is_a_404(client, coordinator):
    client.force_authenticate(coordinator)

    assert client.get("/api/services/987654321/").status_code == 404


# --- The 12-month flag ------------------------------------------------------------------------


def test_the_cutoff_is_twelve_months_back_leap_day_included():
    assert verification_cutoff(date(2026, 12, 7)) == date(2025, 12, 7)
    assert verification_cutoff(date(2028, 2, 29)) == date(2027, 2, 28)


def test_entries_unverified_for_twelve_months_or_never_are_flagged(client, coordinator):
    today = timezone.localdate()
    stale = ServiceFactory(key="test-stale", verified_at=verification_cutoff(today))
    never = ServiceFactory(key="test-never", verified_at=None)
    fresh = ServiceFactory(key="test-fresh", verified_at=today - timedelta(days=100))
    ServiceFactory(key="test-stale-inactive", verified_at=None, active=False)
    client.force_authenticate(coordinator)

    listed = client.get("/api/services/unverified/").json()
    details = {
        service.key: client.get(f"/api/services/{service.pk}/").json()["needs_verification"]
        for service in (stale, never, fresh)
    }

    keys = [entry["key"] for entry in listed]
    assert "test-never" in keys and "test-stale" in keys
    assert keys.index("test-never") < keys.index("test-stale")  # never verified first
    assert "test-fresh" not in keys and "test-stale-inactive" not in keys
    assert all(entry["needs_verification"] for entry in listed)
    assert details == {"test-stale": True, "test-never": True, "test-fresh": False}


def test_the_command_lists_the_entries_to_verify(capsys):
    today = timezone.localdate()
    ServiceFactory(key="test-stale", verified_at=today - timedelta(days=400), email="a@example.org")
    ServiceFactory(key="test-fresh", verified_at=today, email="b@example.org")

    call_command("unverified_services", "--with-contacts")

    out = capsys.readouterr().out
    assert f"test-stale\t{(today - timedelta(days=400)).isoformat()}" in out
    assert "test-fresh" not in out


# --- The coordinator's pages ------------------------------------------------------------------


def test_the_coordinator_page_flags_an_entry_and_its_form_needs_a_source(coordinator):
    from django.test import Client

    service = ServiceFactory(
        name_fr="Service de test (fictif)", verified_at=None, email="desk@example.org"
    )
    coordinator.language = "en"  # the pages speak the signed-in person's language
    coordinator.save(update_fields=["language"])
    browser = Client()
    browser.force_login(coordinator)

    listing = browser.get("/coordinator/services/")
    page = browser.get(f"/coordinator/services/{service.pk}/")
    refused = browser.post(f"/coordinator/services/{service.pk}/", {"phone": "TEST-0004"})
    saved = browser.post(
        f"/coordinator/services/{service.pk}/",
        {"phone": "TEST-0004", "source": "Test source (fictional)"},
    )

    assert "Service de test (fictif)" in listing.content.decode()
    assert 'data-testid="needs-verification"' in page.content.decode()
    assert refused.status_code == 200
    assert "Say where these contact details come from." in refused.content.decode()
    assert saved.status_code == 302
    service.refresh_from_db()
    assert service.phone == "TEST-0004"
    history = browser.get(f"/coordinator/services/{service.pk}/").content.decode()
    assert "Test source (fictional)" in history and 'data-testid="verified"' in history


def test_the_pages_are_for_coordinators_only(requester):
    from django.test import Client

    browser = Client()
    assert browser.get("/coordinator/services/").status_code == 302  # to the login page
    browser.force_login(requester)
    assert browser.get("/coordinator/services/").status_code == 403


# --- The coordinator's personal data ----------------------------------------------------------


def test_a_coordinators_corrections_are_in_their_export_and_outlive_their_account(coordinator):
    from accounts.services import user_data_export, user_erase
    from directory.services import service_contact_correct
    from tests.accounts.factories import DEFAULT_PASSWORD

    service = ServiceFactory(key="test-export")
    service_contact_correct(
        service=service,
        actor=coordinator,
        source="Test source (fictional)",
        changes={"email": "desk@example.org"},
    )

    exported = user_data_export(user=coordinator)["directory_contact_changes"]
    user_erase(user=coordinator, password=DEFAULT_PASSWORD)

    assert [(row["service"], row["changes"]) for row in exported] == [
        ("test-export", {"email": ["", "desk@example.org"]})
    ]
    change = ServiceContactChange.objects.get()
    assert change.changed_by is None and change.source == "Test source (fictional)"
