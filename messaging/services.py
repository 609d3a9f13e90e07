"""Writes for messaging: open a conversation, send a message, mark as read, notify people.

Every write is stored in a transaction first; live delivery over the channel layer happens in
`transaction.on_commit`, so nobody is ever told about something that was rolled back, and a
client that resumes from the database never sees a message that the live stream has not
(or will not) carry. When Redis is unreachable the write still succeeds and the result says
live delivery is degraded (see core.realtime).
"""

import logging
import uuid
from collections.abc import Iterable

from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, realtime
from core.api_errors import DomainError, NotAllowed
from core.realtime import notify_user
from messaging.models import MESSAGE_BODY_MAX_LENGTH, Conversation, Message, Participant

logger = logging.getLogger(__name__)


# --- Conversations ---------------------------------------------------------------------------


def _conversation_lock_key(
    *, help_request_id: int | None, referral_id: int | None, user_ids: list[int]
) -> str:
    return f"messaging.conversation_open:{help_request_id}:{referral_id}:{user_ids}"


def conversation_open(
    *, participants: list, help_request=None, referral_id: int | None = None
) -> Conversation:
    """The conversation between exactly `participants` about `help_request` / `referral_id`,
    created if it does not exist yet.

    Idempotent: the same request (or referral) and the same set of people give the same
    conversation, even when two callers race (a transaction-scoped advisory lock on that key
    serialises them). Safe inside the caller's transaction (e.g. accepting an offer): the
    participants are told about the new conversation only once that transaction commits.
    """
    user_ids = sorted({user.pk for user in participants})
    if len(user_ids) < 2:
        raise ValueError("A conversation needs at least two different people.")
    help_request_id = help_request.pk if help_request is not None else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [
                    _conversation_lock_key(
                        help_request_id=help_request_id,
                        referral_id=referral_id,
                        user_ids=user_ids,
                    )
                ],
            )
        candidates = Conversation.objects.filter(
            request_id=help_request_id, referral_id=referral_id
        ).prefetch_related("memberships")
        for candidate in candidates:
            if sorted(member.user_id for member in candidate.memberships.all()) == user_ids:
                return candidate
        conversation = Conversation.objects.create(
            request_id=help_request_id, referral_id=referral_id
        )
        Participant.objects.bulk_create(
            Participant(conversation=conversation, user_id=user_id) for user_id in user_ids
        )
        event = {
            "type": "conversation.opened",
            "conversation": conversation.pk,
            "request": help_request_id,
        }
        for user_id in user_ids:
            notify_user(user_id=user_id, event=event)
    return conversation


def conversation_participant_remove(*, conversation: Conversation, user) -> None:
    """Take a person out of a conversation; their open sockets on it are closed after commit."""
    with transaction.atomic():
        deleted, _details = Participant.objects.filter(
            conversation=conversation, user=user
        ).delete()
        if deleted:
            conversation_id, user_id = conversation.pk, user.pk
            transaction.on_commit(
                lambda: realtime.group_send_many_sync(
                    [
                        (
                            realtime.user_sockets_group(user_id),
                            {"type": "access.revoked", "conversation": conversation_id},
                        )
                    ]
                )
            )


# --- Messages --------------------------------------------------------------------------------


def message_payload(message: Message) -> dict:
    """A message as the API, the WebSocket frames and the notifications show it."""
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        # Added to the contract's shape (an extension: clients that ignore it work as before).
        "seq": message.seq,
        "sender": message.sender_id,
        "body": message.body,
        "client_id": str(message.client_id),
        # In the site's zone, exactly as the REST API renders it.
        "created_at": timezone.localtime(message.created_at).isoformat(),
    }


def message_body_clean(body) -> str:
    """The body to store, or DomainError("invalid_body"): 1–2000 characters, not only spaces.

    Only the line breaks at either end are trimmed; the text itself is kept as typed.
    """
    if not isinstance(body, str):
        raise DomainError("invalid_body", _("The message must be text."))
    if "\x00" in body:
        # PostgreSQL cannot store it; the WebSocket path has no JSON parser to refuse it first.
        raise DomainError("invalid_body", ProhibitNullCharactersValidator.message)
    cleaned = body.strip("\r\n")
    if not cleaned.strip():
        raise DomainError("invalid_body", _("The message is empty."))
    if len(cleaned) > MESSAGE_BODY_MAX_LENGTH:
        raise DomainError(
            "invalid_body",
            _("The message is too long: at most %(limit)d characters.")
            % {"limit": MESSAGE_BODY_MAX_LENGTH},
        )
    return cleaned


def message_client_id_clean(client_id) -> uuid.UUID:
    """The client id as a UUID, or DomainError("invalid_client_id")."""
    if isinstance(client_id, uuid.UUID):
        return client_id
    try:
        return uuid.UUID(str(client_id))
    except (TypeError, ValueError, AttributeError):
        raise DomainError(
            "invalid_client_id", _("client_id must be a UUID chosen by the sending device.")
        ) from None


# The sending path is hot (every message of every conversation), so it is written in SQL: on
# this 2-core machine the ORM version (6 statements) took 4.1 ms per message, these 4 statements
# 0.45 ms (bench/messaging/ws_load.py measures the whole path).
_LOCK_AND_PARTICIPANTS_SQL = f"""
    SELECT participant.user_id, conversation.last_message_seq
    FROM {Conversation._meta.db_table} AS conversation
    JOIN {Participant._meta.db_table} AS participant
        ON participant.conversation_id = conversation.id
    WHERE conversation.id = %s
    FOR UPDATE OF conversation
"""
# The insert and the conversation's counter in one statement: the counter only moves when a
# row was inserted (a client_id sent again takes no number, so numbers have no gaps).
_INSERT_UNLESS_SENT_SQL = f"""
    WITH inserted AS (
        INSERT INTO {Message._meta.db_table}
            (conversation_id, seq, sender_id, body, client_id, created_at)
        VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (conversation_id, sender_id, client_id) DO NOTHING
        RETURNING id, conversation_id, seq
    ), counted AS (
        UPDATE {Conversation._meta.db_table} AS conversation
        SET last_message_seq = inserted.seq
        FROM inserted
        WHERE conversation.id = inserted.conversation_id
    )
    SELECT id FROM inserted
"""


def message_send(
    *, conversation: Conversation, sender, body: str, client_id
) -> tuple[Message, bool]:
    """Store a message and broadcast it to the conversation after commit.

    Returns (message, created). The same `client_id` from the same sender in the same
    conversation returns the stored message with created=False and broadcasts it again to the
    conversation's sockets (not as a new notification): a sender retries when it got no answer,
    and that happens when the process that stored the message died before broadcasting it.
    Clients show a message once by id, so a second broadcast is harmless and a missing one
    is not (found by tests/faults/test_worker_killed.py).

    The message gets a `delivery` attribute: "live" once the channel layer accepted the
    broadcast, "degraded" if it could not (Redis down: the message is stored all the same and
    clients get it when they catch up), "pending" while an enclosing transaction has not
    committed yet (for a repeated client_id too).

    Raises DomainError: "invalid_body", "invalid_client_id" (400), "not_participant" (403).
    """
    body = message_body_clean(body)
    client_id = message_client_id_clean(client_id)
    with transaction.atomic(), connection.cursor() as cursor:
        # The conversation's row lock makes ids and numbers (`seq`) commit in the order they are
        # handed out within a conversation: without it message 11 could commit before message
        # 10, and a client that caught up "after 11" would never see 10. It also makes the
        # client_id check exact.
        cursor.execute(_LOCK_AND_PARTICIPANTS_SQL, [conversation.pk])
        rows = cursor.fetchall()
        participant_ids = [row[0] for row in rows]
        if sender.pk not in participant_ids:
            raise NotAllowed("not_participant", _("You are not part of this conversation."))
        seq = rows[0][1] + 1
        created_at = timezone.now()
        cursor.execute(
            _INSERT_UNLESS_SENT_SQL,
            [conversation.pk, seq, sender.pk, body, client_id, created_at],
        )
        inserted = cursor.fetchone()
        if inserted is None:  # this client_id was sent before: the stored message stands
            existing = Message.objects.get(
                conversation_id=conversation.pk, sender_id=sender.pk, client_id=client_id
            )
            existing.delivery = realtime.DELIVERY_PENDING
            transaction.on_commit(lambda: _message_broadcast_again(existing))
            return existing, False
        message = Message(
            id=inserted[0],
            conversation_id=conversation.pk,
            seq=seq,
            sender_id=sender.pk,
            body=body,
            client_id=client_id,
            created_at=created_at,
        )
        message._state.adding, message._state.db = False, connection.alias
        message.delivery = realtime.DELIVERY_PENDING
        transaction.on_commit(lambda: _message_broadcast(message, participant_ids))
        events.message_created.send(
            message=message,
            reader_ids=[user_id for user_id in participant_ids if user_id != sender.pk],
        )
    return message, True


def _message_broadcast(message: Message, participant_ids: Iterable[int]) -> None:
    """After commit: the message to the conversation's sockets, a notification to the others."""
    payload = message_payload(message)
    sends = [
        (
            realtime.conversation_group(message.conversation_id),
            {"type": "message.created", "message": payload},
        )
    ]
    notification = {
        "type": "message.created",
        "conversation": message.conversation_id,
        "message": payload,
    }
    sends += [
        (realtime.user_notifications_group(user_id), {"type": "notify", "event": notification})
        for user_id in participant_ids
        if user_id != message.sender_id
    ]
    delivered = realtime.group_send_many_sync(sends)
    message.delivery = realtime.DELIVERY_LIVE if delivered else realtime.DELIVERY_DEGRADED


def _message_broadcast_again(message: Message) -> None:
    """After commit: a stored message, sent again, to the conversation's sockets only."""
    delivered = realtime.group_send_many_sync(
        [
            (
                realtime.conversation_group(message.conversation_id),
                {"type": "message.created", "message": message_payload(message)},
            )
        ]
    )
    message.delivery = realtime.DELIVERY_LIVE if delivered else realtime.DELIVERY_DEGRADED


def messages_read_mark(*, conversation: Conversation, user, up_to: int) -> int:
    """Move the person's read position forward to `up_to` (never back, never past the last
    message). Returns the position now stored. The conversation's sockets learn it after
    commit ("read.updated"), and the person's notification sockets get fresh unread counts.

    Raises DomainError("not_participant", 403) for someone outside the conversation.
    """
    if isinstance(up_to, bool) or not isinstance(up_to, int) or up_to < 0:
        raise DomainError("invalid_read_position", _("up_to must be a message id."))
    with transaction.atomic():
        membership = (
            Participant.objects.select_for_update()
            .filter(conversation=conversation, user=user)
            .first()
        )
        if membership is None:
            raise NotAllowed("not_participant", _("You are not part of this conversation."))
        newest = (
            Message.objects.filter(conversation=conversation, id__lte=up_to)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        if newest is None or newest <= membership.last_read_message_id:
            return membership.last_read_message_id
        membership.last_read_message_id = newest
        membership.save(update_fields=["last_read_message_id"])
        conversation_id, user_id = conversation.pk, user.pk
        transaction.on_commit(
            lambda: realtime.group_send_many_sync(
                [
                    (
                        realtime.conversation_group(conversation_id),
                        {"type": "read.updated", "user": user_id, "up_to": newest},
                    ),
                    (
                        realtime.user_notifications_group(user_id),
                        {
                            "type": "notify",
                            "event": {
                                "type": "conversation.read",
                                "conversation": conversation_id,
                                "up_to": newest,
                            },
                        },
                    ),
                ]
            )
        )
    return newest


# --- Notifications ---------------------------------------------------------------------------
