"""GET and POST /api/conversations/<id>/messages/."""

import uuid

import pytest
from rest_framework.test import APIClient

from core import realtime
from messaging import services
from messaging.models import Message
from tests.clients import client_for
from tests.messaging.factories import MessageFactory

pytestmark = pytest.mark.django_db


def url(conversation) -> str:
    return f"/api/conversations/{conversation.pk}/messages/"


@pytest.fixture(autouse=True)
def live_delivery(monkeypatch):
    """Redis is not what these tests are about: sends succeed unless a test says otherwise."""
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: True)


def test_it_lists_messages_in_ascending_order_after_an_id(conversation, requester, helper):
    messages = [
        MessageFactory(conversation=conversation, sender=person)
        for person in (requester, helper, requester, helper)
    ]
    response = client_for(helper).get(url(conversation), {"after": messages[1].pk})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [m.pk for m in messages[2:]]
    assert set(response.json()[0]) == {
        "id",
        "conversation",
        "seq",  # added to the contract's shape: the message's number in the conversation
        "sender",
        "body",
        "client_id",
        "created_at",
    }


def test_limit_caps_the_page_and_paging_with_after_gets_the_rest(conversation, requester):
    messages = MessageFactory.create_batch(5, conversation=conversation, sender=requester)
    client = client_for(requester)
    first = client.get(url(conversation), {"limit": 2}).json()
    rest = client.get(url(conversation), {"after": first[-1]["id"], "limit": 200}).json()
    assert [item["id"] for item in first + rest] == [m.pk for m in messages]


@pytest.mark.parametrize("query", [{"after": "x"}, {"after": -1}, {"limit": 0}, {"limit": 201}])
def test_bad_paging_values_are_a_400(conversation, requester, query):
    assert client_for(requester).get(url(conversation), query).status_code == 400


@pytest.mark.django_db(transaction=True)  # delivery is known once committed
def test_post_stores_the_message_and_answers_201_with_live_delivery(conversation, requester):
    client_id = uuid.uuid4()
    response = client_for(requester).post(
        url(conversation), {"body": "On mardi ?", "client_id": str(client_id)}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    stored = Message.objects.get()
    assert body == {
        "id": stored.pk,
        "conversation": conversation.pk,
        "seq": 1,
        "sender": requester.pk,
        "body": "On mardi ?",
        "client_id": str(client_id),
        "created_at": body["created_at"],
        "delivery": "live",
    }
    assert body["created_at"].endswith("+01:00") or body["created_at"].endswith("+02:00")
    # The WebSocket frames show the very same text for it.
    assert body["created_at"] == services.message_payload(stored)["created_at"]


def test_the_same_client_id_again_is_200_with_the_same_message_and_no_duplicate(
    conversation, requester
):
    payload = {"body": "Une fois", "client_id": str(uuid.uuid4())}
    client = client_for(requester)
    first = client.post(url(conversation), payload, format="json")
    again = client.post(url(conversation), payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # delivery is known once committed
def test_post_says_delivery_is_degraded_when_redis_is_down_and_still_stores(
    conversation, requester, monkeypatch
):
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: False)
    response = client_for(requester).post(
        url(conversation), {"body": "Toujours là", "client_id": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code == 201 and response.json()["delivery"] == "degraded"
    assert Message.objects.filter(body="Toujours là").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "", "client_id": "3f1c9c2e-8a57-4f5e-9d0e-6c1b2a3d4e5f"},
        {"body": "   ", "client_id": "3f1c9c2e-8a57-4f5e-9d0e-6c1b2a3d4e5f"},
        {"body": "x" * 2001, "client_id": "3f1c9c2e-8a57-4f5e-9d0e-6c1b2a3d4e5f"},
        {"body": "hi", "client_id": "nope"},
        {"body": "hi"},
        {"client_id": "3f1c9c2e-8a57-4f5e-9d0e-6c1b2a3d4e5f"},
        ["not", "an", "object"],
    ],
)
def test_bad_input_is_a_400_and_stores_nothing(conversation, requester, payload):
    response = client_for(requester).post(url(conversation), payload, format="json")
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_other_peoples_conversations_are_404_for_reading_and_writing(conversation, outsider):
    MessageFactory(conversation=conversation)
    client = client_for(outsider)
    assert client.get(url(conversation)).status_code == 404
    response = client.post(
        url(conversation), {"body": "hi", "client_id": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code == 404
    assert Message.objects.count() == 1


def test_an_unknown_conversation_is_404(requester):
    assert client_for(requester).get("/api/conversations/987654/messages/").status_code == 404


def test_it_needs_a_signed_in_person(conversation):
    assert APIClient().get(url(conversation)).status_code in (401, 403)


def test_sending_too_fast_is_a_429_rate_limited(conversation, requester, settings):
    settings.MESSAGING_RATE_LIMIT_MESSAGES = 3
    client = client_for(requester)
    statuses = [
        client.post(
            url(conversation), {"body": f"{n}", "client_id": str(uuid.uuid4())}, format="json"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    refused = client.post(
        url(conversation), {"body": "again", "client_id": str(uuid.uuid4())}, format="json"
    )
    assert refused.json()["code"] == "rate_limited" and refused.json()["retry_after"] > 0
    assert Message.objects.count() == 3


def test_session_clients_need_the_csrf_token(conversation, requester):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(requester)
    response = client.post(
        url(conversation), {"body": "hi", "client_id": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code == 403
    assert not Message.objects.exists()
