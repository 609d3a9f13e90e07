"""The privacy notice: accepted at sign-up with its wording version, asked again once it
changes (at the next sign-in on the web, a 403 code on the API until accepted)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import PrivacyNoticeAcceptance
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from tests.accounts.factories import UserFactory, password_for

pytestmark = pytest.mark.django_db


def test_signing_up_on_the_page_stores_the_version_accepted(client, places):
    response = client.post(
        "/signup/",
        {
            "email": "marie@example.be",
            "password": "trois tartines au sirop de Liège",
            "display_name": "Marie",
            "language": "de",
            "postcode": "4700",
            "privacy_notice": "on",
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        },
    )

    assert response.status_code == 302
    (acceptance,) = PrivacyNoticeAcceptance.objects.filter(user__email="marie@example.be")
    assert (acceptance.version, acceptance.language) == (PRIVACY_NOTICE_VERSION, "de")


def test_signing_up_without_ticking_the_box_creates_nothing(client, places):
    response = client.post(
        "/signup/",
        {
            "email": "marie@example.be",
            "password": "trois tartines au sirop de Liège",
            "display_name": "Marie",
            "language": "fr",
            "postcode": "5000",
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        },
    )

    assert response.status_code == 200
    assert "Cochez la case pour accepter la notice de confidentialité." in response.content.decode()
    assert not PrivacyNoticeAcceptance.objects.exists()


def test_the_api_refuses_an_old_version_at_registration(api_client):
    response = api_client.post(
        "/api/auth/register/",
        {
            "email": "marie@example.be",
            "password": "trois tartines au sirop de Liège",
            "display_name": "Marie",
            "language": "fr",
            "postcode": "5000",
            "privacy_notice_version": "2000-01-01",
        },
        format="json",
    )

    assert response.status_code == 400 and "privacy_notice_version" in response.json()


def test_after_a_change_a_token_gets_403_privacy_notice_not_accepted():
    from rest_framework.authtoken.models import Token

    person = UserFactory(privacy_notice_version="2000-01-01")
    token = Token.objects.create(user=person).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    refused = client.get("/api/requests/")
    me = client.get("/api/me/")
    accepted = client.post(
        "/api/me/privacy-notice/", {"version": PRIVACY_NOTICE_VERSION}, format="json"
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "privacy_notice_not_accepted"
    assert me.status_code == 200  # reading, exporting, erasing stay open
    assert accepted.status_code == 200
    assert client.get("/api/requests/").status_code == 200


def test_after_a_change_the_next_sign_in_asks_again():
    person = UserFactory(privacy_notice_version="2000-01-01")
    client = Client()

    response = client.post("/login/", {"email": person.email, "password": password_for(person)})

    assert response["Location"].startswith("/privacy/accept/")
    assert client.get("/helper/")["Location"].startswith("/privacy/accept/")
    assert (
        client.post(response["Location"], {"accept": "on", "next": "/helper/"})["Location"]
        == "/helper/"
    )
    assert client.get("/helper/").status_code == 200
