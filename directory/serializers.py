"""Shapes of the directory API (CONTRACT.md, "Carers and referrals": `GET /api/services/`).

ServiceOutputSerializer writes a service, whether from a model instance (a referral's service)
or from a row of the postcode query (directory.selectors, through core.fast_rows): one shape.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Language
from core.fast_rows import FinishedRepresentation, computed
from core.strict_fields import StrictCharField
from directory.models import service_name_in
from geo.serializers import MunicipalitySerializer

POSTCODE = re.compile(r"[0-9]{4}")

# What the directory does not know is null in the API, never an empty string.
_NULL_WHEN_BLANK = (
    "description",
    "address",
    "phone",
    "email",
    "website",
    "source_url",
    "contact_source",
    "contact_source_url",
)


class PostcodeQuerySerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=10)

    def validate_postcode(self, value: str) -> str:
        if not POSTCODE.fullmatch(value):
            raise serializers.ValidationError(_("Enter a Belgian postcode of four digits."))
        return value


class ServiceOutputSerializer(FinishedRepresentation, serializers.Serializer):
    """A service; unknown contact details are null. The reader's language is the context's
    `language`: it picks the name and the description."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.CharField()
    name = computed(
        serializers.CharField,
        help_text="In the reader's language, else every official name (FR / NL / DE).",
    )
    names = serializers.SerializerMethodField(help_text="The entry's names by language.")
    description = serializers.SerializerMethodField()
    municipality = MunicipalitySerializer(allow_null=True)
    address = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    website = serializers.CharField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()
    source_url = serializers.CharField(allow_null=True)
    contact_source = serializers.CharField(
        allow_null=True,
        help_text="Where the contact details come from when a coordinator corrected them "
        "(`source` does not cover them then); null otherwise.",
    )
    contact_source_url = serializers.CharField(allow_null=True)

    def get_names(self, service) -> dict[str, str]:
        return service.names

    def get_description(self, service) -> str | None:
        return service.description_in(self.context["language"])

    @staticmethod
    def finish_data(data: dict, context: dict) -> dict:
        data["name"] = service_name_in(data["names"], context["language"], key=data["key"])
        for field in _NULL_WHEN_BLANK:
            data[field] = data[field] or None
        return data


class ImportedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    hsds_id = serializers.CharField()
    key = serializers.CharField()
    name = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "updated", "unchanged", "deactivated"])
    changes = serializers.DictField(child=serializers.ListField(), help_text="{field: [old, new]}")


class ServiceImportResultSerializer(serializers.Serializer):
    """`created` and `updated` always; the other counts, `dry_run` and `rows` for HSDS
    packages (a CSV dry run gives `dry_run` too)."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(required=False)
    deactivated = serializers.IntegerField(required=False)
    dry_run = serializers.BooleanField(required=False)
    rows = ImportedRowSerializer(many=True, required=False)


class ContactChangeSerializer(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    changed_by = serializers.SerializerMethodField()
    via = serializers.CharField()
    changes = serializers.DictField(
        child=serializers.ListField(), help_text="{field: [old, new]}; {} for a confirmation."
    )
    source = serializers.CharField()
    source_url = serializers.CharField(allow_blank=True)

    def get_changed_by(self, change) -> str | None:
        return change.changed_by.display_name if change.changed_by else None


class ServiceForCoordinatorSerializer(ServiceOutputSerializer):
    """A service as coordinators see it: the public shape, with its licence, when it was last
    verified and whether that is more than 12 months ago (or never)."""

    active = serializers.BooleanField()
    licence = serializers.CharField()
    verified_at = serializers.DateField(allow_null=True)
    needs_verification = serializers.SerializerMethodField()

    def get_needs_verification(self, service) -> bool:
        return service.needs_verification(self.context["today"])


class ServiceWithHistorySerializer(ServiceForCoordinatorSerializer):
    contact_history = ContactChangeSerializer(many=True, source="history")


class ContactCorrectionSerializer(serializers.Serializer):
    """A coordinator's correction: the contact fields to change ("" removes one; those left
    out stay), and the source, required. No field at all confirms the details as they are."""

    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    source = serializers.CharField(max_length=1000)
    source_url = serializers.URLField(required=False, allow_blank=True, default="")


class ServiceImportQuerySerializer(serializers.Serializer):
    shape = serializers.ChoiceField(choices=["csv", "hsds"], default="csv")
    dry_run = serializers.BooleanField(default=False)
    language = serializers.ChoiceField(choices=["fr", "nl", "de", "en"], required=False)


class MemberInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    display_name = StrictCharField(max_length=80, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class MemberOutputSerializer(serializers.Serializer):
    """A partner service's worker, as coordinators see them."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    service = serializers.IntegerField()
    email_verified = serializers.BooleanField()
    invited_at = serializers.DateTimeField()
