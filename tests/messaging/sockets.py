"""Helpers for WebSocket tests: connect a person through the real ASGI stack, read frames."""

import asyncio
import uuid

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.messaging.conftest import token_for

ORIGIN = (b"origin", b"http://localhost")


async def open_socket(path: str, *, user=None, headers=(), query: str = ""):
    """(communicator, connected, close code) for `path`, as `user` (by ?token=) if given."""
    parameters = []
    if user is not None:
        parameters.append(f"token={await database_sync_to_async(token_for)(user)}")
    if query:
        parameters.append(query)
    full_path = path + ("?" + "&".join(parameters) if parameters else "")
    communicator = WebsocketCommunicator(application, full_path, headers=[ORIGIN, *headers])
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def join(conversation, user, **options) -> WebsocketCommunicator:
    communicator, connected, code = await open_socket(
        f"/ws/conversations/{conversation.pk}/", user=user, **options
    )
    assert connected, f"refused with {code}"
    return communicator


async def frame_of_type(communicator, kind: str, *, timeout: float = 3.0) -> dict:
    """The next frame of type `kind`, skipping others (e.g. delivery-state frames)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, f"no {kind!r} frame within {timeout} s"
        frame = await communicator.receive_json_from(timeout=remaining)
        if frame["type"] == kind:
            return frame


async def send_message(communicator, body: str, client_id: str | None = None) -> dict:
    """Send a message frame and return the ack."""
    await communicator.send_json_to(
        {"type": "message", "body": body, "client_id": client_id or str(uuid.uuid4())}
    )
    return await frame_of_type(communicator, "ack")


async def closed_with(communicator, *, timeout: float = 3.0) -> int:
    """The close code the server sent, skipping any frames before it."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")
