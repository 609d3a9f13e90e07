"""The channel layer (Redis) as messaging uses it: group names, sends that never hang or raise,
and a watch that tells the sockets when live delivery goes down and comes back.

Live delivery is a convenience on top of the database, never the record: a message is stored
first, and a send that fails (Redis down, slow, restarting) is reported as "degraded" while the
stored message waits for the client's next catch-up. So every send here has a short time limit
and turns any failure into `False`.

Messaging uses the channel layer alias "messaging" when settings define it (Redis PUBLISH /
SUBSCRIBE: see docs/MESSAGING.md, "Benchmark", for why), else "default".
"""

import asyncio
import logging
import weakref

from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from core import background_loop

logger = logging.getLogger(__name__)

LAYER_ALIAS = "messaging"

# A dead Redis refuses connections at once; a hung one must not hold a request for long.
SEND_TIMEOUT_SECONDS = 1.0
# group_send_many's sends run concurrently, each at most two attempts within the time limit.
SYNC_SEND_TIMEOUT_SECONDS = 2 * SEND_TIMEOUT_SECONDS + 0.5
# How often each server process checks that live delivery works while it has sockets open.
WATCH_INTERVAL_SECONDS = 1.0

DELIVERY_LIVE = "live"
DELIVERY_DEGRADED = "degraded"
DELIVERY_PENDING = "pending"  # stored in a transaction that has not committed yet


def layer_alias() -> str:
    """The channel layer alias messaging uses."""
    return LAYER_ALIAS if LAYER_ALIAS in settings.CHANNEL_LAYERS else DEFAULT_CHANNEL_LAYER


def get_layer():
    return get_channel_layer(layer_alias())


def conversation_group(conversation_id: int) -> str:
    """Every socket open on a conversation (on any server process)."""
    return f"conversation.{conversation_id}"


def user_sockets_group(user_id: int) -> str:
    """Every socket of one person: how their sockets are closed on logout or lost access."""
    return f"user.{user_id}.sockets"


def user_notifications_group(user_id: int) -> str:
    """The person's notification sockets (`/ws/notifications/`)."""
    return f"user.{user_id}.notifications"


async def group_send(group: str, event: dict) -> bool:
    """Send `event` to a group; True when Redis took it, False (logged) on any failure."""
    return await group_send_many([(group, event)])


async def group_send_many(sends: list[tuple[str, dict]]) -> bool:
    """Send several (group, event) pairs concurrently; True only if every one went through.

    A connection that Redis dropped while restarting fails once before the pool replaces it,
    so a failed send is tried a second time at once (still within the time limit).
    """
    layer = get_layer()
    if layer is None or not sends:
        return layer is not None

    async def send_with_retry(group: str, event: dict) -> bool:
        for attempt in (1, 2):
            try:
                await asyncio.wait_for(layer.group_send(group, event), SEND_TIMEOUT_SECONDS)
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

    Runs on the process's background event loop (core/background_loop.py), whose Redis
    connections stay open between calls; never raises.
    """
    try:
        return background_loop.run_coroutine(
            group_send_many(sends), timeout=SYNC_SEND_TIMEOUT_SECONDS
        )
    except Exception as error:  # a timeout, or called from async code: never raise
        logger.warning("live delivery failed", extra={"error": repr(error)})
        return False


class LayerWatch:
    """Whether live delivery works, for one server process (one event loop).

    While sockets are open it sends a probe through the channel layer every second and reads
    it back: an end-to-end check, so "live" means Redis answers *and* this process's
    subscriptions work again (after a Redis restart the publish/subscribe layer re-subscribes
    on its own; the list-based layer needs the sockets to re-join their groups, which they do
    when told). Each socket registers a queue and gets {"type": "delivery.changed", "state"}
    on every change.
    """

    def __init__(self):
        self.live = True
        self.queues: set[asyncio.Queue] = set()
        self.task: asyncio.Task | None = None
        self.layer = None
        self.probe_channel: str | None = None
        self.probe_number = 0

    def register(self, queue: asyncio.Queue) -> bool:
        """Start telling `queue` about changes; returns whether delivery is live now."""
        self.queues.add(queue)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())
        return self.live

    def unregister(self, queue: asyncio.Queue) -> None:
        self.queues.discard(queue)

    async def _probe(self) -> bool:
        layer = get_layer()
        if layer is not self.layer:
            self.layer, self.probe_channel = layer, None
        try:
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                if self.probe_channel is None:
                    self.probe_channel = await layer.new_channel()
                self.probe_number += 1
                await layer.send(self.probe_channel, {"type": "probe", "n": self.probe_number})
                while (await layer.receive(self.probe_channel)).get("n") != self.probe_number:
                    pass  # an answer to an earlier probe that had timed out
            return True
        except Exception:
            # A receive cut short drops its channel in the publish/subscribe layer: start afresh.
            self.probe_channel = None
            return False

    async def _run(self) -> None:
        while self.queues:
            live = await self._probe()
            if live != self.live:
                self.live = live
                logger.warning("live delivery %s", "restored" if live else "down")
                event = {
                    "type": "delivery.changed",
                    "state": DELIVERY_LIVE if live else DELIVERY_DEGRADED,
                }
                for queue in list(self.queues):
                    queue.put_nowait(event)
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)


_watches: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LayerWatch]" = (
    weakref.WeakKeyDictionary()
)


def layer_watch() -> LayerWatch:
    """The watch of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    watch = _watches.get(loop)
    if watch is None:
        watch = _watches[loop] = LayerWatch()
    return watch


# --- Telling people (moved from messaging.services: every app tells people) ---------------


def notify_user(*, user_id: int, event: dict) -> None:
    """Push `event` to the person's notification sockets (`/ws/notifications/`) once the
    current transaction commits (at once outside a transaction).

    `event` is a JSON-serialisable dict with a "type", e.g.
    {"type": "offer.created", "offer": 12, "request": 5}. Nothing is stored: a person who is
    not connected simply does not get it, and if Redis is down the event is dropped (logged);
    this function never raises for that.
    """
    notify_users(user_ids=[user_id], event=event)


def notify_users(*, user_ids: list[int], event: dict) -> None:
    """`notify_user` for several people at once: one after-commit callback sends every event
    concurrently (a new request tells up to 50 helpers; one by one, each send waited for the
    one before)."""
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise ValueError("A notification event is a dict with a 'type'.")
    sends = [
        (user_notifications_group(user_id), {"type": "notify", "event": event})
        for user_id in user_ids
    ]
    if sends:
        transaction.on_commit(lambda: group_send_many_sync(sends))


def user_sockets_close(*, user_id: int) -> None:
    """Close every WebSocket of the person, on every server process, after the current
    transaction commits (logout, account deactivated or erased). Never raises."""
    transaction.on_commit(
        lambda: group_send_many_sync([(user_sockets_group(user_id), {"type": "session.ended"})])
    )
