"""Shapes of the helpers and matching API. They check types; matching.services checks the rest."""

from rest_framework import serializers

from accounts.models import Language
from core.strict_fields import (
    DATABASE_ID_MAX,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictNumberField,
)
from geo.serializers import LocationSerializer
from geo.services import point_from_lat_lon
from matching.models import IdDocumentType, VerificationState, VettingCheck, Weekday
from matching.vocabulary import Category


class LocationInputSerializer(serializers.Serializer):
    """{lat, lon} in WGS 84 decimal degrees, turned into a Point."""

    lat = serializers.FloatField()
    lon = serializers.FloatField()

    def validate(self, attrs):
        try:
            return point_from_lat_lon(attrs["lat"], attrs["lon"])
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error


class AvailabilitySlotSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"])
    end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"])


class HelperProfileInputSerializer(serializers.Serializer):
    """Every field optional here: a first PUT needs a place, radius, categories and hours
    (the service says which are missing); later ones change only what they carry."""

    # null means "not given", as if the field were absent.
    postcode = StrictCharField(max_length=4, min_length=4, required=False, allow_null=True)
    location = LocationInputSerializer(required=False, allow_null=True)
    # Strict JSON types; the ranges (0.5–50 km, 1–40 h) are the service's to check.
    radius_km = StrictNumberField(required=False)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), max_length=20, required=False
    )
    weekly_hours = StrictNumberField(required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), max_length=10, required=False
    )
    availability = serializers.ListField(
        child=AvailabilitySlotSerializer(), max_length=50, required=False
    )
    has_car = StrictBooleanField(required=False)
    active = StrictBooleanField(required=False)


class HelperProfileOutputSerializer(serializers.Serializer):
    """The helper's own profile: their exact home is theirs to see. Writes a HelperProfile or a
    row of matching.selectors.helper_profile_rows (core.fast_rows)."""

    helper_id = serializers.IntegerField(source="user_id")
    display_name = serializers.CharField(source="user.display_name")
    postcode = serializers.CharField()
    location = LocationSerializer()
    radius_km = serializers.FloatField()
    categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    weekly_hours = serializers.FloatField()
    committed_weekly_hours = serializers.FloatField(
        help_text="Weekly hours already promised to matched requests."
    )
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices))
    availability = AvailabilitySlotSerializer(source="availability_slots.all", many=True)
    has_car = serializers.BooleanField()
    active = serializers.BooleanField()
    verification_state = serializers.ChoiceField(choices=VerificationState.choices)
    verified_at = serializers.DateTimeField(allow_null=True)


# --- Vetting (docs/VETTING.md) -----------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class VettingChecksSerializer(serializers.Serializer):
    """The record's checks: the type of identity document seen (never its number), the
    interview, and the date of each further check an organisation may require (null: not
    done)."""

    id_document = serializers.ChoiceField(choices=[("", ""), *IdDocumentType.choices])
    interview_on = serializers.DateField(allow_null=True)
    interviewed_by = PersonSerializer(allow_null=True)
    references = serializers.DateField(allow_null=True)
    good_conduct = serializers.DateField(allow_null=True)


class VettingChangeSerializer(serializers.Serializer):
    previous_state = serializers.ChoiceField(choices=VerificationState.choices)
    state = serializers.ChoiceField(choices=VerificationState.choices)
    # The contract's `by` is the coordinator's user id; their name is beside it for pages.
    by = serializers.IntegerField(
        source="by.id", allow_null=True, help_text="The coordinator's user id; null once they left."
    )
    by_name = serializers.CharField(source="by.display_name", allow_null=True)
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    checks = VettingChecksSerializer()
    notes = serializers.CharField()


class HelperVettingSerializer(serializers.Serializer):
    """GET /api/helpers/<id>/vetting/ (coordinators): matching.selectors.helper_vetting_record."""

    helper_id = serializers.IntegerField()
    display_name = serializers.CharField()
    state = serializers.ChoiceField(choices=VerificationState.choices)
    checks = VettingChecksSerializer()
    required_checks = serializers.ListField(
        child=serializers.ChoiceField(choices=VettingCheck.choices),
        help_text="Checks required before verifying (HELPER_VETTING_REQUIRED_CHECKS).",
    )
    notes = serializers.CharField()
    history = VettingChangeSerializer(many=True, help_text="Every change, oldest first.")


class VettingChecksInputSerializer(serializers.Serializer):
    """The parts of the record a change carries; those left out keep their value, null clears."""

    id_document = serializers.ChoiceField(
        choices=[("", ""), *IdDocumentType.choices], required=False
    )
    interview_on = serializers.DateField(required=False, allow_null=True)
    interviewed_by = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=DATABASE_ID_MAX,
        help_text="A coordinator's user id; default: you.",
    )
    references = serializers.DateField(required=False, allow_null=True)
    good_conduct = serializers.DateField(required=False, allow_null=True)


class HelperVettingChangeSerializer(serializers.Serializer):
    """POST /api/helpers/<id>/vetting/: the decision (the state, possibly unchanged), why, and
    what the record gains."""

    state = serializers.ChoiceField(choices=VerificationState.choices)
    reason = StrictCharField(max_length=1000)
    checks = VettingChecksInputSerializer(required=False)
    notes = StrictCharField(max_length=4000, required=False, allow_blank=True)
