"""`GET /api/geo/postcodes/<code>/` is written from geo.selectors.postcode_detail_rows (one raw
query, no model instances): it must say exactly what PostcodeSerializer says of postcode_get, the
shape the API documents, for every postcode, to the last digit of the coordinates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from core.fast_rows import rows_data
from geo.models import Municipality, Postcode
from geo.selectors import postcode_detail_rows, postcode_get
from geo.serializers import PostcodeSerializer

pytestmark = pytest.mark.usefixtures("places")


def postcode_detail(*, code: str) -> dict | None:
    """What the API answers for `code`, from the fast path; None for a 404."""
    rows = postcode_detail_rows(code=code)
    return rows_data(PostcodeSerializer, rows)[0] if rows else None


def documented_shape(code: str) -> bytes:
    return JSONRenderer().render(PostcodeSerializer(postcode_get(code=code)).data)


def test_every_postcode_reads_as_the_serializer_wrote_it():
    differing = [
        code
        for code in Postcode.objects.values_list("code", flat=True)
        if JSONRenderer().render(postcode_detail(code=code)) != documented_shape(code)
    ]

    assert Postcode.objects.count() == 1149
    assert differing == []


@pytest.mark.parametrize("code", ["1000", "1040", "1050", "1804", "4700"])
def test_the_api_answers_the_serializers_bytes(code):
    response = APIClient().get(f"/api/geo/postcodes/{code}/")

    assert response.status_code == 200
    assert response.content == documented_shape(code)


def test_a_german_name_is_given_only_where_one_is_known():
    Municipality.objects.filter(refnis="63023").update(name_de="Eupen (de)")

    eupen = postcode_detail(code="4700")

    assert eupen["municipality"]["name"] == {"fr": "Eupen", "nl": "Eupen", "de": "Eupen (de)"}
    assert JSONRenderer().render(eupen) == documented_shape("4700")
    assert "de" not in postcode_detail(code="1000")["municipality"]["name"]


@pytest.mark.parametrize("code", ["0000", "9999", "abcd", "12345", "100", "", None, "١٠٠٠"])
def test_an_unknown_or_malformed_postcode_is_none(code):
    assert postcode_detail(code=code) is None


def test_a_lookup_takes_one_query():
    with CaptureQueriesContext(connection) as queries:
        response = APIClient().get("/api/geo/postcodes/1050/")

    assert response.status_code == 200
    assert len(queries) == 1
