"""The language switcher: Django's set_language, plus the choice saved for signed-in people."""

import pytest
from django.conf import settings

from tests.frontend.html_page import Page

pytestmark = pytest.mark.django_db


def test_the_switcher_offers_the_four_languages_in_their_own_names(client):
    page = Page(client.get("/").content.decode())

    buttons = page.find_all("button", name="language")
    assert [(button.attrs["value"], button.text.strip()) for button in buttons] == [
        ("fr", "Français"),
        ("nl", "Nederlands"),
        ("de", "Deutsch"),
        ("en", "English"),
    ]
    assert [button.attrs["lang"] for button in buttons] == ["fr", "nl", "de", "en"]
    current = [button.attrs["value"] for button in buttons if "aria-current" in button.attrs]
    assert current == ["fr"]


def test_switching_remembers_the_language_and_returns_to_the_page(client):
    response = client.post("/language/", {"language": "nl", "next": "/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    page = Page(client.get("/login/").content.decode())
    assert page.find("html").attrs["lang"] == "nl"


def test_the_return_address_drops_a_lang_parameter_that_would_switch_back(client):
    page = Page(client.get("/login/", {"lang": "en", "next": "/signup/"}).content.decode())

    return_address = page.find("input", name="next").attrs["value"]
    assert return_address == "/login/?next=%2Fsignup%2F"


def test_a_signed_in_person_keeps_the_language_on_their_account(client, person):
    client.force_login(person)

    client.post("/language/", {"language": "de", "next": "/"})

    person.refresh_from_db()
    assert person.language == "de"


def test_an_unknown_language_changes_nothing(client, person):
    client.force_login(person)

    client.post("/language/", {"language": "xx", "next": "/"})

    person.refresh_from_db()
    assert person.language == "fr"


def test_a_signed_in_person_without_a_choice_gets_their_own_language(client, person):
    person.language = "en"
    person.save()
    client.force_login(person)

    page = Page(client.get("/").content.decode())

    assert page.find("html").attrs["lang"] == "en"
