"""The conversation page /conversations/<id>/, as it works without JavaScript."""

import json
import re
import uuid

import pytest
from django.test import Client

from core import realtime
from messaging.models import Message, Participant
from tests.messaging.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def live_delivery(monkeypatch):
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: True)


def browser_of(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page_url(conversation) -> str:
    return f"/conversations/{conversation.pk}/"


def csrf_token_of(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_a_participant_sees_the_messages_in_order_and_a_labelled_form(
    conversation, requester, helper
):
    MessageFactory(conversation=conversation, sender=helper, body="Je peux passer mardi.")
    MessageFactory(conversation=conversation, sender=requester, body="Parfait <b>merci</b>")
    response = browser_of(requester).get(page_url(conversation), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Je peux passer mardi.") < html.index("Parfait &lt;b&gt;merci&lt;/b&gt;")
    assert "<b>merci</b>" not in html  # bodies are text, never markup
    assert '<label for="message-body">' in html and 'id="message-body"' in html
    assert 'aria-live="polite"' in html and "Bart Helper" in html
    assert "messaging/conversation.js" in html


def test_the_script_gets_its_settings_and_translated_texts_from_the_page(
    conversation, requester, helper
):
    last = MessageFactory(conversation=conversation, sender=helper)
    html = browser_of(requester).get(page_url(conversation) + "?lang=en").content.decode()
    config = json.loads(
        re.search(r'<script id="messaging-config" type="application/json">(.*?)</script>', html)[1]
    )
    assert config["conversation"] == conversation.pk and config["user"] == requester.pk
    assert config["socket_path"] == f"/ws/conversations/{conversation.pk}/"
    assert config["api_path"] == f"/api/conversations/{conversation.pk}/messages/"
    assert config["last_id"] == last.pk and config["others"] == [helper.pk]
    assert config["strings"]["live"]


def test_opening_the_page_marks_the_messages_read(conversation, requester, helper):
    last = MessageFactory(conversation=conversation, sender=helper)
    browser_of(requester).get(page_url(conversation))
    membership = Participant.objects.get(conversation=conversation, user=requester)
    assert membership.last_read_message_id == last.pk


def test_seen_shows_under_ones_last_message_the_other_has_read(conversation, requester, helper):
    mine = MessageFactory(conversation=conversation, sender=requester)
    Participant.objects.filter(conversation=conversation, user=helper).update(
        last_read_message_id=mine.pk
    )
    html = browser_of(requester).get(page_url(conversation) + "?lang=en").content.decode()
    item = html[html.index(f'id="message-{mine.pk}"') :]
    assert 'class="message__read"' in item[: item.index("</li>")]


def test_the_form_posts_with_csrf_stores_and_redirects_back(conversation, requester):
    browser = browser_of(requester)
    page = browser.get(page_url(conversation))
    client_id = re.search(r'name="client_id" value="([^"]+)"', page.content.decode())[1]
    form = {
        "csrfmiddlewaretoken": csrf_token_of(page),
        "body": "Sans JavaScript",
        "client_id": client_id,
    }
    response = browser.post(page_url(conversation), form)
    assert response.status_code == 302 and response["Location"].startswith(page_url(conversation))
    # Sending the same form twice (double click, reload) stores it once.
    browser.post(page_url(conversation), form)
    assert list(Message.objects.values_list("body", flat=True)) == ["Sans JavaScript"]
    assert "Sans JavaScript" in browser.get(page_url(conversation)).content.decode()


def test_the_form_without_csrf_token_is_refused(conversation, requester):
    response = browser_of(requester).post(
        page_url(conversation), {"body": "x", "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 403 and not Message.objects.exists()


def test_an_empty_message_shows_an_error_next_to_the_field(conversation, requester):
    browser = browser_of(requester)
    page = browser.get(page_url(conversation))
    response = browser.post(
        page_url(conversation),
        {"csrfmiddlewaretoken": csrf_token_of(page), "body": "  ", "client_id": str(uuid.uuid4())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html and 'id="message-error"' in html
    assert not Message.objects.exists()


def test_other_peoples_conversations_are_404(conversation, outsider):
    assert browser_of(outsider).get(page_url(conversation)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(conversation):
    response = Client().get(page_url(conversation))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_page_renders_in_every_language(conversation, requester, language):
    response = browser_of(requester).get(page_url(conversation) + f"?lang={language}")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
