"""/ws/notifications/: a person's events and unread counts, on the real Redis channel layer."""

import pytest
from channels.db import database_sync_to_async

from core import realtime
from messaging import services
from tests.messaging.factories import MessageFactory
from tests.messaging.sockets import frame_of_type, join, open_socket, send_message

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"


async def notifications_for(user, query: str = ""):
    communicator, connected, code = await open_socket(PATH, user=user, query=query)
    assert connected, f"refused with {code}"
    return communicator


async def test_it_starts_with_the_unread_counts(conversation, requester, helper):
    await database_sync_to_async(MessageFactory.create_batch)(
        2, conversation=conversation, sender=helper
    )
    anne = await notifications_for(requester)
    assert await frame_of_type(anne, "unread") == {
        "type": "unread",
        "conversations": {str(conversation.pk): 2},
        "total": 2,
    }
    await anne.disconnect()


async def test_events_sent_with_notify_user_arrive_on_every_socket_of_that_person_only(
    requester, helper
):
    phone, laptop = await notifications_for(requester), await notifications_for(requester)
    bart = await notifications_for(helper)
    for socket in (phone, laptop, bart):
        await frame_of_type(socket, "unread")
    event = {"type": "offer.created", "offer": 5, "request": 9}
    await database_sync_to_async(realtime.notify_user)(user_id=requester.pk, event=event)
    assert await frame_of_type(phone, "offer.created") == event
    assert await frame_of_type(laptop, "offer.created") == event
    assert await bart.receive_nothing(timeout=0.3)
    for socket in (phone, laptop, bart):
        await socket.disconnect()


async def test_events_sent_with_notify_users_arrive_for_each_person_named_once(
    requester, helper, outsider
):
    anne, bart, carl = (
        await notifications_for(requester),
        await notifications_for(helper),
        await notifications_for(outsider),
    )
    for socket in (anne, bart, carl):
        await frame_of_type(socket, "unread")
    event = {"type": "request.created", "request": 12, "category": "shopping"}
    await database_sync_to_async(realtime.notify_users)(
        user_ids=[requester.pk, helper.pk], event=event
    )
    assert await frame_of_type(anne, "request.created") == event
    assert await frame_of_type(bart, "request.created") == event
    assert await carl.receive_nothing(timeout=0.3)
    assert await anne.receive_nothing(timeout=0.2)  # once, not once per person named
    for socket in (anne, bart, carl):
        await socket.disconnect()


async def test_a_new_message_is_announced_with_unread_counts_unless_that_conversation_is_open(
    conversation, requester, helper
):
    watching_other = await notifications_for(helper)
    viewing_it = await notifications_for(helper, query=f"viewing={conversation.pk}")
    for socket in (watching_other, viewing_it):
        await frame_of_type(socket, "unread")
    anne = await join(conversation, requester)
    ack = await send_message(anne, "Vous êtes là ?")

    event = await frame_of_type(watching_other, "message.created")
    assert event["conversation"] == conversation.pk
    assert event["message"]["id"] == ack["message"]["id"]
    assert (event["unread"], event["unread_total"]) == (1, 1)
    assert await viewing_it.receive_nothing(timeout=0.3)
    # The sender's own notification sockets are not told about their own message.
    annes_notifications = await notifications_for(requester)
    await frame_of_type(annes_notifications, "unread")
    await send_message(anne, "Encore moi")
    assert await annes_notifications.receive_nothing(timeout=0.3)
    for socket in (watching_other, viewing_it, anne, annes_notifications):
        await socket.disconnect()


async def test_the_viewed_conversation_can_change_with_a_frame(conversation, requester, helper):
    bart = await notifications_for(helper)
    await frame_of_type(bart, "unread")
    await bart.send_json_to({"type": "viewing", "conversation": conversation.pk})
    await bart.send_json_to({"type": "ping"})
    await frame_of_type(bart, "pong")
    anne = await join(conversation, requester)
    await send_message(anne, "hidden")
    assert await bart.receive_nothing(timeout=0.3)
    await bart.send_json_to({"type": "viewing", "conversation": None})
    await send_message(anne, "shown")
    assert (await frame_of_type(bart, "message.created"))["message"]["body"] == "shown"
    await anne.disconnect()
    await bart.disconnect()


async def test_reading_sends_fresh_unread_counts(conversation, requester, helper):
    message = await database_sync_to_async(MessageFactory)(conversation=conversation, sender=helper)
    anne = await notifications_for(requester)
    assert (await frame_of_type(anne, "unread"))["total"] == 1
    await database_sync_to_async(services.messages_read_mark)(
        conversation=conversation, user=requester, up_to=message.pk
    )
    assert await frame_of_type(anne, "unread") == {
        "type": "unread",
        "conversations": {},
        "total": 0,
    }
    await anne.disconnect()


async def test_anonymous_people_are_refused():
    _communicator, connected, code = await open_socket(PATH)
    assert (connected, code) == (False, 4401)


async def test_bad_frames_get_errors_and_the_socket_stays_open(requester):
    anne = await notifications_for(requester)
    await frame_of_type(anne, "unread")
    await anne.send_to(text_data="nope")
    assert (await frame_of_type(anne, "error"))["code"] == "bad_json"
    await anne.send_json_to({"type": "viewing", "conversation": "x"})
    assert (await frame_of_type(anne, "error"))["code"] == "invalid_conversation"
    await anne.send_json_to({"type": "ping"})
    assert await frame_of_type(anne, "pong")
    await anne.disconnect()
