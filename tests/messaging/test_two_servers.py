"""End to end: two real Uvicorn processes share one conversation through Redis.

Participant A talks to one server process, B to the other, each with a real WebSocket client
(the `websockets` package); a message sent on either side reaches the other.
"""

import asyncio
import json
import uuid

import pytest
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from messaging.models import Message
from tests.messaging.conftest import token_for
from tests.messaging.servers import uvicorn_servers

pytestmark = pytest.mark.django_db(transaction=True)


async def next_of_type(socket, kind: str, timeout: float = 5.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame


def socket_url(base_url: str, conversation, token: str) -> str:
    return (
        base_url.replace("http://", "ws://") + f"/ws/conversations/{conversation.pk}/?token={token}"
    )


async def test_two_server_processes_deliver_both_ways(conversation, requester, helper):
    anne_token = await database_sync_to_async(token_for)(requester)
    bart_token = await database_sync_to_async(token_for)(helper)
    with uvicorn_servers(2) as (first_server, second_server):
        async with (
            connect(
                socket_url(first_server, conversation, anne_token), origin=first_server
            ) as anne,
            connect(
                socket_url(second_server, conversation, bart_token), origin=second_server
            ) as bart,
        ):
            await anne.send(
                json.dumps(
                    {
                        "type": "message",
                        "body": "Depuis le serveur 1",
                        "client_id": str(uuid.uuid4()),
                    }
                )
            )
            ack = await next_of_type(anne, "ack")
            assert ack["delivery"] == "live"
            received = await next_of_type(bart, "message")
            assert received["message"] == ack["message"]

            await bart.send(
                json.dumps(
                    {
                        "type": "message",
                        "body": "Depuis le serveur 2",
                        "client_id": str(uuid.uuid4()),
                    }
                )
            )
            reply = await next_of_type(anne, "message")
            # Anne's own message comes back first on her socket, then Bart's.
            if reply["message"]["body"] == "Depuis le serveur 1":
                reply = await next_of_type(anne, "message")
            assert reply["message"]["body"] == "Depuis le serveur 2"
            assert reply["message"]["sender"] == helper.pk

        # Origin validation is part of the real stack: another site's page cannot connect.
        with pytest.raises(InvalidStatus) as refusal:
            async with connect(
                socket_url(first_server, conversation, anne_token), origin="http://evil.example"
            ):
                pass
        assert refusal.value.response.status_code == 403

    bodies = await database_sync_to_async(
        lambda: list(Message.objects.order_by("id").values_list("body", flat=True))
    )()
    assert bodies == ["Depuis le serveur 1", "Depuis le serveur 2"]
