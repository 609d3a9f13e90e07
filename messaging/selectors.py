"""Reads about conversations and messages. Everything is scoped to a participant: a conversation
someone is not part of does not exist for them (callers answer 404)."""

from django.db import connection
from django.db.models import Count, F, Prefetch

from core.fast_rows import Rows, fetch_rows
from messaging.models import Conversation, Message, Participant

MESSAGES_PAGE_DEFAULT = 50
MESSAGES_PAGE_MAX = 200


def conversation_is_participant(*, conversation_id: int, user_id: int) -> bool:
    """Whether the person takes part in the conversation."""
    return Participant.objects.filter(conversation_id=conversation_id, user_id=user_id).exists()


def conversation_get_for_user(*, conversation_id: int, user) -> Conversation | None:
    """The conversation if `user` takes part in it, else None (unknown and not-yours alike)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Conversation.objects.filter(pk=conversation_id, memberships__user=user)
        .prefetch_related(
            Prefetch("memberships", queryset=Participant.objects.select_related("user"))
        )
        .first()
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# GET /api/conversations/ in one query (it was three, built by the ORM at several times the CPU
# cost of running them). Each column is named after its field of
# messaging.serializers.ConversationOutputSerializer, which writes the rows (core.fast_rows).
# Conversations without messages come last; NULLS LAST says so, since PostgreSQL sorts NULLs
# first in a descending order. "IS DISTINCT FROM" counts the messages of erased senders (NULL)
# as from others, as the ORM's exclude(sender_id=...) did.
_CONVERSATION_LIST_SQL = f"""
SELECT c.id, c.request_id AS "request", c.referral_id AS "referral",
    ARRAY(
        SELECT member.user_id FROM {_table(Participant)} member
        WHERE member.conversation_id = c.id ORDER BY member.id
    ) AS "participants",
    last.id AS "last_message.id", last.conversation_id AS "last_message.conversation",
    last.seq AS "last_message.seq",
    last.sender_id AS "last_message.sender", last.body AS "last_message.body",
    last.client_id AS "last_message.client_id", last.created_at AS "last_message.created_at",
    (
        SELECT count(*) FROM {_table(Message)} unread
        WHERE unread.conversation_id = c.id
            AND unread.id > own.last_read_message_id
            AND unread.sender_id IS DISTINCT FROM own.user_id
    ) AS "unread_count",
    c.created_at
FROM {_table(Participant)} own
JOIN {_table(Conversation)} c ON c.id = own.conversation_id
LEFT JOIN LATERAL (
    SELECT message.id, message.conversation_id, message.seq, message.sender_id, message.body,
        message.client_id, message.created_at
    FROM {_table(Message)} message
    WHERE message.conversation_id = c.id
    ORDER BY message.id DESC
    LIMIT 1
) last ON TRUE
WHERE own.user_id = %s
ORDER BY last.id DESC NULLS LAST, c.created_at DESC, c.id DESC
"""


def conversation_list_for_user(*, user) -> Rows:
    """The person's conversations, most recently active first (by their last message; those
    without messages last, newest first), each with its participants, last message and unread
    count: rows for ConversationOutputSerializer. One query whatever the number of
    conversations."""
    return fetch_rows(_CONVERSATION_LIST_SQL, [user.pk])


def messages_after(
    *,
    conversation_id: int,
    after: int = 0,
    after_seq: int | None = None,
    up_to_seq: int | None = None,
    limit: int = MESSAGES_PAGE_DEFAULT,
):
    """Messages after a position, ascending, at most `limit` of them: those with an id greater
    than `after`, or, when `after_seq` is given, those numbered after `after_seq` (and up to
    `up_to_seq` if given). Both orders are the same: ids and numbers follow commit order within
    a conversation."""
    limit = max(1, min(limit, MESSAGES_PAGE_MAX))
    messages = Message.objects.filter(conversation_id=conversation_id)
    if after_seq is None:
        return list(messages.filter(id__gt=after).order_by("id")[:limit])
    messages = messages.filter(seq__gt=after_seq)
    if up_to_seq is not None:
        messages = messages.filter(seq__lte=up_to_seq)
    return list(messages.order_by("seq")[:limit])


def conversation_last_seq(*, conversation_id: int) -> int:
    """The number of the conversation's newest message (0 when it has none)."""
    return (
        Conversation.objects.filter(pk=conversation_id)
        .values_list("last_message_seq", flat=True)
        .first()
        or 0
    )


def messages_latest(*, conversation_id: int, limit: int = MESSAGES_PAGE_DEFAULT) -> list[Message]:
    """The `limit` most recent messages, ascending (what a page shows first)."""
    latest = Message.objects.filter(conversation_id=conversation_id).select_related("sender")
    return list(reversed(latest.order_by("-id")[:limit]))


def unread_counts_for_user(*, user_id: int) -> dict[int, int]:
    """{conversation id: unread messages} for the person's conversations that have any."""
    rows = (
        # One filter() call, so the read position comes from the person's own membership row.
        Message.objects.filter(
            conversation__memberships__user_id=user_id,
            id__gt=F("conversation__memberships__last_read_message_id"),
        )
        .exclude(sender_id=user_id)
        .order_by()
        .values("conversation_id")
        .annotate(count=Count("id"))
    )
    return {row["conversation_id"]: row["count"] for row in rows}


def read_positions(*, conversation_id: int) -> dict[int, int]:
    """{user id: last message id they have read} for the conversation's participants."""
    return dict(
        Participant.objects.filter(conversation_id=conversation_id).values_list(
            "user_id", "last_read_message_id"
        )
    )
