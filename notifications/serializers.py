"""The shapes of the notifications API, for the OpenAPI schema (the views build the JSON from
notifications.selectors, in the reader's language)."""

from rest_framework import serializers


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()


class UnreadCountOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class QuietHoursSerializer(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()


class NotificationSettingsSerializer(serializers.Serializer):
    email = serializers.DictField(child=serializers.BooleanField())
    push = serializers.DictField(child=serializers.BooleanField())
    digest = serializers.ChoiceField(choices=["off", "daily"])
    quiet_hours = QuietHoursSerializer(allow_null=True)


class NotificationSettingsChangeSerializer(serializers.Serializer):
    """PUT: any of the fields; those left out keep their value (at least one is needed)."""

    email = serializers.DictField(child=serializers.BooleanField(), required=False)
    push = serializers.DictField(child=serializers.BooleanField(), required=False)
    digest = serializers.ChoiceField(choices=["off", "daily"], required=False)
    quiet_hours = QuietHoursSerializer(allow_null=True, required=False)


class PushPublicKeyOutputSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The VAPID public key (base64url): applicationServerKey.")


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField()
    auth = serializers.CharField()


class PushSubscriptionInputSerializer(serializers.Serializer):
    """What PushSubscription.toJSON() gives in the browser (expirationTime is ignored)."""

    endpoint = serializers.CharField()
    keys = PushKeysSerializer()


class PushSubscriptionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    endpoint = serializers.CharField()
    created_at = serializers.DateTimeField()
