"""core.fast_rows: the rows of a query, their columns named after a serializer's fields, come out
as the serializer writes the instance they were read from."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from core.fast_rows import FinishedRepresentation, Rows, computed, fetch_rows, rows_data


class PointSerializer(serializers.Serializer):
    lat = serializers.FloatField(source="y")
    lon = serializers.FloatField(source="x")


class ShoutedField(serializers.CharField):
    """A field with its own writer: fast_rows must use it, not copy the column."""

    def to_representation(self, value) -> str:
        return str(value).upper()


class TripSerializer(FinishedRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    name = ShoutedField()
    place = PointSerializer(allow_null=True)
    hours = serializers.FloatField()
    tags = serializers.ListField(child=serializers.CharField())
    starts_at = serializers.DateTimeField(allow_null=True)
    long = computed(serializers.BooleanField)
    secret = serializers.CharField(required=False)

    @staticmethod
    def finish_data(data: dict, context: dict) -> dict:
        data["long"] = data["hours"] > 2
        if not context.get("trusted"):
            del data["secret"]
        return data


def trip(**values) -> SimpleNamespace:
    defaults = {
        "id": 1,
        "name": "ardennes",
        "place": SimpleNamespace(y=50.25, x=5.5),
        "hours": Decimal("3.5"),
        "tags": ["walk", "river"],
        "starts_at": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        "secret": "shh",
    }
    return SimpleNamespace(**{**defaults, **values})


def row_of(instance) -> Rows:
    """The instance as a query aliased to the serializer's fields would return it, the columns
    in another order than the fields."""
    place = instance.place
    columns = {
        "secret": instance.secret,
        "place.lon": place.x if place else None,
        "id": instance.id,
        "starts_at": instance.starts_at,
        "name": instance.name,
        "hours": instance.hours,
        "place.lat": place.y if place else None,
        "tags": instance.tags,
    }
    return Rows(tuple(columns), [tuple(columns.values())])


@pytest.mark.parametrize(
    "instance",
    [trip(), trip(place=None, starts_at=None, hours=Decimal("1"), tags=[])],
    ids=["full", "nulls"],
)
@pytest.mark.parametrize("trusted", [True, False])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_row_is_written_as_the_serializer_writes_its_instance(instance, trusted, language):
    context = {"trusted": trusted}
    with timezone.override("Europe/Brussels"):
        fast = rows_data(TripSerializer, row_of(instance), context)
        expected = TripSerializer(instance, context=context).data

    assert JSONRenderer().render(fast) == JSONRenderer().render([expected])


def test_the_keys_follow_the_serializers_order_and_finish_data_runs():
    [data] = rows_data(TripSerializer, row_of(trip()), {"trusted": True})

    assert list(data) == ["id", "name", "place", "hours", "tags", "starts_at", "long", "secret"]
    assert data["name"] == "ARDENNES"  # the field's own writer
    assert data["hours"] == 3.5 and isinstance(data["hours"], float)
    assert data["place"] == {"lat": 50.25, "lon": 5.5}
    assert data["long"] is True


def test_a_column_without_a_field_is_an_error():
    rows = Rows(("id", "nmae"), [(1, "typo")])

    with pytest.raises(ValueError, match="nmae"):
        rows_data(TripSerializer, rows)


@pytest.mark.django_db
def test_fetch_rows_names_the_columns_by_their_aliases():
    rows = fetch_rows('SELECT 1 AS "id", 2.5 AS "place.lat"', [])

    assert rows.names == ("id", "place.lat")
    assert rows.column("id") == [1]
    assert not fetch_rows("SELECT 1 WHERE false", [])
