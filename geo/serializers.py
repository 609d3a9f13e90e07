"""Output shapes of the places API (CONTRACT.md "Places")."""

from rest_framework import serializers

from core.fast_rows import FinishedRepresentation
from geo.models import Region


class LocationSerializer(serializers.Serializer):
    """A WGS 84 point as {lat, lon} in decimal degrees."""

    lat = serializers.FloatField(source="y")
    lon = serializers.FloatField(source="x")


class MunicipalityNameSerializer(FinishedRepresentation, serializers.Serializer):
    fr = serializers.CharField(source="name_fr")
    nl = serializers.CharField(source="name_nl")
    # Only present where a German name is known.
    de = serializers.CharField(source="name_de", required=False)

    @staticmethod
    def finish_data(data: dict, context: dict) -> dict:
        if not data.get("de"):
            data.pop("de", None)
        return data


class MunicipalitySerializer(serializers.Serializer):
    refnis = serializers.CharField()
    name = MunicipalityNameSerializer(source="*")
    region = serializers.ChoiceField(choices=Region.choices)


class PostcodeSerializer(serializers.Serializer):
    postcode = serializers.CharField(source="code")
    municipality = MunicipalitySerializer(
        help_text="The postcode's primary municipality (1040, 1050 and 1804 belong to two)."
    )
    location = LocationSerializer(help_text="The postcode's representative point.")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
