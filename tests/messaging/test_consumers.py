"""/ws/conversations/<id>/ on the real Redis channel layer (WebsocketCommunicator)."""

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.test import Client

from messaging import services
from messaging.models import Message, Participant
from tests.messaging.sockets import closed_with, frame_of_type, join, open_socket, send_message

pytestmark = pytest.mark.django_db(transaction=True)


def stored_bodies(conversation) -> list[str]:
    return list(
        Message.objects.filter(conversation=conversation)
        .order_by("id")
        .values_list("body", flat=True)
    )


async def test_a_message_reaches_both_participants_and_is_stored_first(
    conversation, requester, helper
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    client_id = str(uuid.uuid4())
    ack = await send_message(anne, "Bonjour Bart", client_id)
    assert ack["created"] is True and ack["delivery"] == "live"
    assert ack["client_id"] == client_id
    stored = await database_sync_to_async(Message.objects.get)(client_id=client_id)
    expected = services.message_payload(stored)
    assert ack["message"] == expected
    assert await frame_of_type(bart, "message") == {"type": "message", "message": expected}
    assert await frame_of_type(anne, "message") == {"type": "message", "message": expected}
    # And back the other way.
    await send_message(bart, "Bonjour Anne")
    assert (await frame_of_type(anne, "message"))["message"]["body"] == "Bonjour Anne"
    await anne.disconnect()
    await bart.disconnect()


async def test_a_session_cookie_authenticates_too(conversation, requester, helper):
    client = Client()
    await sync_to_async(client.force_login)(requester)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    anne = await join(conversation, None, headers=[(b"cookie", cookie)])
    ack = await send_message(anne, "Par le cookie")
    assert ack["message"]["sender"] == requester.pk
    await anne.disconnect()


async def test_a_valid_user_of_another_conversation_is_refused(conversation, outsider):
    communicator, connected, code = await open_socket(
        f"/ws/conversations/{conversation.pk}/", user=outsider
    )
    assert (connected, code) == (False, 4403)


@pytest.mark.parametrize("query", ["", "token=not-a-real-token"])
async def test_anonymous_people_are_refused(conversation, query):
    communicator, connected, code = await open_socket(
        f"/ws/conversations/{conversation.pk}/", query=query
    )
    assert (connected, code) == (False, 4401)


async def test_an_unknown_conversation_is_refused_like_a_foreign_one(requester):
    communicator, connected, code = await open_socket("/ws/conversations/99999/", user=requester)
    assert (connected, code) == (False, 4403)


async def test_another_sites_origin_is_refused(conversation, requester):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.messaging.conftest import token_for

    key = await database_sync_to_async(token_for)(requester)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/conversations/{conversation.pk}/?token={key}",
        headers=[(b"origin", b"https://evil.example")],
    )
    connected, _code = await communicator.connect(timeout=5)
    assert connected is False


async def test_the_same_client_id_twice_is_stored_and_delivered_once(
    conversation, requester, helper
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    client_id = str(uuid.uuid4())
    first = await send_message(anne, "Une seule fois", client_id)
    again = await send_message(anne, "Une seule fois", client_id)
    assert (first["created"], again["created"]) == (True, False)
    assert again["message"]["id"] == first["message"]["id"]
    # The retry broadcasts the stored message again (in case the first broadcast died with its
    # process), but a socket that already passed it on does not send it twice.
    assert (await frame_of_type(bart, "message"))["message"]["id"] == first["message"]["id"]
    assert await bart.receive_nothing(timeout=0.5)
    assert await database_sync_to_async(stored_bodies)(conversation) == ["Une seule fois"]
    await anne.disconnect()
    await bart.disconnect()


BAD_FRAMES = [
    ("{not json", "bad_json"),
    ('["a", "list"]', "bad_frame"),
    ('{"no": "type"}', "bad_frame"),
    ('{"type": "dance"}', "unknown_type"),
    (json.dumps({"type": "message", "body": "", "client_id": str(uuid.uuid4())}), "invalid_body"),
    (
        json.dumps({"type": "message", "body": " \n ", "client_id": str(uuid.uuid4())}),
        "invalid_body",
    ),
    (
        json.dumps({"type": "message", "body": "x" * 2001, "client_id": str(uuid.uuid4())}),
        "invalid_body",
    ),
    (json.dumps({"type": "message", "body": 7, "client_id": str(uuid.uuid4())}), "invalid_body"),
    (json.dumps({"type": "message", "body": "hi", "client_id": "123"}), "invalid_client_id"),
    (json.dumps({"type": "message", "body": "hi"}), "invalid_client_id"),
    ('{"type": "sync", "after": "yesterday"}', "invalid_after"),
    ('{"type": "read", "up_to": -4}', "invalid_read_position"),
    ('{"type": "x", "pad": "' + "y" * 20_000 + '"}', "frame_too_large"),
]


async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(conversation, requester):
    anne = await join(conversation, requester)
    for frame, code in BAD_FRAMES:
        await anne.send_to(text_data=frame)
        error = await frame_of_type(anne, "error")
        assert (error["code"], bool(error["detail"])) == (code, True), frame[:60]
    ack = await send_message(anne, "Still here")
    assert ack["created"] is True
    assert await database_sync_to_async(stored_bodies)(conversation) == ["Still here"]
    await anne.disconnect()


async def test_a_binary_frame_gets_an_error_frame(conversation, requester):
    anne = await join(conversation, requester)
    await anne.send_to(bytes_data=b"\x00\x01")
    assert (await frame_of_type(anne, "error"))["code"] == "bad_frame"
    await anne.send_json_to({"type": "ping"})
    assert await frame_of_type(anne, "pong") == {"type": "pong"}
    await anne.disconnect()


async def test_sending_too_fast_gets_rate_limited_and_stores_nothing_more(
    conversation, requester, helper, settings
):
    settings.MESSAGING_RATE_LIMIT_MESSAGES = 3
    anne = await join(conversation, requester)
    for number in range(3):
        assert (await send_message(anne, f"m{number}"))["created"] is True
    client_id = str(uuid.uuid4())
    await anne.send_json_to({"type": "message", "body": "too many", "client_id": client_id})
    error = await frame_of_type(anne, "error")
    assert error["code"] == "rate_limited" and error["client_id"] == client_id
    assert error["retry_after"] > 0
    assert await database_sync_to_async(stored_bodies)(conversation) == ["m0", "m1", "m2"]
    await anne.send_json_to({"type": "ping"})
    assert await frame_of_type(anne, "pong")  # still open
    await anne.disconnect()


async def test_the_limit_is_per_person_across_their_sockets(conversation, requester, settings):
    settings.MESSAGING_RATE_LIMIT_MESSAGES = 2
    phone, laptop = await join(conversation, requester), await join(conversation, requester)
    await send_message(phone, "one")
    await send_message(laptop, "two")
    await phone.send_json_to({"type": "message", "body": "three", "client_id": str(uuid.uuid4())})
    assert (await frame_of_type(phone, "error"))["code"] == "rate_limited"
    await phone.disconnect()
    await laptop.disconnect()


async def test_resume_after_disconnect_gets_every_missed_message_in_order_then_live_ones(
    conversation, requester, helper
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    await send_message(anne, "before")
    last_seen = (await frame_of_type(bart, "message"))["message"]["id"]
    await bart.disconnect()
    for body in ("missed 1", "missed 2", "missed 3"):
        await send_message(anne, body)

    bart = await join(conversation, helper)
    await bart.send_json_to({"type": "sync", "after": last_seen})
    caught_up = [(await frame_of_type(bart, "message"))["message"]["body"] for _ in range(3)]
    assert caught_up == ["missed 1", "missed 2", "missed 3"]
    synced = await frame_of_type(bart, "synced")
    await send_message(anne, "live again")
    live = (await frame_of_type(bart, "message"))["message"]
    assert live["body"] == "live again" and live["id"] > synced["last_id"]
    assert await bart.receive_nothing(timeout=0.3)  # nothing twice
    await anne.disconnect()
    await bart.disconnect()


async def test_resume_can_also_be_asked_for_in_the_address(conversation, requester, helper):
    anne = await join(conversation, requester)
    first = (await send_message(anne, "one"))["message"]["id"]
    await send_message(anne, "two")
    bart = await join(conversation, helper, query=f"after={first}")
    assert (await frame_of_type(bart, "message"))["message"]["body"] == "two"
    assert (await frame_of_type(bart, "synced"))["last_id"] > first
    await anne.disconnect()
    await bart.disconnect()


async def test_a_message_sent_live_is_not_repeated_by_a_later_sync(conversation, requester, helper):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    await send_message(anne, "once")
    await frame_of_type(bart, "message")
    await bart.send_json_to({"type": "sync", "after": 0})
    assert (await bart.receive_json_from(timeout=3))["type"] == "synced"
    await anne.disconnect()
    await bart.disconnect()


async def test_reading_moves_the_read_position_and_tells_the_others(
    conversation, requester, helper
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    message_id = (await send_message(anne, "Lu ?"))["message"]["id"]
    await bart.send_json_to({"type": "read", "up_to": message_id})
    assert await frame_of_type(anne, "read") == {
        "type": "read",
        "user": helper.pk,
        "up_to": message_id,
    }
    position = await database_sync_to_async(
        lambda: Participant.objects.get(conversation=conversation, user=helper).last_read_message_id
    )()
    assert position == message_id
    await anne.disconnect()
    await bart.disconnect()


async def test_logging_out_closes_the_persons_sockets(conversation, requester, helper):
    client = Client()
    await sync_to_async(client.force_login)(helper)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    by_session = await join(conversation, None, headers=[cookie])
    by_token = await join(conversation, helper)
    anne = await join(conversation, requester)

    await sync_to_async(client.post)("/logout/")

    assert await closed_with(by_session) == 4401
    assert await closed_with(by_token) == 4401
    assert await anne.receive_nothing(timeout=0.3)  # the other person is not affected
    # The ended session no longer opens a socket.
    _communicator, connected, code = await open_socket(
        f"/ws/conversations/{conversation.pk}/", headers=[cookie]
    )
    assert (connected, code) == (False, 4401)
    await anne.disconnect()


async def test_losing_access_closes_the_socket(conversation, requester, helper):
    bart = await join(conversation, helper)
    await database_sync_to_async(services.conversation_participant_remove)(
        conversation=conversation, user=helper
    )
    assert await closed_with(bart) == 4403
