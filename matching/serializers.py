"""Shapes of the helpers and matching API. They check types; matching.services checks the rest."""

from rest_framework import serializers

from accounts.models import Language
from core.strict_fields import StrictBooleanField, StrictCharField, StrictNumberField
from geo.serializers import LocationSerializer
from geo.services import point_from_lat_lon
from matching.models import VerificationState, Weekday
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


