"""Shapes of the accounts API. They check types and sizes; accounts.services checks the rest."""

from rest_framework import serializers

from accounts.models import ContactPreference, Language, User
from accounts.second_factor import second_factor_enrolled
from core import events
from core.strict_fields import StrictCharField, StrictIntegerField


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


# --- People without e-mail (CONTRACT.md "Accounts", v2: /api/people/) -------------------------


class ManagedPersonConsentInputSerializer(serializers.Serializer):
    # The privacy notice version the coordinator read out (GET /api/privacy-notice/).
    wording_version = StrictCharField(max_length=20)
    # What the coordinator notes about how consent was given ("read out on the phone, agreed").
    recorded_by_note = StrictCharField(max_length=500, required=False, allow_blank=True)


class ManagedPersonCreateInputSerializer(serializers.Serializer):
    display_name = StrictCharField(max_length=80)
    # Checked by accounts.phone_numbers (messages in the reader's language).
    phone = StrictCharField(max_length=40)
    postcode = StrictCharField(max_length=4, min_length=4)
    address = StrictCharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices)
    contact_preference = serializers.ChoiceField(choices=ContactPreference.choices)
    consent = ManagedPersonConsentInputSerializer()
    # Colleagues who manage the person too, besides the coordinator creating them.
    managed_by = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=50
    )


class ManagedPersonLoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ManagedPersonConsentOutputSerializer(serializers.Serializer):
    wording_version = serializers.CharField(source="consent_wording_version")
    recorded_at = serializers.DateTimeField(source="consent_recorded_at")
    recorded_by = serializers.IntegerField(source="consent_recorded_by_id", allow_null=True)
    recorded_by_note = serializers.CharField(source="consent_note")


class ManagedPersonOutputSerializer(serializers.Serializer):
    """A person without e-mail, as the coordinators of their team read them. `id` is their
    user id: the `requester` of POST /api/requests/."""

    id = serializers.IntegerField(source="user_id")
    display_name = serializers.CharField(source="user.display_name")
    phone = serializers.CharField()
    postcode = serializers.CharField(source="user.postcode")
    address = serializers.CharField()
    language = serializers.CharField(source="user.language")
    contact_preference = serializers.CharField()
    consent = ManagedPersonConsentOutputSerializer(source="*")
    managed_by = serializers.SerializerMethodField()
    # An address was given (managed_person_login_give); verified once they opened the link.
    email = serializers.EmailField(source="user.email", allow_null=True)
    email_verified = serializers.BooleanField(source="user.email_verified")
    created_at = serializers.DateTimeField()

    def get_managed_by(self, person) -> list[int]:
        return sorted(user.pk for user in person.managed_by.all())
