"""GET /api/conversations/: one's own conversations, with the last message and unread count."""

import pytest
from rest_framework.test import APIClient

from messaging import services
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

URL = "/api/conversations/"


def test_it_lists_only_the_persons_own_conversations(conversation, requester, helper, outsider):
    response = client_for(requester).get(URL)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [conversation.pk]
    assert sorted(response.json()[0]["participants"]) == sorted([requester.pk, helper.pk])
    outsiders_view = client_for(outsider).get(URL).json()
    assert conversation.pk not in [item["id"] for item in outsiders_view]


def test_it_shows_the_request_the_last_message_and_the_unread_count(requester, helper):
    help_request = HelpRequestFactory(requester=requester)
    conversation = services.conversation_open(
        participants=[requester, helper], help_request=help_request
    )
    MessageFactory(conversation=conversation, sender=helper, body="Hello")
    MessageFactory(conversation=conversation, sender=requester, body="Hi")
    last = MessageFactory(conversation=conversation, sender=helper, body="See you Tuesday")
    [item] = client_for(requester).get(URL).json()
    assert item["request"] == help_request.pk
    assert item["last_message"]["id"] == last.pk
    assert item["last_message"]["body"] == "See you Tuesday"
    assert item["last_message"]["sender"] == helper.pk
    assert item["unread_count"] == 2  # the helper's two; one's own never count
    services.messages_read_mark(conversation=conversation, user=requester, up_to=last.pk)
    [item] = client_for(requester).get(URL).json()
    assert item["unread_count"] == 0


def test_a_conversation_without_messages_has_no_last_message_and_comes_last(requester, helper):
    quiet = ConversationFactory(participants=[requester, helper])
    busy = ConversationFactory(participants=[requester, UserFactory()])
    MessageFactory(conversation=busy)
    items = client_for(requester).get(URL).json()
    assert [item["id"] for item in items] == [busy.pk, quiet.pk]
    assert items[1]["last_message"] is None and items[1]["unread_count"] == 0


def test_it_runs_a_fixed_number_of_queries_however_many_conversations(
    requester, django_assert_max_num_queries
):
    for _ in range(15):
        conversation = ConversationFactory(participants=[requester, UserFactory()])
        MessageFactory.create_batch(3, conversation=conversation)
    client = client_for(requester)
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert len(response.json()) == 15


def test_it_needs_a_signed_in_person():
    assert APIClient().get(URL).status_code in (401, 403)


def test_a_token_works_as_well(requester, conversation):
    from tests.messaging.conftest import token_for

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(requester)}")
    assert [item["id"] for item in client.get(URL).json()] == [conversation.pk]


def test_erased_senders_leave_their_messages(requester, helper, conversation):
    message = MessageFactory(conversation=conversation, sender=helper)
    helper.delete()
    [item] = client_for(requester).get(URL).json()
    assert item["last_message"]["id"] == message.pk and item["last_message"]["sender"] is None
