"""Reads about conversations and messages. Everything is scoped to a participant: a conversation
someone is not part of does not exist for them (callers answer 404)."""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

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


def _unread_count_subquery(user_id: int):
    """Messages from others after the person's read position, per conversation (OuterRef pk)."""
    read_position = Participant.objects.filter(
        conversation=OuterRef(OuterRef("pk")), user_id=user_id
    ).values("last_read_message_id")[:1]
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), id__gt=Subquery(read_position))
        .exclude(sender_id=user_id)
        .order_by()
        .values("conversation")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def conversation_list_for_user(*, user) -> list[Conversation]:
    """The person's conversations, most recently active first.

    Each has `last_message` (a Message or None), `unread_count` (messages from others after
    their read position) and prefetched `memberships`. Three queries whatever the number of
    conversations: the annotated list, the memberships, the last messages.
    """
    last_message_id = (
        Message.objects.filter(conversation=OuterRef("pk")).order_by("-id").values("id")[:1]
    )
    conversations = list(
        Conversation.objects.filter(memberships__user=user)
        .annotate(
            last_message_id=Subquery(last_message_id),
            unread_count=_unread_count_subquery(user.pk),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Participant.objects.only(
                    "id", "conversation_id", "user_id", "last_read_message_id"
                ).order_by("id"),
            )
        )
        .order_by("-last_message_id", "-created_at", "-id")
    )
    # Postgres sorts NULLs first in a descending order: conversations without messages go last.
    conversations.sort(key=lambda conversation: conversation.last_message_id is None)
    last_ids = [c.last_message_id for c in conversations if c.last_message_id is not None]
    last_messages = Message.objects.in_bulk(last_ids) if last_ids else {}
    for conversation in conversations:
        conversation.last_message = last_messages.get(conversation.last_message_id)
    return conversations


def messages_after(*, conversation_id: int, after: int = 0, limit: int = MESSAGES_PAGE_DEFAULT):
    """Messages with an id greater than `after`, ascending, at most `limit` of them."""
    limit = max(1, min(limit, MESSAGES_PAGE_MAX))
    return list(
        Message.objects.filter(conversation_id=conversation_id, id__gt=after).order_by("id")[:limit]
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
