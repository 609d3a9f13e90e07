"""Shapes of the messaging API (CONTRACT.md "Messaging"). They check types and sizes;
messaging.services checks the rest."""

from rest_framework import serializers

from core.api_values import date_time_text
from core.strict_fields import StrictCharField, StrictUUIDField
from messaging.models import MESSAGE_BODY_MAX_LENGTH, Conversation, Message
from messaging.selectors import MESSAGES_PAGE_DEFAULT, MESSAGES_PAGE_MAX, ConversationRow


class MessageOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "body", "client_id", "created_at"]


class MessageSentOutputSerializer(MessageOutputSerializer):
    """A message just sent (or sent again): with `delivery` ("live" or "degraded")."""

    delivery = serializers.CharField(required=False, read_only=True)

    class Meta(MessageOutputSerializer.Meta):
        fields = [*MessageOutputSerializer.Meta.fields, "delivery"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "delivery", None) is None:
            data.pop("delivery", None)
        return data


class MessageInputSerializer(serializers.Serializer):
    # Taken as typed: the service trims only the line breaks at either end.
    body = StrictCharField(max_length=MESSAGE_BODY_MAX_LENGTH, trim_whitespace=False)
    client_id = StrictUUIDField()


class MessageListQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(
        min_value=1, max_value=MESSAGES_PAGE_MAX, default=MESSAGES_PAGE_DEFAULT
    )


# The shape of a conversation in the list: the schema, and the reference that conversation_data()
# follows (a comment, not a docstring: drf-spectacular would publish a docstring).
class ConversationOutputSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.IntegerField(read_only=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "request",
            "referral",
            "participants",
            "last_message",
            "unread_count",
            "created_at",
        ]

    def get_participants(self, conversation) -> list[int]:
        return [membership.user_id for membership in conversation.memberships.all()]

    def get_last_message(self, conversation) -> dict | None:
        message = getattr(conversation, "last_message", None)
        return MessageOutputSerializer(message).data if message is not None else None


def conversation_data(row: ConversationRow) -> dict:
    """A conversation of the list as ConversationOutputSerializer shows it, built from a
    selector's row: a plain dict costs a fraction of a ModelSerializer per item."""
    if row.last_message_id is None:
        last_message = None
    else:
        # MessageOutputSerializer's fields, in its order.
        last_message = {
            "id": row.last_message_id,
            "conversation": row.id,
            "sender": row.last_message_sender_id,
            "body": row.last_message_body,
            "client_id": str(row.last_message_client_id),
            "created_at": date_time_text(row.last_message_created_at),
        }
    return {
        "id": row.id,
        "request": row.request_id,
        "referral": row.referral_id,
        "participants": row.participant_ids,
        "last_message": last_message,
        "unread_count": row.unread_count,
        "created_at": date_time_text(row.created_at),
    }
