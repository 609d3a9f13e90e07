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
_NULL_WHEN_BLANK = ("description", "address", "phone", "email", "website", "source_url")


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


class ServiceImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


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
