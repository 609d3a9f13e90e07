"""Shapes of the directory, referral, concern and diary APIs (CONTRACT.md, "Carers and
referrals"; docs/REFERRALS.md). Input is checked here; output is built by plain functions
(`referral_as_dict`, `audit_as_dict`) and declared by the output serializers below, which the
OpenAPI schema (and so the schema fuzzer) uses."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from carers.models import (
    V1_STATUS_ALIASES,
    CareDiaryEntry,
    ConcernKind,
    Consent,
    Referral,
    ReferralStatus,
)
from carers.referral_reasons import render_reasons
from carers.selectors import referral_contact
from carers.serializers import StrictSerializer
from core.api_values import date_time_text
from core.strict_fields import StrictCharField, StrictIntegerField
from directory.selectors import service_data
from directory.serializers import ServiceOutputSerializer


class ReferralQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*ReferralStatus.values, *V1_STATUS_ALIASES], required=False
    )
    municipality = serializers.RegexField(r"^[0-9]{5}$", required=False)
    source = serializers.ChoiceField(
        choices=["request", "assessment", "helper_concern", "manual"], required=False
    )


class ReferralUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        # The v1 names (contacted, referred) stay accepted: V1_STATUS_ALIASES.
        choices=["contacted", "referred", "consent_asked", "sent", ReferralStatus.CLOSED],
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
        "consent_at": date_time_text(referral.consent_at),
        "consent_wording_version": referral.consent_wording_version or None,
        "created_at": date_time_text(referral.created_at),
        "updated_at": date_time_text(referral.updated_at),
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
            service_data(referral.referred_to, language=language) if referral.referred_to else None
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
                "created_at": date_time_text(note.created_at),
            }
            for note in referral.notes.select_related("author")
        ]
    return body


def audit_as_dict(entry) -> dict[str, Any]:
    """An audit row as the API shows it to coordinators."""
    return {
        "id": entry.pk,
        "action": entry.action,
        "at": date_time_text(entry.at),
        "who": (
            {"id": entry.actor.pk, "display_name": entry.actor.display_name}
            if entry.actor
            else None
        ),
        "details": entry.details,
    }


# --- Output (the schema of what referral_as_dict and audit_as_dict build) ---------------------


class ReasonOutputSerializer(serializers.Serializer):
    """A reason: its code and parameters as stored, its text in the reader's language."""

    code = serializers.CharField()
    params = serializers.DictField()
    text = serializers.CharField(allow_blank=True)


class PersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    display_name = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)


class ReferralMunicipalitySerializer(serializers.Serializer):
    refnis = serializers.CharField()
    name_fr = serializers.CharField()
    name_nl = serializers.CharField()


class UserNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ReferralOutputSerializer(serializers.Serializer):
    """A referral in the coordinators' queue (referral_as_dict)."""

    id = serializers.IntegerField()
    status = serializers.CharField(help_text="new, contacted, referred or closed")
    source = serializers.CharField()
    reasons = ReasonOutputSerializer(many=True)
    consent = serializers.CharField(help_text="pending, given or refused")
    consent_at = serializers.DateTimeField(allow_null=True)
    consent_wording_version = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    person = PersonOutputSerializer()
    municipality = ReferralMunicipalitySerializer(allow_null=True)
    assigned_to = UserNameSerializer(allow_null=True)
    referred_to = ServiceOutputSerializer(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    help_request = serializers.IntegerField(allow_null=True)
    assessment = serializers.IntegerField(allow_null=True)


class ReferralNoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserNameSerializer(allow_null=True)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReferralDetailOutputSerializer(ReferralOutputSerializer):
    """One referral, with how to reach the person and the coordinators' notes."""

    contact = serializers.DictField(child=serializers.CharField())
    notes = ReferralNoteOutputSerializer(many=True)


class AuditEntryOutputSerializer(serializers.Serializer):
    """Who read or changed a referral, and when (audit_as_dict)."""

    id = serializers.IntegerField()
    action = serializers.CharField()
    at = serializers.DateTimeField()
    who = UserNameSerializer(allow_null=True)
    details = serializers.DictField()


class ConcernReceivedSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="isolation, exhaustion or neglect")
    received_at = serializers.DateTimeField()


class DiaryPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    hours = serializers.CharField()
    threshold = serializers.IntegerField()
    meets = serializers.BooleanField()


class DiaryTotalsOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    month = DiaryPeriodSerializer()
    rolling_12_months = DiaryPeriodSerializer()
    meets_either = serializers.BooleanField()
