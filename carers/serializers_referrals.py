"""Shapes of the directory, referral, concern and diary APIs (CONTRACT.md, "Carers and
referrals"; docs/REFERRALS.md). Output is built by plain functions, input checked here."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carers.models import (
    CareDiaryEntry,
    ConcernKind,
    Consent,
    Referral,
    ReferralStatus,
)
from carers.referral_reasons import render_reasons
from carers.selectors import referral_contact, service_as_dict
from carers.serializers import StrictSerializer
from core.strict_fields import StrictCharField, StrictIntegerField

POSTCODE = re.compile(r"[0-9]{4}")


class PostcodeQuerySerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=10)

    def validate_postcode(self, value: str) -> str:
        if not POSTCODE.fullmatch(value):
            raise serializers.ValidationError(_("Enter a Belgian postcode of four digits."))
        return value


class ReferralQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)
    municipality = serializers.RegexField(r"^[0-9]{5}$", required=False)
    source = serializers.ChoiceField(
        choices=["request", "assessment", "helper_concern", "manual"], required=False
    )


class ReferralUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        choices=[ReferralStatus.CONTACTED, ReferralStatus.REFERRED, ReferralStatus.CLOSED],
        required=False,
    )
    note = StrictCharField(max_length=4000, required=False, allow_blank=True)
    referred_to = StrictIntegerField(required=False, allow_null=True, min_value=1)
    assigned_to = StrictIntegerField(required=False, allow_null=True, min_value=1)
    consent = serializers.ChoiceField(choices=[Consent.GIVEN, Consent.REFUSED], required=False)
    outcome = StrictCharField(max_length=4000, required=False, allow_blank=True)


class ReferralCreateSerializer(StrictSerializer):
    postcode = StrictCharField(
        required=False, allow_blank=True, validators=[RegexValidator(r"^[0-9]{4}$")]
    )
    note = StrictCharField(max_length=4000, required=False, allow_blank=True)


class ConcernSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ConcernKind.choices)
    text = StrictCharField(max_length=2000, required=False, allow_blank=True)


class DiaryEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CareDiaryEntry
        fields = ["id", "date", "hours", "kind", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class DiaryTotalsQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)


def _person(referral: Referral) -> dict[str, Any]:
    person = referral.person
    return {
        "id": person.pk if person else None,
        "display_name": person.display_name if person else None,
        "postcode": referral.postcode or (person.postcode if person else "") or None,
    }


def referral_as_dict(referral: Referral, *, language: str, detail: bool = False) -> dict[str, Any]:
    """A referral as the API shows it to coordinators."""
    municipality = referral.municipality
    body: dict[str, Any] = {
        "id": referral.pk,
        "status": referral.status,
        "source": referral.source,
        "reasons": render_reasons(referral.reasons, language=language),
        "consent": referral.consent,
        "consent_at": referral.consent_at.isoformat() if referral.consent_at else None,
        "consent_wording_version": referral.consent_wording_version or None,
        "created_at": referral.created_at.isoformat(),
        "updated_at": referral.updated_at.isoformat(),
        "person": _person(referral),
        "municipality": (
            {
                "refnis": municipality.refnis,
                "name_fr": municipality.name_fr,
                "name_nl": municipality.name_nl,
            }
            if municipality
            else None
        ),
        "assigned_to": (
            {"id": referral.assigned_to.pk, "display_name": referral.assigned_to.display_name}
            if referral.assigned_to
            else None
        ),
        "referred_to": (
            service_as_dict(referral.referred_to, language=language)
            if referral.referred_to
            else None
        ),
        "outcome": referral.outcome,
        "help_request": referral.help_request_id,
        "assessment": referral.assessment_id,
    }
    if detail:
        body["contact"] = referral_contact(referral)
        body["notes"] = [
            {
                "id": note.pk,
                "author": (
                    {"id": note.author.pk, "display_name": note.author.display_name}
                    if note.author
                    else None
                ),
                "text": note.text,
                "created_at": note.created_at.isoformat(),
            }
            for note in referral.notes.select_related("author")
        ]
    return body


def audit_as_dict(entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "action": entry.action,
        "at": entry.at.isoformat(),
        "who": (
            {"id": entry.actor.pk, "display_name": entry.actor.display_name}
            if entry.actor
            else None
        ),
        "details": entry.details,
    }
