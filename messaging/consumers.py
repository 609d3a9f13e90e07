"""WebSocket consumers: one conversation (`/ws/conversations/<id>/`) and a person's
notifications (`/ws/notifications/`).

Consumers stay thin: they parse frames, call messaging.services / selectors, and render the
result. Frames and close codes are described in docs/MESSAGING.md. Two things are handled here
because channels does not:

- A bad frame never closes the socket: it gets an error frame `{"type": "error", "code",
  "detail"}`.
- Redis may go away and come back. channels' consumer stops at the first channel-layer error;
  these consumers instead keep serving what does not need Redis (sending stores messages,
  `sync` reads the database), tell the client when live delivery is degraded and when it is
  back (after re-joining their groups: a restarted Redis has forgotten them), so that the
  client catches up then.
"""

import asyncio
import contextvars
import functools
import json
import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import translation
from django.utils.translation import gettext as _

from core import realtime
from core.api_errors import DomainError
from messaging import ratelimit, selectors, services
from messaging.models import Conversation

logger = logging.getLogger(__name__)

CLOSE_NOT_AUTHENTICATED = 4401  # no or expired credentials, or logged out
CLOSE_FORBIDDEN = 4403  # not (or no longer) a participant
MAX_FRAME_CHARACTERS = 16_000  # a 2,000-character message fits many times over
SYNC_PAGE = 200
SENT_IDS_KEPT = 5_000
LAYER_RETRY_SECONDS = 1.0
LAYER_RETRY_MAX_SECONDS = 5.0


class DatabaseThreads:
    """A few threads for the consumers' database calls, each keeping its connection warm.

    channels' `database_sync_to_async` closes the connection after each call unless
    DB_CONN_MAX_AGE > 0, so under `make run` defaults every database touch of a consumer opened
    a new PostgreSQL connection (live delivery p50 43 s at 250 msg/s, issue 17); and with
    DB_CONN_MAX_AGE > 0 the connection belongs to each socket's context, one per socket. Here
    each thread runs its calls in its own long-lived context, so the process has `size`
    connections in all, opened once and kept while they work. With the connection pool on
    (DB_POOL_MAX_SIZE) the connection goes back to the pool after each call instead, as
    everywhere else (the pool keeps them warm and bounds them).
    """

    def __init__(self, size: int):
        self.size = size
        self.local = threading.local()
        self.contexts: list[contextvars.Context] = []
        self.executor = None

    def _context(self) -> contextvars.Context:
        context = getattr(self.local, "context", None)
        if context is None:
            context = self.local.context = contextvars.Context()
            self.contexts.append(context)
        return context

    def shutdown(self) -> None:
        """Close the threads' connections and the threads (tests: before the test database
        is dropped). The next call starts afresh."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        executor.shutdown(wait=True)
        contexts, self.contexts, self.local = self.contexts, [], threading.local()
        for context in contexts:
            context.run(_close_raw_connections)

    def _call(self, function, args, kwargs):
        pooled = "pool" in connections["default"].settings_dict.get("OPTIONS", {})
        if pooled:
            close_old_connections()
        else:
            _close_broken_connections()
        try:
            return function(*args, **kwargs)
        finally:
            if pooled:
                close_old_connections()
            else:
                _close_broken_connections()

    def _run(self, function, args, kwargs):
        return self._context().run(self._call, function, args, kwargs)

    def __call__(self, function):
        async def in_thread(*args, **kwargs):
            if self.executor is None:
                self.executor = ThreadPoolExecutor(self.size, thread_name_prefix="messaging-db")
            return await asyncio.get_running_loop().run_in_executor(
                self.executor, functools.partial(self._run, function, args, kwargs)
            )

        return in_thread


def _close_raw_connections() -> None:
    # From another thread than the one that opened them (their threads have ended), so the
    # driver's connections are closed directly: Django's close() refuses foreign threads.
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.connection.close()
            connection.connection = None


def _close_broken_connections() -> None:
    """Django's health check for kept connections, without its age limit: a connection
    that failed (PostgreSQL restarted, say) and no longer answers is closed, and the next
    query opens a new one."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        # As Django does between requests: the next query first checks that the connection
        # still answers (CONN_HEALTH_CHECKS), so one that died while idle — PostgreSQL
        # restarted during a quiet moment — is replaced before it fails a socket's call.
        connection.health_check_done = False
        if connection.get_autocommit() != connection.settings_dict["AUTOCOMMIT"]:
            connection.close()
        elif connection.errors_occurred:
            if connection.is_usable():
                connection.errors_occurred = False
            else:
                connection.close()


# As many threads as the default executor would have on this machine, so as many connections
# per server process (PostgreSQL's max_connections must allow processes × this + the HTTP side).
in_database_thread = DatabaseThreads(getattr(settings, "MESSAGING_DATABASE_THREADS", 4))


def _positive_int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _query_int(scope, name: str) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    if values and values[0].isdigit():
        return int(values[0])
    return None


class ResilientJsonConsumer(AsyncWebsocketConsumer):
    """A JSON WebSocket consumer that survives channel-layer outages (see module docstring).

    Subclasses call `groups_join(...)` in `connect()` and add `handle_<type>` methods for the
    frames they accept. Live-delivery changes come from the process's LayerWatch
    (core.realtime) through `self.local_events`.
    """

    async def __call__(self, scope, receive, send):
        # channels' AsyncConsumer.__call__, with three differences: messaging's layer alias,
        # a channel receive that waits out Redis failures instead of raising, and a third
        # source of events (`local_events`, fed by the LayerWatch).
        self.scope = scope
        self.channel_layer = get_channel_layer(realtime.layer_alias())
        self.base_send = send
        self.groups_wanted: list[str] = []
        self.layer_down = False
        self.language = None
        self.local_events: asyncio.Queue = asyncio.Queue()
        self.watch = realtime.layer_watch()
        self.channel_name = None
        try:
            self.channel_name = await asyncio.wait_for(
                self.channel_layer.new_channel(), realtime.SEND_TIMEOUT_SECONDS
            )
        except Exception:  # Redis down: the socket still works, live delivery comes later
            self.layer_down = True
        try:
            await await_many_dispatch(
                [receive, self._channel_receive, self.local_events.get], self.dispatch
            )
        except StopConsumer:
            pass
        finally:
            self.watch.unregister(self.local_events)

    # --- Channel layer ---------------------------------------------------------------------

    async def groups_join(self, groups: list[str]) -> None:
        """Join `groups` now if Redis answers; otherwise live delivery starts degraded and the
        groups are joined as soon as Redis is back."""
        self.groups_wanted = list(groups)
        live = self.watch.register(self.local_events)
        if not live or not await self._groups_add():
            self.layer_down = True
            self._retry_groups_later()

    def _retry_groups_later(self) -> None:
        asyncio.get_running_loop().call_later(
            LAYER_RETRY_SECONDS,
            self.local_events.put_nowait,
            {"type": "delivery.changed", "state": realtime.DELIVERY_LIVE},
        )

    async def _groups_add(self) -> bool:
        if self.channel_name is None:
            return False
        try:
            for group in self.groups_wanted:
                await asyncio.wait_for(
                    self.channel_layer.group_add(group, self.channel_name),
                    realtime.SEND_TIMEOUT_SECONDS,
                )
            return True
        except Exception as error:  # Redis down or slow: tried again later
            logger.info("channel layer unavailable", extra={"error": repr(error)})
            return False

    async def _groups_discard(self) -> None:
        for group in self.groups_wanted if self.channel_name else []:
            try:
                await asyncio.wait_for(
                    self.channel_layer.group_discard(group, self.channel_name),
                    realtime.SEND_TIMEOUT_SECONDS,
                )
            except Exception:  # the group entry expires by itself in Redis
                break

    async def _channel_receive(self) -> dict:
        """The next event from the channel layer, waiting out Redis failures (the LayerWatch
        tells the client; this only retries, with back-off)."""
        delay = LAYER_RETRY_SECONDS
        while True:
            try:
                if self.channel_name is None:
                    self.channel_name = await asyncio.wait_for(
                        self.channel_layer.new_channel(), realtime.SEND_TIMEOUT_SECONDS
                    )
                return await self.channel_layer.receive(self.channel_name)
            except Exception as error:
                logger.info("channel layer receive failed", extra={"error": repr(error)})
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, LAYER_RETRY_MAX_SECONDS)

    async def dispatch(self, message):
        # channels' dispatch, less two things: an event without a handler is logged and dropped
        # (not fatal), and no close_old_connections() hop to the database thread before every
        # event: most events never touch the database, and the ones that do go through
        # `in_database_thread`, which cleans up around each call itself.
        handler_name = message.get("type", "").replace(".", "_")
        handler = None if handler_name.startswith("_") else getattr(self, handler_name, None)
        if handler is None:
            logger.warning("unexpected event", extra={"event_type": message.get("type")})
            return
        await handler(message)

    async def websocket_disconnect(self, message):
        await self._groups_discard()
        await self.disconnect(message.get("code"))
        raise StopConsumer()

    async def delivery_changed(self, event):
        """From the LayerWatch (or a retry): live delivery went down or came back."""
        if not self.groups_wanted:
            return  # not accepted, or already closing
        if event["state"] == realtime.DELIVERY_DEGRADED:
            if not self.layer_down:
                self.layer_down = True
                await self.send_json({"type": "delivery", "state": realtime.DELIVERY_DEGRADED})
            return
        # Back: join the groups again first (a restarted Redis has forgotten them), and only
        # then tell the client, whose catch-up (`sync`) then misses nothing.
        if not await self._groups_add():
            self.layer_down = True
            self._retry_groups_later()
            return
        if self.layer_down:
            self.layer_down = False
            await self.send_json(
                {"type": "delivery", "state": realtime.DELIVERY_LIVE, **await self.resumed()}
            )
            await self.on_delivery_changed(realtime.DELIVERY_LIVE)

    async def resumed(self) -> dict:
        """Hook for subclasses: called when live delivery is back (groups joined again), just
        before the client is told; what it returns is added to the `delivery` frame."""
        return {}

    async def on_delivery_changed(self, state: str) -> None:
        """Hook for subclasses."""

    async def session_ended(self, event):
        """The person logged out (or their account was closed): close every socket of theirs."""
        await self._close(CLOSE_NOT_AUTHENTICATED)

    async def _close(self, code: int) -> None:
        await self._groups_discard()
        self.groups_wanted = []
        await self.close(code=code)

    # --- Frames ----------------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def send_error(self, code: str, detail: str, **extra) -> None:
        await self.send_json({"type": "error", "code": code, "detail": str(detail), **extra})

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            await self._receive_frame(text_data)

    async def _receive_frame(self, text_data) -> None:
        if text_data is None:
            await self.send_error("bad_frame", _("Frames are JSON text."))
            return
        if len(text_data) > MAX_FRAME_CHARACTERS:
            await self.send_error("frame_too_large", _("This frame is too large."))
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", _("This frame is not valid JSON."))
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_error("bad_frame", _("A frame is a JSON object with a “type”."))
            return
        handler = getattr(self, "handle_" + frame["type"], None)
        if handler is None:
            await self.send_error(
                "unknown_type", _("Unknown frame type: %(type)s.") % {"type": frame["type"][:40]}
            )
            return
        await handler(frame)

    async def handle_ping(self, frame: dict) -> None:
        await self.send_json({"type": "pong"})

    def authenticated_user(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        self.language = getattr(user, "language", None)
        return user


def _message_send_in_language(language, **arguments):
    with translation.override(language):
        return services.message_send(**arguments)


def _messages_read_mark_in_language(language, **arguments):
    with translation.override(language):
        return services.messages_read_mark(**arguments)


class ConversationConsumer(ResilientJsonConsumer):
    """`/ws/conversations/<id>/` for the conversation's participants.

    Client frames: message {body, client_id}, sync {after | after_seq}, read {up_to}, ping.
    Server frames: message {message}, ack {client_id, message, created, delivery?},
    synced {last_id, last_seq}, read {user, up_to}, delivery {state, seq?},
    error {code, detail}, pong.
    """

    async def connect(self):
        user = self.authenticated_user()
        if user is None:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)  # refused at the handshake
            return
        conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        conversation = await in_database_thread(_conversation_for_participant)(
            conversation_id=conversation_id, user_id=user.pk
        )
        if conversation is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.conversation = conversation
        self.rate_bucket = ratelimit.connection_bucket()
        # Ids of the messages already sent on this socket: a message reaches a socket once,
        # whether it comes live or from a `sync`.
        self.sent_ids: set[int] = set()
        # This socket has been sent every message numbered from its start up to `contiguous`
        # (read before joining the groups: whatever commits later comes live or fills a gap).
        # A live message numbered beyond contiguous + 1 means some were missed (Redis restarted,
        # a publish lost, two publishes crossing): the consumer sends them from the database
        # first, so the client receives them in order and complete (docs/MESSAGING.md).
        self.contiguous = conversation.last_message_seq
        await self.groups_join(
            [realtime.conversation_group(conversation.pk), realtime.user_sockets_group(user.pk)]
        )
        await self.accept()
        if self.layer_down:
            await self.send_json({"type": "delivery", "state": realtime.DELIVERY_DEGRADED})
        after_seq = _query_int(self.scope, "after_seq")
        after = _query_int(self.scope, "after")
        if after_seq is not None:
            await self.sync_after(after_seq=after_seq)
        elif after is not None:
            await self.sync_after(after)

    async def handle_message(self, frame: dict) -> None:
        # Errors name the client_id they are about, so the page can mark that message.
        about = {"client_id": frame["client_id"]} if isinstance(frame.get("client_id"), str) else {}
        wait = ratelimit.user_may_send(self.user.pk, connection=self.rate_bucket)
        if wait is not None:
            await self.send_error(
                "rate_limited",
                _("You are sending messages too fast; wait a few seconds."),
                retry_after=wait,
                **about,
            )
            return
        try:
            message, created = await in_database_thread(_message_send_in_language)(
                self.language,
                conversation=self.conversation,
                sender=self.user,
                body=frame.get("body"),
                client_id=frame.get("client_id"),
            )
        except DomainError as error:
            if error.code == "not_participant":
                await self._close(CLOSE_FORBIDDEN)
                return
            await self.send_error(error.code, error.detail, **about)
            return
        ack = {
            "type": "ack",
            "client_id": str(message.client_id),
            "created": created,
            "message": services.message_payload(message),
            "delivery": message.delivery,
        }
        await self.send_json(ack)

    async def handle_sync(self, frame: dict) -> None:
        if "after_seq" in frame:
            after_seq = _positive_int(frame["after_seq"])
            if after_seq is None:
                await self.send_error(
                    "invalid_after", _("after_seq must be a message number (0 or more).")
                )
                return
            await self.sync_after(after_seq=after_seq)
            return
        after = _positive_int(frame.get("after", 0))
        if after is None:
            await self.send_error("invalid_after", _("after must be a message id (0 or more)."))
            return
        await self.sync_after(after)

    async def sync_after(self, after: int = 0, *, after_seq: int | None = None) -> None:
        """Every message after id `after` (or after number `after_seq`), in order, then a
        "synced" frame. Messages that arrive live meanwhile wait in the channel and are then
        skipped if already sent."""
        if after_seq is not None:
            # The client has everything up to after_seq: no need to fill gaps below it.
            self.contiguous = max(self.contiguous, after_seq)
        last_id, last_seq = after, after_seq
        while True:
            page = await in_database_thread(selectors.messages_after)(
                conversation_id=self.conversation.pk,
                after=last_id,
                after_seq=last_seq,
                limit=SYNC_PAGE,
            )
            if page and last_seq is None:
                # Asked by id: the client has everything before this one.
                self.contiguous = max(self.contiguous, page[0].seq - 1)
            for message in page:
                await self._send_message(services.message_payload(message))
            if page:
                last_id, last_seq = page[-1].pk, page[-1].seq
            if len(page) < SYNC_PAGE:
                break
        await self.send_json(
            {"type": "synced", "last_id": last_id, "last_seq": max(last_seq or 0, self.contiguous)}
        )

    async def _fill_gap(self, up_to_seq: int | None = None) -> None:
        """Send the messages numbered after `contiguous` (up to `up_to_seq`) from the
        database: they were committed, their live copy did not come."""
        after_seq = self.contiguous
        while up_to_seq is None or after_seq < up_to_seq:
            page = await in_database_thread(selectors.messages_after)(
                conversation_id=self.conversation.pk,
                after_seq=after_seq,
                up_to_seq=up_to_seq,
                limit=SYNC_PAGE,
            )
            for message in page:
                await self._send_message(services.message_payload(message))
            if page:
                after_seq = page[-1].seq
            if len(page) < SYNC_PAGE:
                break
        # The database is the record: a number it does not have (a deleted conversation's
        # messages, say) is not waited for.
        self.contiguous = max(self.contiguous, after_seq, up_to_seq or 0)

    async def resumed(self) -> dict:
        """Live delivery is back: first everything this socket missed meanwhile, from the
        database, then the `delivery: live` frame says up to which number it has all."""
        await self._fill_gap()
        return {"seq": self.contiguous}

    async def handle_read(self, frame: dict) -> None:
        up_to = _positive_int(frame.get("up_to"))
        if up_to is None:
            await self.send_error("invalid_read_position", _("up_to must be a message id."))
            return
        try:
            await in_database_thread(_messages_read_mark_in_language)(
                self.language, conversation=self.conversation, user=self.user, up_to=up_to
            )
        except DomainError as error:
            if error.code == "not_participant":
                await self._close(CLOSE_FORBIDDEN)
                return
            await self.send_error(error.code, error.detail)

    async def _send_message(self, payload: dict) -> None:
        seq = payload.get("seq")
        if seq == self.contiguous + 1:
            self.contiguous = seq
        if payload["id"] in self.sent_ids:
            return
        if len(self.sent_ids) >= SENT_IDS_KEPT:
            # Keep the newest half: a socket that lives this long only re-syncs recent ids.
            self.sent_ids = set(sorted(self.sent_ids)[SENT_IDS_KEPT // 2 :])
        self.sent_ids.add(payload["id"])
        await self.send_json({"type": "message", "message": payload})

    # --- Channel-layer events --------------------------------------------------------------

    async def message_created(self, event):
        payload = event["message"]
        seq = payload.get("seq")
        if seq is not None and seq <= self.contiguous:
            # Sent already, or older than this socket's start (its publish crossed the join):
            # what came before the start is the client's own sync's business (the resume rule).
            return
        if seq is not None and seq > self.contiguous + 1:
            # Numbers are handed out in commit order, so the missing ones are stored already.
            await self._fill_gap(up_to_seq=seq - 1)
        await self._send_message(payload)

    async def read_updated(self, event):
        await self.send_json({"type": "read", "user": event["user"], "up_to": event["up_to"]})

    async def access_revoked(self, event):
        if event.get("conversation") in (None, self.conversation.pk):
            await self._close(CLOSE_FORBIDDEN)


def _conversation_for_participant(*, conversation_id: int, user_id: int) -> Conversation | None:
    return (
        Conversation.objects.filter(pk=conversation_id, memberships__user_id=user_id)
        .only("id", "last_message_seq")
        .first()
    )


class NotificationConsumer(ResilientJsonConsumer):
    """`/ws/notifications/`: a person's events, e.g. offer.created, offer.accepted,
    conversation.opened, message.created (not for the conversation they say they are viewing),
    and unread counts ({"type": "unread", "conversations": {id: count}, "total": n}).

    Client frames: viewing {conversation: id | null} (also `?viewing=<id>`), ping.
    """

    async def connect(self):
        user = self.authenticated_user()
        if user is None:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.user = user
        self.viewing = _query_int(self.scope, "viewing")
        await self.groups_join(
            [realtime.user_notifications_group(user.pk), realtime.user_sockets_group(user.pk)]
        )
        await self.accept()
        if self.layer_down:
            await self.send_json({"type": "delivery", "state": realtime.DELIVERY_DEGRADED})
        await self.send_unread()

    async def send_unread(self) -> dict[int, int]:
        counts = await in_database_thread(selectors.unread_counts_for_user)(user_id=self.user.pk)
        await self.send_json(
            {
                "type": "unread",
                "conversations": {str(key): value for key, value in counts.items()},
                "total": sum(counts.values()),
            }
        )
        return counts

    async def handle_viewing(self, frame: dict) -> None:
        conversation = frame.get("conversation")
        if conversation is not None and _positive_int(conversation) is None:
            await self.send_error("invalid_conversation", _("conversation must be an id."))
            return
        self.viewing = conversation

    async def notify(self, event):
        notification = event["event"]
        kind = notification.get("type")
        if kind == "message.created":
            if notification.get("conversation") == self.viewing:
                return
            counts = await in_database_thread(selectors.unread_counts_for_user)(
                user_id=self.user.pk
            )
            notification = {
                **notification,
                "unread": counts.get(notification.get("conversation"), 0),
                "unread_total": sum(counts.values()),
            }
        elif kind == "conversation.read":
            await self.send_unread()
            return
        await self.send_json(notification)

    async def access_revoked(self, event):
        """Leaving one conversation does not end the person's notifications."""

    async def on_delivery_changed(self, state: str) -> None:
        if state == realtime.DELIVERY_LIVE:
            # Events sent while Redis was away are gone; the counts at least are exact again.
            await self.send_unread()
