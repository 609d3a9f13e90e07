"""/signup/: a new person creates their account through accounts.services.user_register."""

import pytest
from django.conf import settings

from accounts.models import User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from tests.accounts.factories import UserFactory
from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "quatre chats dans le jardin"


@pytest.fixture
def filled_in(known_postcode) -> dict:
    return {
        "email": "Anne.Peeters@Example.be",
        "password": STRONG_PASSWORD,
        "display_name": "Anne",
        "language": "nl",
        "postcode": known_postcode,
        "privacy_notice": "on",
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
    }


def test_signing_up_creates_the_account_and_signs_the_person_in(client, filled_in):
    response = client.post("/signup/", filled_in)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="anne.peeters@example.be")
    assert user.display_name == "Anne"
    assert user.language == "nl"
    assert user.postcode == filled_in["postcode"]
    assert user.check_password(STRONG_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_after_signing_up_the_site_continues_in_the_language_chosen(client, filled_in):
    response = client.post("/signup/?lang=fr", filled_in)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    home = Page(client.get("/").content.decode())
    assert home.find("html").attrs["lang"] == "nl"
    assert "Anne" in home.text()


def test_the_language_is_preselected_to_the_one_the_page_is_in(client):
    page = Page(client.get("/signup/", {"lang": "de"}).content.decode())

    selected = [option for option in page.find_all("option") if "selected" in option.attrs]
    assert [option.attrs["value"] for option in selected] == ["de"]


def test_a_weak_password_is_refused_next_to_the_password_field(client, filled_in):
    response = client.post("/signup/", {**filled_in, "password": "12345"})

    assert response.status_code == 200
    assert not User.objects.exists()
    page = Page(response.content.decode())
    password = page.find("input", name="password")
    assert password.attrs["aria-invalid"] == "true"
    described_by = password.attrs["aria-describedby"].split()
    assert described_by == ["id_password_helptext", "id_password_error"]
    errors = page.by_id("id_password_error").text
    assert "trop court" in errors  # Django's validator, in French: the page's language
    assert "value" not in password.attrs  # a password is never sent back


def test_the_error_summary_links_to_each_field_in_error(client, filled_in):
    response = client.post("/signup/", {**filled_in, "password": "12345", "postcode": "12"})

    page = Page(response.content.decode())
    summary = page.find("div", role="alert")
    links = {
        element.attrs["href"]
        for element in page.find_all("a")
        if element.attrs.get("href", "").startswith("#id_")
    }
    assert links == {"#id_password", "#id_postcode"}
    assert "Mot de passe\u00a0: " in summary.text  # French spacing before a colon
    assert page.find("title").text.startswith("Erreur")


def test_a_taken_email_is_refused_next_to_the_email_field(client, filled_in):
    UserFactory(email="anne.peeters@example.be")

    response = client.post("/signup/", filled_in)

    page = Page(response.content.decode())
    assert page.find("input", name="email").attrs["aria-invalid"] == "true"
    assert "existe déjà" in page.by_id("id_email_error").text
    assert User.objects.count() == 1


def test_an_unknown_postcode_is_refused_by_the_service(client, filled_in):
    response = client.post("/signup/", {**filled_in, "postcode": "0001"})

    page = Page(response.content.decode())
    assert page.find("input", name="postcode").attrs["aria-invalid"] == "true"
    assert page.by_id("id_postcode_error").text.strip()
    assert not User.objects.exists()


def test_what_the_person_typed_is_kept_when_something_is_wrong(client, filled_in):
    response = client.post("/signup/", {**filled_in, "password": "12345"})

    page = Page(response.content.decode())
    assert page.find("input", name="email").attrs["value"] == filled_in["email"]
    assert page.find("input", name="display_name").attrs["value"] == "Anne"


def test_errors_come_in_the_language_of_the_page(client, filled_in):
    response = client.post("/signup/?lang=en", {**filled_in, "email": ""})

    page = Page(response.content.decode())
    assert "This field is required." in page.by_id("id_email_error").text


def test_signing_up_without_the_csrf_token_is_refused(filled_in):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/signup/", filled_in)

    assert response.status_code == 403
    assert not User.objects.exists()
