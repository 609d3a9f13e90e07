"""The request and helper pages speak the reader's language (the catalogues are compiled)."""

import pytest

from tests.pages.conftest import client_for
from tests.pages.html import page_of

pytestmark = pytest.mark.django_db

HEADINGS = {
    "/requests/new/": {
        "fr": "Demander de l'aide",
        "nl": "Hulp vragen",
        "de": "Um Hilfe bitten",
        "en": "Ask for help",
    },
    "/helper/": {
        "fr": "Offrir votre aide",
        "nl": "Uw hulp aanbieden",
        "de": "Ihre Hilfe anbieten",
        "en": "Offer your help",
    },
}
SEND_BUTTON = {
    "fr": "Envoyer ma demande",
    "nl": "Mijn aanvraag versturen",
    "de": "Meine Anfrage senden",
    "en": "Send my request",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("path", sorted(HEADINGS))
def test_each_page_in_each_language(personas, path, language):
    response = client_for(personas.helper, language=language).get(path)

    page = page_of(response)
    assert page.find("html").attrs["lang"] == language
    assert page.find("h1").text.strip() == HEADINGS[path][language]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_request_form_is_translated_down_to_its_button(personas, language):
    response = client_for(personas.requester, language=language).get("/requests/new/")

    assert SEND_BUTTON[language] in response.content.decode()


def test_the_request_page_in_dutch(personas):
    response = client_for(personas.requester, language="nl").get(
        f"/requests/{personas.help_request.pk}/"
    )

    html = response.content.decode()
    assert "Wachten op een helpper" in html
    assert "Boodschappen" in html or "boodschappen" in html.lower()
