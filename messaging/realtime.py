"""The channel layer (Redis) as messaging uses it: group names and sends that never hang or raise.

Live delivery is a convenience on top of the database, never the record: a message is stored
first, and a send that fails (Redis down, slow, restarting) is reported as "degraded" while the
stored message waits for the client's next catch-up. So every send here has a short time limit
and turns any failure into `False`.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# A dead Redis refuses connections at once; a hung one must not hold a request for long.
SEND_TIMEOUT_SECONDS = 1.0

DELIVERY_LIVE = "live"
DELIVERY_DEGRADED = "degraded"
DELIVERY_PENDING = "pending"  # stored in a transaction that has not committed yet


def conversation_group(conversation_id: int) -> str:
    """Every socket open on a conversation (on any server process)."""
    return f"conversation.{conversation_id}"


def user_sockets_group(user_id: int) -> str:
    """Every socket of one person: how their sockets are closed on logout or lost access."""
    return f"user.{user_id}.sockets"


def user_notifications_group(user_id: int) -> str:
    """The person's notification sockets (`/ws/notifications/`)."""
    return f"user.{user_id}.notifications"


async def _send_once(layer, group: str, event: dict) -> None:
    await asyncio.wait_for(layer.group_send(group, event), SEND_TIMEOUT_SECONDS)


async def group_send(group: str, event: dict) -> bool:
    """Send `event` to a group; True when Redis took it, False (logged) on any failure."""
    return await group_send_many([(group, event)])


async def group_send_many(sends: list[tuple[str, dict]]) -> bool:
    """Send several (group, event) pairs concurrently; True only if every one went through.

    A connection that Redis dropped while restarting fails once before the pool replaces it,
    so a failed send is tried a second time at once (still within the time limit).
    """
    layer = get_channel_layer()
    if layer is None or not sends:
        return layer is not None

    async def send_with_retry(group: str, event: dict) -> bool:
        for attempt in (1, 2):
            try:
                await _send_once(layer, group, event)
                return True
            except Exception as error:  # Redis errors, timeouts, OS errors: all mean "not sent"
                if attempt == 2:
                    logger.warning(
                        "live delivery failed",
                        extra={
                            "group": group,
                            "event_type": event.get("type"),
                            "error": repr(error),
                        },
                    )
        return False

    results = await asyncio.gather(*(send_with_retry(group, event) for group, event in sends))
    return all(results)


def group_send_many_sync(sends: list[tuple[str, dict]]) -> bool:
    """`group_send_many` for synchronous code (views, services, on_commit callbacks).

    Under the ASGI server this runs on the server's own event loop (asgiref hands it over), so
    the loop's Redis connection pool is reused; elsewhere asgiref runs a short-lived loop.
    """
    try:
        return async_to_sync(group_send_many)(sends)
    except Exception as error:  # e.g. called from a thread with a running loop: never raise
        logger.warning("live delivery failed", extra={"error": repr(error)})
        return False
