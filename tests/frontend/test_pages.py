"""Every page: reachable in each language, built on the accessible layout of base.html."""

import pytest
from django.urls import Resolver404, resolve

from tests.frontend.html_page import Page

PAGES = ["/", "/signup/", "/login/"]
LANGUAGES = ["fr", "nl", "de", "en"]
# The skip link in each language: proves the page is translated, not only labelled.
SKIP_LINK_TEXT = {
    "fr": "Aller au contenu principal",
    "nl": "Naar de hoofdinhoud",
    "de": "Zum Hauptinhalt springen",
    "en": "Skip to main content",
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_in_each_language(client, path, language):
    response = client.get(path, {"lang": language})

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.find("html").attrs["lang"] == language
    assert page.find("a", href="#main").text.strip() == SKIP_LINK_TEXT[language]


def test_without_a_choice_the_site_speaks_french(client):
    page = Page(client.get("/").content.decode())

    assert page.find("html").attrs["lang"] == "fr"


def test_the_language_chosen_with_lang_is_remembered_on_the_next_page(client):
    client.get("/", {"lang": "de"})

    page = Page(client.get("/login/").content.decode())

    assert page.find("html").attrs["lang"] == "de"


@pytest.mark.parametrize("path", PAGES)
def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(client, path):
    page = Page(client.get(path).content.decode())

    first = page.focusable()[0]
    assert first.tag == "a" and first.attrs["href"] == "#main"
    assert page.by_id("main").tag == "main"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_the_landmarks_a_screen_reader_jumps_between(client, path):
    page = Page(client.get(path).content.decode())

    for landmark in ("header", "nav", "main", "footer"):
        assert page.find_all(landmark), f"no <{landmark}> on {path}"
    assert len(page.find_all("h1")) == 1


@pytest.mark.parametrize("path", PAGES)
def test_pages_stay_light(client, path):
    response = client.get(path)

    assert len(response.content) < 50_000


@pytest.mark.parametrize("path", ["/signup/", "/login/", "/"])
def test_every_form_control_has_a_visible_label(client, path):
    page = Page(client.get(path).content.decode())

    controls = page.form_controls()
    labels = {label.attrs.get("for"): label.text.strip() for label in page.find_all("label")}
    for control in controls:
        control_id = control.attrs.get("id")
        assert control_id, f"<{control.tag} name={control.attrs.get('name')}> has no id"
        assert labels.get(control_id), f"no <label for={control_id!r}> with text on {path}"


def test_the_signup_page_has_every_field_it_needs(client):
    page = Page(client.get("/signup/").content.decode())

    names = {control.attrs["name"] for control in page.form_controls()}
    assert names == {"email", "password", "display_name", "language", "postcode", "privacy_notice"}
    assert page.find("input", name="password").attrs["autocomplete"] == "new-password"
    assert page.find("input", name="postcode").attrs["autocomplete"] == "postal-code"


def test_help_texts_are_tied_to_their_fields(client):
    page = Page(client.get("/signup/").content.decode())

    email = page.find("input", name="email")
    assert email.attrs["aria-describedby"] == "id_email_helptext"
    assert "jamais" in page.by_id("id_email_helptext").text


@pytest.mark.parametrize("path", PAGES)
def test_every_form_that_posts_carries_a_csrf_token(client, path):
    html = client.get(path).content.decode()
    page = Page(html)

    forms = page.find_all("form", method="post")
    assert forms
    assert html.count('name="csrfmiddlewaretoken"') == len(forms)


def test_the_home_page_links_only_to_pages_that_exist(client):
    page = Page(client.get("/").content.decode())

    for link in page.find_all("a"):
        href = link.attrs.get("href", "")
        if href.startswith("/"):
            try:
                resolve(href.split("?")[0])
            except Resolver404:
                pytest.fail(f"the home page links to {href}, which does not exist")


def test_the_home_page_says_plainly_what_tandem_is(client):
    text = Page(client.get("/", {"lang": "en"}).content.decode()).text()

    assert "Ask for help" in text
    assert "Offer a few hours" in text
    assert "informal carer" in text


def test_the_home_page_leads_to_asking_offering_and_the_carer_check(client):
    page = Page(client.get("/").content.decode())

    hrefs = [link.attrs.get("href") for link in page.find_all("a")]
    assert "/requests/new/" in hrefs
    assert "/helper/" in hrefs
    assert "/carers/assessment/" in hrefs
