"""Shapes of the directory, referral, concern and diary APIs (CONTRACT.md, "Carers and
referrals"; docs/REFERRALS.md). Input is checked here; output is built by plain functions
(`referral_as_dict`, `audit_as_dict`) and declared by the output serializers below, which the
OpenAPI schema (and so the schema fuzzer) uses."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from carers.consent import (
    CURRENT_SERVICE_CONSENT_VERSION,
    SHARED_FIELD_LABELS,
    service_consent_wording,
)
from carers.models import (
    SERVICE_VISIBLE_STATUSES,
    V1_STATUS_ALIASES,
    CareDiaryEntry,
    ClosingOutcome,
    ConcernKind,
    Consent,
    ConsentGivenBy,
    DeclineReason,
    Referral,
    ReferralStatus,
)
from carers.referral_reasons import render_reasons
from carers.selectors import person_do_not_contact, referral_contact, referral_steps
from carers.serializers import StrictSerializer
from core.api_values import date_time_text
from core.strict_fields import (
    DATABASE_ID_MAX,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
)
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
        body.update(loop_fields(referral, language=language))
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


# --- The closed loop (issue 14, CONTRACT.md "Service partners and access log") ----------------


class ServiceChoiceSerializer(StrictSerializer):
    service = StrictIntegerField(min_value=1, max_value=DATABASE_ID_MAX)


class ConsentCreateSerializer(StrictSerializer):
    service = StrictIntegerField(min_value=1, max_value=DATABASE_ID_MAX)
    wording_version = StrictCharField(max_length=32)
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices)
    note = StrictCharField(max_length=1000, required=False, allow_blank=True)


class WithdrawSerializer(StrictSerializer):
    note = StrictCharField(max_length=1000, required=False, allow_blank=True)
    do_not_contact = StrictBooleanField(required=False)


class ContactPreferenceSerializer(StrictSerializer):
    do_not_contact = StrictBooleanField()


class PartnerNoteSerializer(StrictSerializer):
    note = StrictCharField(max_length=4000, required=False, allow_blank=True)


class PartnerDeclineSerializer(PartnerNoteSerializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)


class PartnerCloseSerializer(PartnerNoteSerializer):
    outcome = serializers.ChoiceField(choices=ClosingOutcome.choices)


def _service_brief(service, *, language: str) -> dict[str, Any] | None:
    if service is None:
        return None
    return {"id": service.pk, "kind": service.kind, "name": service.name_in(language)}


def consent_as_dict(consent, *, language: str) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "service": _service_brief(consent.service, language=language),
        "wording_version": consent.wording_version,
        "shared_fields": list(consent.shared_fields),
        "given_by": consent.given_by,
        "given_at": date_time_text(consent.given_at),
        "withdrawn_at": date_time_text(consent.withdrawn_at),
    }


def step_as_dict(step, *, language: str, with_note: bool = True) -> dict[str, Any]:
    body = {
        "status": step.status,
        "at": date_time_text(step.at),
        "role": step.actor_role,
        "service": _service_brief(step.service, language=language),
        "reason": step.reason or None,
    }
    if with_note:
        body["note"] = step.note
    return body


def loop_fields(referral: Referral, *, language: str) -> dict[str, Any]:
    """What the coordinators' shape gains with the closed loop."""
    return {
        "proposed_service": _service_brief(referral.proposed_service, language=language),
        "sent_at": date_time_text(referral.sent_at),
        "decline_reason": referral.decline_reason or None,
        "closing_outcome": referral.closing_outcome or None,
        "do_not_contact": person_do_not_contact(user_id=referral.person_id),
        "consents": [
            consent_as_dict(consent, language=language)
            for consent in referral.consents.select_related("service")
        ],
        "steps": [
            step_as_dict(step, language=language) for step in referral_steps(referral=referral)
        ],
    }


def partner_referral_as_dict(referral: Referral, *, service, language: str) -> dict[str, Any]:
    """A referral as its partner service sees it: only the fields the person agreed to share
    (carers.consent.SHARED_FIELDS), the loop's steps at this service, nothing else (no notes,
    no diary, no assessment answers)."""
    person = referral.person
    contact = {
        key: value
        for key, value in referral_contact(referral).items()
        if key in ("email", "phone") and value
    }
    consent = (
        referral.consents.filter(service=service, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .first()
    )
    municipality = referral.municipality
    return {
        "id": referral.pk,
        "status": referral.status,
        "sent_at": date_time_text(referral.sent_at),
        "person": {
            "display_name": person.display_name if person else None,
            "language": person.language if person else None,
            "contact": contact,
            "postcode": referral.postcode or (person.postcode if person else "") or None,
            "municipality": (
                {
                    "refnis": municipality.refnis,
                    "name_fr": municipality.name_fr,
                    "name_nl": municipality.name_nl,
                }
                if municipality
                else None
            ),
        },
        "reasons": render_reasons(referral.reasons, language=language),
        "consent": (
            {
                "wording_version": consent.wording_version,
                "given_by": consent.given_by,
                "given_at": date_time_text(consent.given_at),
                "shared_fields": list(consent.shared_fields),
            }
            if consent
            else None
        ),
        "decline_reason": referral.decline_reason or None,
        "closing_outcome": referral.closing_outcome or None,
        "steps": [
            step_as_dict(step, language=language)
            for step in referral_steps(referral=referral).filter(
                service=service, status__in=SERVICE_VISIBLE_STATUSES
            )
        ],
    }


def person_referral_as_dict(referral: Referral, *, language: str) -> dict[str, Any]:
    """A referral as the person it is about sees it: where it stands, the service asked or
    sent to, what would be shared and the wording to agree to, their consents, the steps
    (without the workers' notes)."""
    asked = referral.proposed_service
    return {
        "id": referral.pk,
        "status": referral.status,
        "created_at": date_time_text(referral.created_at),
        "proposed_service": _service_brief(asked, language=language),
        "service": _service_brief(referral.referred_to, language=language),
        "consent_wording": (
            {
                "version": CURRENT_SERVICE_CONSENT_VERSION,
                "text": service_consent_wording(service_name=asked.name_in(language)),
            }
            if asked is not None
            else None
        ),
        "shared_fields": [
            {"code": code, "label": str(label)} for code, label in SHARED_FIELD_LABELS.items()
        ],
        "closing_outcome": referral.closing_outcome or None,
        "consents": [
            consent_as_dict(consent, language=language) for consent in referral.consents.all()
        ],
        "steps": [
            step_as_dict(step, language=language, with_note=False) for step in referral.steps.all()
        ],
    }


# --- Output of the closed loop (the schema of the *_as_dict functions above) ------------------


class ServiceBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()


class ConsentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = ServiceBriefSerializer(allow_null=True)
    wording_version = serializers.CharField()
    shared_fields = serializers.ListField(child=serializers.CharField())
    given_by = serializers.CharField(help_text="person or coordinator")
    given_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class StepOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    role = serializers.CharField(allow_blank=True)
    service = ServiceBriefSerializer(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_blank=True, required=False)


class PersonReferralOutputSerializer(serializers.Serializer):
    """A referral as the person it is about sees it (person_referral_as_dict)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    proposed_service = ServiceBriefSerializer(allow_null=True)
    service = ServiceBriefSerializer(allow_null=True)
    consent_wording = serializers.DictField(allow_null=True)
    shared_fields = serializers.ListField(child=serializers.DictField())
    closing_outcome = serializers.CharField(allow_null=True)
    consents = ConsentOutputSerializer(many=True)
    steps = StepOutputSerializer(many=True)


class PartnerReferralOutputSerializer(serializers.Serializer):
    """A referral as its partner service sees it (partner_referral_as_dict)."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    person = serializers.DictField()
    reasons = ReasonOutputSerializer(many=True)
    consent = serializers.DictField(allow_null=True)
    decline_reason = serializers.CharField(allow_null=True)
    closing_outcome = serializers.CharField(allow_null=True)
    steps = StepOutputSerializer(many=True)
