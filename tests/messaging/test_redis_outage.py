"""Degraded mode: Redis stops while a conversation is in use, then comes back.

A private redis-server (never the shared one) is stopped and restarted on the same port.
Meanwhile messages are still stored and said to be "degraded"; when Redis is back the sockets
re-join their groups by themselves and live delivery resumes, and catching up shows that no
message was lost.
"""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from messaging.models import Message
from tests.messaging.conftest import channel_layers_on
from tests.messaging.servers import PrivateRedis
from tests.messaging.sockets import frame_of_type, join, send_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["as in settings", "list-based layer only"])
def redis_server(request, settings):
    """A private Redis for the channel layers: the settings' two layers (messaging on
    publish/subscribe), or only channels_redis' list-based layer (if the "messaging" alias
    were removed, messaging falls back to "default" and must recover just the same)."""
    server = PrivateRedis()
    server.start()
    layers = channel_layers_on(server.url, "outage.")
    if request.param == "list-based layer only":
        del layers["messaging"]
    settings.CHANNEL_LAYERS = layers
    yield server
    server.stop()


async def delivery_state(communicator, state: str, timeout: float = 15.0) -> None:
    """Wait for the socket to report `state` ("live" / "degraded")."""
    while (await frame_of_type(communicator, "delivery", timeout=timeout))["state"] != state:
        pass


async def messages_until_live(communicator, timeout: float = 15.0) -> tuple[list[str], dict]:
    """The bodies of the messages received before the `delivery: live` frame, and that frame."""
    bodies = []
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == "message":
            bodies.append(frame["message"]["body"])
        elif frame["type"] == "delivery" and frame["state"] == "live":
            return bodies, frame


def post_over_rest(user, conversation, body: str):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        f"/api/conversations/{conversation.pk}/messages/",
        {"body": body, "client_id": str(uuid.uuid4())},
        format="json",
    )


async def test_messages_survive_a_redis_restart_and_live_delivery_resumes(
    redis_server, conversation, requester, helper
):
    anne, bart = await join(conversation, requester), await join(conversation, helper)
    before = await send_message(anne, "before the outage")
    assert before["delivery"] == "live"
    assert (await frame_of_type(bart, "message"))["message"]["body"] == "before the outage"

    redis_server.stop()

    during = await send_message(anne, "during the outage (socket)")
    assert during["created"] is True and during["delivery"] == "degraded"
    response = await sync_to_async(post_over_rest)(requester, conversation, "during (REST)")
    assert response.status_code == 201 and response.json()["delivery"] == "degraded"
    await delivery_state(bart, "degraded")

    redis_server.start()  # same port, empty: every group membership is gone

    # Back: Bart's socket first sends him what he missed, from the database, then says it is
    # live and up to which number he has everything.
    missed, live = await messages_until_live(bart)
    assert missed == ["during the outage (socket)", "during (REST)"]
    assert live["seq"] == 3
    await delivery_state(anne, "live")
    after = await send_message(anne, "after the outage")
    assert after["delivery"] == "live"
    assert (await frame_of_type(bart, "message"))["message"]["body"] == "after the outage"

    # A client following the resume rule also syncs from its last contiguous number on
    # `live`: it gets nothing twice.
    await bart.send_json_to({"type": "sync", "after_seq": before["message"]["seq"]})
    synced = await frame_of_type(bart, "synced")
    assert synced["last_seq"] == 4
    assert await bart.receive_nothing(timeout=0.3)

    stored = await database_sync_to_async(
        lambda: list(Message.objects.order_by("id").values_list("body", flat=True))
    )()
    assert stored == [
        "before the outage",
        "during the outage (socket)",
        "during (REST)",
        "after the outage",
    ]
    await anne.disconnect()
    await bart.disconnect()


async def test_a_socket_opened_while_redis_is_down_works_and_goes_live_later(
    redis_server, conversation, requester, helper
):
    redis_server.stop()
    anne = await join(conversation, requester)
    await delivery_state(anne, "degraded", timeout=3)
    ack = await send_message(anne, "stored anyway")
    assert ack["delivery"] == "degraded"
    redis_server.start()
    await delivery_state(anne, "live")
    bart = await join(conversation, helper)
    await send_message(bart, "hello")
    assert (await frame_of_type(anne, "message"))["message"]["body"] == "hello"
    await anne.disconnect()
    await bart.disconnect()
