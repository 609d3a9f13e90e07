"""Shapes of the messaging API (CONTRACT.md "Messaging"). They check types and sizes;
messaging.services checks the rest."""

from rest_framework import serializers

from core.strict_fields import StrictCharField, StrictUUIDField
from messaging.models import MESSAGE_BODY_MAX_LENGTH, Conversation, Message
from messaging.selectors import MESSAGES_PAGE_DEFAULT, MESSAGES_PAGE_MAX


class MessageOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "conversation", "seq", "sender", "body", "client_id", "created_at"]


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
    after_seq = serializers.IntegerField(min_value=0, required=False)
    limit = serializers.IntegerField(
        min_value=1, max_value=MESSAGES_PAGE_MAX, default=MESSAGES_PAGE_DEFAULT
    )


class ConversationOutputSerializer(serializers.ModelSerializer):
    """A conversation of the person's list, from a Conversation given `last_message` and
    `unread_count`, or from a row of messaging.selectors.conversation_list_for_user."""

    participants = serializers.SerializerMethodField()
    last_message = MessageOutputSerializer(read_only=True, allow_null=True)
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
