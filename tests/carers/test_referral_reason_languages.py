"""Referral reasons are rendered in the reader's language (issue 12, item 6): a request written in
French, read by a coordinator in Dutch, shows Dutch; read in English, English."""

import html
import importlib

import pytest
from django.utils import translation

from carers.models import Referral
from carers.referral_reasons import render_reasons
from detection.carer_situation import reason_text
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.requests_app.factories import NAMUR

pytestmark = pytest.mark.django_db

FRENCH_CARER_REQUEST = {
    "category": "shopping",
    "description": "Ma mère a la maladie d'Alzheimer, je m'en occupe tous les jours.",
    "location": {"lat": NAMUR.y, "lon": NAMUR.x},
    "duration_minutes": 60,
    "recurrence": "weekly",
    "for_someone_else": True,
    "relationship": "parent",
    "cared_for_age": 84,
    "care_hours_per_week": 20,
}


def catalogue_text(reason: dict, language: str) -> str:
    with translation.override(language):
        return reason_text(reason["code"].removeprefix("signal."), reason["params"])


@pytest.fixture
def referral(coordinator) -> Referral:
    requester = UserFactory(postcode="5000")
    response = client_for(requester).post(
        "/api/requests/", FRENCH_CARER_REQUEST, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["carer_signal"]["likely_carer"] is True
    return Referral.objects.get(help_request_id=response.json()["id"])


def api_reasons(coordinator, referral, language) -> list[dict]:
    client = client_for(coordinator)
    response = client.get(f"/api/referrals/{referral.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()["reasons"]


def test_the_api_renders_the_reasons_of_a_french_request_in_the_coordinators_language(
    coordinator, referral
):
    dutch = api_reasons(coordinator, referral, "nl")
    english = api_reasons(coordinator, referral, "en")

    assert [reason["code"] for reason in dutch] == [reason["code"] for reason in english]
    for reason_nl, reason_en in zip(dutch, english, strict=True):
        assert reason_nl["text"] == catalogue_text(reason_nl, "nl")
        assert reason_en["text"] == catalogue_text(reason_en, "en")
        assert reason_nl["text"] != reason_en["text"]
        assert reason_nl["text"] != catalogue_text(reason_nl, "fr")
    hours = next(reason for reason in dutch if reason["code"] == "signal.care_hours")
    assert hours["params"] == {"hours": 20.0}
    assert "20" in hours["text"]


def test_the_queue_lists_the_reasons_in_the_coordinators_language(coordinator, referral):
    listed = client_for(coordinator).get("/api/referrals/", HTTP_ACCEPT_LANGUAGE="nl").json()

    (item,) = [entry for entry in listed if entry["id"] == referral.pk]
    assert [reason["text"] for reason in item["reasons"]] == [
        catalogue_text(reason, "nl") for reason in referral.reasons
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_coordinator_page_shows_the_reasons_in_the_page_language(
    client, coordinator, referral, language
):
    client.force_login(coordinator)

    page = client.get(f"/coordinator/referrals/{referral.pk}/?lang={language}")

    text = html.unescape(page.content.decode())
    for reason in referral.reasons:
        assert catalogue_text(reason, language) in text
        assert catalogue_text(reason, "fr") not in text


# --- Migration 0003: the sentences stored before reasons were codes ---------------------------


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_stored_sentence_becomes_its_code_whatever_its_language(language):
    migration = importlib.import_module("carers.migrations.0003_referral_reasons_as_codes")
    patterns = migration._sentence_patterns()
    stored = [
        {"code": "signal", "params": {}, "text": catalogue_text(reason, language)}
        for reason in (
            {"code": "signal.relative", "params": {}},
            {"code": "signal.care_hours", "params": {"hours": 12.5}},
        )
    ]

    assert migration.reasons_as_codes(stored, patterns) == [
        {"code": "signal.relative", "params": {}},
        {"code": "signal.care_hours", "params": {"hours": 12.5}},
    ]


def test_a_stored_sentence_the_catalogue_does_not_know_is_kept_as_legacy_text():
    migration = importlib.import_module("carers.migrations.0003_referral_reasons_as_codes")
    stored = [
        {"code": "signal", "params": {}, "text": "asks on behalf of her father"},
        {"code": "concern", "params": {"kind": "isolation"}},
    ]

    assert migration.reasons_as_codes(stored, migration._sentence_patterns()) == [
        {"code": "legacy_text", "params": {"text": "asks on behalf of her father"}},
        {"code": "concern", "params": {"kind": "isolation"}},
    ]
    rendered = render_reasons(
        [{"code": "legacy_text", "params": {"text": "asks on behalf of her father"}}],
        language="nl",
    )
    assert rendered[0]["text"] == "asks on behalf of her father"
