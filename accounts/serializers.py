"""Shapes of the accounts API. They check types and sizes; accounts.services checks the rest."""

from rest_framework import serializers

from accounts.models import Language, User
from accounts.second_factor import second_factor_enrolled
from core import events
from core.strict_fields import StrictCharField


class RegistrationInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # Passwords are taken as typed: spaces are allowed and count.
    password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)
    display_name = StrictCharField(max_length=80)
    language = serializers.ChoiceField(choices=Language.choices)
    postcode = StrictCharField(max_length=4, min_length=4)
    # The version of the privacy notice the person read and accepted (GET
    # /api/privacy-notice/); optional for clients of contract v1 (docs/SECURITY.md).
    privacy_notice_version = StrictCharField(max_length=20, required=False)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language"]


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    # The second factor: a code of the authenticator app, or an unused recovery code.
    otp = StrictCharField(max_length=32, required=False, write_only=True)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeOutputSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(read_only=True)
    # A new address asked for and not yet verified ("" if none).
    pending_email = serializers.CharField(read_only=True)
    privacy_notice_version = serializers.CharField(read_only=True)
    two_step_enabled = serializers.SerializerMethodField()
    # The partner service a `service_worker` works for (its id); null for everyone else.
    service = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "language",
            "roles",
            "postcode",
            "email_verified",
            "pending_email",
            "privacy_notice_version",
            "two_step_enabled",
            "service",
        ]

    def get_two_step_enabled(self, user: User) -> bool:
        return second_factor_enrolled(user=user)

    def get_service(self, user: User) -> int | None:
        if not user.is_service_worker:
            return None
        return events.account_describing.send(user=user).get("service")


class MeUpdateInputSerializer(serializers.Serializer):
    display_name = StrictCharField(max_length=80, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    postcode = StrictCharField(max_length=4, min_length=4, required=False)


class PasswordResetInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=128)
    new_password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)


class EmailVerifyInputSerializer(serializers.Serializer):
    key = StrictCharField(max_length=512)


class EmailChangeInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)


class PasswordChangeInputSerializer(serializers.Serializer):
    current_password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)
    new_password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)


class PrivacyNoticeAcceptInputSerializer(serializers.Serializer):
    version = StrictCharField(max_length=20)


class PrivacyNoticeOutputSerializer(serializers.Serializer):
    version = serializers.CharField()
    url = serializers.CharField()


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
