"""Resuming is complete by construction: each message carries its number in the conversation
(`seq`, 1, 2, 3… in commit order, no gap), a socket fills the gaps it sees from the database,
and sync / the REST list accept a position by number (docs/MESSAGING.md, "Resuming")."""

import importlib
import threading
import uuid

import pytest
from channels.db import database_sync_to_async
from django.db import connection, connections
from django.db.models import F
from rest_framework.test import APIClient

from core import realtime
from messaging import services
from messaging.models import Conversation, Message
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.messaging.sockets import frame_of_type, join, send_message

migration_sql = importlib.import_module("messaging.migrations.0003_message_seq")


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_get_unique_contiguous_numbers_in_commit_order():
    people = [UserFactory() for _ in range(4)]
    conversation = ConversationFactory(participants=people)
    start = threading.Barrier(len(people))
    errors = []

    def send_ten(person):
        try:
            start.wait()
            for index in range(10):
                services.message_send(
                    conversation=conversation,
                    sender=person,
                    body=f"{person.pk} {index}",
                    client_id=uuid.uuid4(),
                )
        except Exception as error:  # reported below, with the thread's failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send_ten, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers_by_id = list(
        Message.objects.filter(conversation=conversation)
        .order_by("id")
        .values_list("seq", flat=True)
    )
    assert numbers_by_id == list(range(1, 41))  # unique, no gap, and in the order ids commit
    conversation.refresh_from_db()
    assert conversation.last_message_seq == 40


@pytest.mark.django_db
def test_sending_the_same_client_id_again_takes_no_number(monkeypatch, requester, helper):
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: True)
    conversation = ConversationFactory(participants=[requester, helper])
    client_id = uuid.uuid4()
    first, _created = services.message_send(
        conversation=conversation, sender=requester, body="Une fois", client_id=client_id
    )
    again, created = services.message_send(
        conversation=conversation, sender=requester, body="Une fois", client_id=client_id
    )
    following, _created = services.message_send(
        conversation=conversation, sender=helper, body="Bien reçu", client_id=uuid.uuid4()
    )
    assert (first.seq, again.seq, created, following.seq) == (1, 1, False, 2)
    assert services.message_payload(following)["seq"] == 2


@pytest.mark.django_db
def test_the_rest_list_accepts_a_position_by_number(requester, helper):
    conversation = ConversationFactory(participants=[requester, helper])
    messages = [MessageFactory(conversation=conversation, sender=requester) for _ in range(4)]
    client = APIClient()
    client.force_authenticate(helper)
    url = f"/api/conversations/{conversation.pk}/messages/"
    by_number = client.get(url, {"after_seq": 2}).json()
    assert [(item["id"], item["seq"]) for item in by_number] == [
        (m.pk, m.seq) for m in messages[2:]
    ]
    assert client.get(url, {"after_seq": -1}).status_code == 400
    by_id = client.get(url, {"after": messages[0].pk}).json()  # the old form still works
    assert [item["seq"] for item in by_id] == [2, 3, 4]


@pytest.mark.django_db
def test_the_migration_numbers_existing_messages_in_id_order_per_conversation(requester, helper):
    first = ConversationFactory(participants=[requester, helper])
    second = ConversationFactory(participants=[requester, helper])
    for conversation in (first, second, first, first, second):
        MessageFactory(conversation=conversation, sender=requester)
    Message.objects.update(seq=-F("id"))  # as before the migration: no number yet
    Conversation.objects.update(last_message_seq=0)
    with connection.cursor() as cursor:
        cursor.execute(migration_sql.NUMBER_MESSAGES)
        cursor.execute(migration_sql.NEWEST_NUMBER_PER_CONVERSATION)
    numbered = list(Message.objects.order_by("id").values_list("conversation_id", "seq"))
    assert numbered == [(first.pk, 1), (second.pk, 1), (first.pk, 2), (first.pk, 3), (second.pk, 2)]
    assert dict(Conversation.objects.values_list("id", "last_message_seq")) == {
        first.pk: 3,
        second.pk: 2,
    }


sockets_database = pytest.mark.django_db(transaction=True)


@sockets_database
async def test_a_socket_that_misses_a_live_message_gets_it_before_the_next_one(
    conversation, requester, helper, monkeypatch
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    first = await send_message(anne, "one")
    assert (await frame_of_type(bart, "message"))["message"]["seq"] == 1

    # Two messages whose live copies are lost (a Redis restart, a publish that never left).
    publish = realtime.group_send_many_sync
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: False)
    for body in ("two", "three"):
        await database_sync_to_async(services.message_send)(
            conversation=conversation, sender=requester, body=body, client_id=uuid.uuid4()
        )
    monkeypatch.setattr(realtime, "group_send_many_sync", publish)

    await send_message(anne, "four")
    received = [(await frame_of_type(bart, "message"))["message"] for _ in range(3)]
    assert [(m["seq"], m["body"]) for m in received] == [(2, "two"), (3, "three"), (4, "four")]
    assert await bart.receive_nothing(timeout=0.3)

    # Following the rule, Bart syncs from his last contiguous number: nothing is repeated.
    await bart.send_json_to({"type": "sync", "after_seq": first["message"]["seq"]})
    assert (await bart.receive_json_from(timeout=3)) == {
        "type": "synced",
        "last_id": received[-1]["id"],
        "last_seq": 4,
    }
    await anne.disconnect()
    await bart.disconnect()


@sockets_database
async def test_sync_and_the_address_accept_a_position_by_number(conversation, requester, helper):
    anne = await join(conversation, requester)
    for body in ("one", "two", "three"):
        await send_message(anne, body)
    bart = await join(conversation, helper, query="after_seq=1")
    bodies = [(await frame_of_type(bart, "message"))["message"]["body"] for _ in range(2)]
    assert bodies == ["two", "three"]
    assert (await frame_of_type(bart, "synced"))["last_seq"] == 3
    await bart.send_json_to({"type": "sync", "after_seq": "2"})
    assert (await frame_of_type(bart, "error"))["code"] == "invalid_after"
    await anne.disconnect()
    await bart.disconnect()


@sockets_database
async def test_a_socket_opened_later_fills_gaps_only_from_where_it_started(
    conversation, requester, helper
):
    anne = await join(conversation, requester)
    await send_message(anne, "before Bart came")
    bart = await join(conversation, helper)
    await send_message(anne, "after")
    frame = await frame_of_type(bart, "message")
    assert frame["message"]["body"] == "after"  # what came before is his own sync's business
    await anne.disconnect()
    await bart.disconnect()
