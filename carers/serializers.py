"""Shapes of the carers API (CONTRACT.md, "Assessment shape").

Validation is strict, so that a wrong answer is a 400 naming the field and never a silent
"unknown": yes/no questions take JSON booleans only, counts take JSON integers only, hours take
JSON numbers; enums are exact; unknown fields are refused. `null` or an absent field means
"not answered".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carers.engine import EMPLOYMENT_CHOICES, KATZ_PACKAGES
from core.strict_fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictNumberField,
)
from geo.selectors import postcode_is_known

# Limits of plausibility, not of the law: the longest month and year, in hours.
MAX_HOURS_PER_MONTH = 31 * 24
MAX_HOURS_PER_YEAR = 366 * 24
MAX_AGE = 130
# No assessment scale in the seed documents goes beyond 100 points; the third pillar of the
# child assessment is "sur 18" (law art. 4/5).
MAX_POINTS = 100
MAX_CHILD_PILLAR3_POINTS = 18
MAX_RESIDENTIAL_CARE_DAYS = MAX_AGE * 366
MAX_RECOGNISED_CARERS = 100

POSTCODE = re.compile(r"[1-9][0-9]{3}")
PHONE = re.compile(r"\+?[0-9][0-9 ./()-]{5,30}")


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, instead of ignoring them (a typo is not "unknown")."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
        return super().to_internal_value(data)


def _yes_no():
    return StrictBooleanField(required=False, allow_null=True)


def _points(maximum: int = MAX_POINTS):
    return StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=maximum)


class IndicatorsSerializer(StrictSerializer):
    autonomy_points = _points()
    bel_scale_points = _points()
    belrai_screener_score = _points()
    belrai_adl_iadl_points = _points()
    avq_cps_score = _points()
    child_scale_points = _points()
    child_pillar3_points = _points(MAX_CHILD_PILLAR3_POINTS)
    katz_package = StrictChoiceField(choices=KATZ_PACKAGES, required=False, allow_null=True)
    disability_allowance_12_points = _yes_no()
    third_party_help = _yes_no()
    civil_servant_medical_pension_third_party = _yes_no()
    chronic_illness_package = _yes_no()
    increased_family_allowance = _yes_no()


class CarerSerializer(StrictSerializer):
    resides_in_belgium = _yes_no()
    in_population_register = _yes_no()
    trust_relationship = _yes_no()
    unpaid_non_professional = _yes_no()
    professional_involved = _yes_no()
    respects_life_project = _yes_no()
    hours_per_month = StrictNumberField(
        required=False, allow_null=True, min_value=0, max_value=MAX_HOURS_PER_MONTH
    )
    hours_per_year = StrictNumberField(
        required=False, allow_null=True, min_value=0, max_value=MAX_HOURS_PER_YEAR
    )
    employment = StrictChoiceField(choices=EMPLOYMENT_CHOICES, required=False, allow_null=True)


class CaredForSerializer(StrictSerializer):
    age = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_AGE)
    resides_in_belgium = _yes_no()
    dependent = _yes_no()
    permanent_residential_care_days = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_RESIDENTIAL_CARE_DAYS
    )
    recognised_carers = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_RECOGNISED_CARERS
    )
    indicators = IndicatorsSerializer(required=False, allow_null=True)


class ContactSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254, required=False, allow_null=True)
    phone = StrictCharField(max_length=32, required=False, allow_null=True)

    def validate_phone(self, value):
        if value is not None and not PHONE.fullmatch(value):
            raise serializers.ValidationError(_("Enter a phone number (digits, spaces, +)."))
        return value


def _without_nulls(value):
    """Nested answers without the unanswered (null) questions."""
    if isinstance(value, Mapping):
        return {key: _without_nulls(inner) for key, inner in value.items() if inner is not None}
    return value


class AssessmentInputSerializer(StrictSerializer):
    postcode = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=4)
    contact_consent = StrictBooleanField(required=False, default=False)
    contact = ContactSerializer(required=False, allow_null=True)
    carer = CarerSerializer(required=False, allow_null=True)
    cared_for = CaredForSerializer(required=False, allow_null=True)

    def validate_postcode(self, value):
        if not value:
            return ""
        if not POSTCODE.fullmatch(value):
            raise serializers.ValidationError(_("Enter a Belgian postcode of four digits."))
        if not postcode_is_known(code=value):
            raise serializers.ValidationError(_("This is not a current Belgian postcode."))
        return value

    def validate(self, data):
        contact = {key: value for key, value in (data.get("contact") or {}).items() if value}
        if data.get("contact_consent") and not contact:
            raise serializers.ValidationError(
                {"contact": [_("Give an email address or a phone number to be contacted.")]}
            )
        data["contact"] = contact
        data["answers"] = _without_nulls(
            {"carer": data.pop("carer", None) or {}, "cared_for": data.pop("cared_for", None) or {}}
        )
        return data


# --- Output (documentation of the response; the view renders carers.outcome_texts) ----------------


class RenderedMessageSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField()
    params = serializers.DictField()


class RecognitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["likely", "unlikely", "incomplete"])
    reasons = RenderedMessageSerializer(many=True)


class LeaveSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(allow_null=True)
    reasons = RenderedMessageSerializer(many=True)
    caveats = RenderedMessageSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    per_cared_for_person = serializers.BooleanField()
    full_time_max_months = serializers.IntegerField()
    part_time_max_months = serializers.IntegerField()
    part_time_forms = serializers.ListField(child=serializers.CharField())
    split_by_month = serializers.BooleanField()
    written_notice_days = serializers.IntegerField()
    allowance = serializers.DictField()


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rules_version = serializers.CharField()
    language = serializers.CharField()
    general = RecognitionSerializer()
    social_rights = RecognitionSerializer()
    missing = serializers.ListField(child=serializers.CharField())
    next_steps = RenderedMessageSerializer(many=True)
    leave = LeaveSerializer()
    services = serializers.ListField(child=serializers.DictField())
