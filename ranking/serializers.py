"""Shapes of the ranking's responses: candidates of a request, requests near a helper."""

from rest_framework import serializers

from core.api_values import date_time_text
from geo.serializers import LocationSerializer
from matching.vocabulary import Category, Recurrence


class CandidateSerializer(serializers.Serializer):
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


class NearbyRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField()
    distance_km = serializers.FloatField()
    location = LocationSerializer(help_text="Approximate: at least 500 m from the real place.")
    duration_minutes = serializers.IntegerField()
    recurrence = serializers.ChoiceField(choices=Recurrence.choices)
    starts_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


# --- Hot paths: the same JSON without a serializer's per-field walk -----------------------------
# Nearby requests, one's helper profile and candidates are among the most frequent calls. The
# serializers above stay their documented schema (extend_schema); these functions give the same
# output, key for key and value for value (tests/matching/test_fast_representations.py).


def nearby_requests_data(rows: list[dict]) -> list[dict]:
    """NearbyRequestSerializer(many=True).data for matching.selectors.nearby_request_rows_for."""
    return [
        {
            "id": row["id"],
            "category": row["category"],
            "description": row["description"],
            "distance_km": row["distance_km"],
            "location": {"lat": row["latitude"], "lon": row["longitude"]},
            "duration_minutes": row["duration_minutes"],
            "recurrence": row["recurrence"],
            "starts_at": date_time_text(row["starts_at"]),
            "created_at": date_time_text(row["created_at"]),
        }
        for row in rows
    ]


def candidates_data(candidates: list) -> list[dict]:
    """CandidateSerializer(many=True).data for matching.selectors.candidates_for."""
    return [
        {
            "helper_id": candidate.helper_id,
            "display_name": candidate.display_name,
            "distance_km": candidate.distance_km,
            "score": round(candidate.score, 2),
            "reasons": list(candidate.reasons),
        }
        for candidate in candidates
    ]
