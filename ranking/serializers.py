"""Shapes of the ranking's responses: candidates of a request, requests near a helper."""

from rest_framework import serializers

from geo.serializers import LocationSerializer
from matching.vocabulary import Category, Recurrence
from ranking.selectors import displayed_nearby_km


class CandidateSerializer(serializers.Serializer):
    """A helper who fits a request (ranking.selectors.Candidate): the API writes the candidates
    with it; distance_km and reasons come as candidates_for made them."""

    helper_id = serializers.IntegerField()
    display_name = serializers.CharField()
    distance_km = serializers.FloatField(
        help_text="Rounded up to a whole kilometre, so a helper's home stays approximate."
    )
    score = serializers.SerializerMethodField(help_text="0–1, see ranking/scoring.py.")
    reasons = serializers.ListField(child=serializers.CharField())

    def get_score(self, candidate) -> float:
        return round(candidate.score, 2)


class CandidatesQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class NearbyKilometresField(serializers.FloatField):
    """Kilometres to 0.1 km (ranking.selectors.displayed_nearby_km), from the exact distance of
    a row as from the rounded one of a NearbyRequest."""

    def to_representation(self, value) -> float:
        return displayed_nearby_km(value)


class NearbyRequestSerializer(serializers.Serializer):
    """A request near a helper. ranking.selectors.nearby_request_rows_for selects its fields
    (core.fast_rows) for GET /api/requests/nearby/; the pages' NearbyRequest objects read the
    same."""

    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField()
    distance_km = NearbyKilometresField()
    location = LocationSerializer(help_text="Approximate: at least 500 m from the real place.")
    duration_minutes = serializers.IntegerField()
    recurrence = serializers.ChoiceField(choices=Recurrence.choices)
    starts_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
