"""The directory's one-query selection (directory.selectors._services_for_postcode_rows) gives
what the five ORM queries it replaced gave, and `GET /api/services/?postcode=` the same bytes as
ServiceOutputSerializer writes of those services' model instances, in every language.

`reference_services` below is the selection as it was written with the ORM before the query
(SESSION4): the specification the SQL is held to, on the loaded directory and on entries
made to test the edges (inactive entries, an entry both covering and nationwide, a CPAS of the
second municipality of a postcode, names and descriptions in some languages only).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from directory.csv_files import parse_services_csv
from directory.models import Service, ServiceKind
from directory.selectors import (
    service_data,
    services_for_postcode_data,
    services_for_postcode_list,
)
from directory.services import services_import
from geo.models import Municipality, Postcode
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db
LANGUAGES = ["fr", "nl", "de", "en"]
# Brussels (one municipality), three postcodes of two (1040: Etterbeek and Brussels, 1050:
# Ixelles and Brussels, 1804: Vilvoorde and Zemst), a German-speaking one, Namur, Ghent.
POSTCODES = ["1000", "1040", "1050", "1804", "4700", "5000", "9000"]


def reference_services(postcode: str) -> list[Service] | None:
    """The directory's selection as the ORM queries wrote it before the single query."""
    place = Postcode.objects.filter(code=postcode).first()
    if place is None:
        return None
    refnis = list(place.municipalities.values_list("refnis", flat=True))
    active = Service.objects.filter(active=True).select_related("municipality")
    cpas = sorted(
        active.filter(kind=ServiceKind.CPAS, municipality_id__in=refnis),
        key=lambda service: (service.municipality_id != place.municipality_id, service.key),
    )
    local = list(
        active.exclude(kind=ServiceKind.CPAS)
        .filter(coverage__in=refnis)
        .distinct()
        .order_by("kind", "key")
    )
    nationwide = list(
        active.exclude(kind=ServiceKind.CPAS)
        .filter(nationwide=True)
        .exclude(pk__in=[service.pk for service in local])
        .order_by("kind", "key")
    )
    return cpas + local + nationwide


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def edge_entries(service_directory):
    """Entries that exercise every branch of the selection and of the API's shape."""
    # 1050's two municipalities are Ixelles (21009, primary) and Brussels (21004).
    ServiceFactory(
        key="casd-ixelles-brussels",
        kind=ServiceKind.CASD,
        coverage=["21009", "21004"],
        nationwide=True,  # also nationwide: listed once, among the local entries
        name_fr="Centre de coordination",
        name_en="Care coordination centre",
        description_fr="Aide à domicile.",
        description_de="Hilfe zu Hause.",
        address="Rue de l'Exemple 1, 1050 Ixelles",
        phone="+32 2 000 00 00",
        email="contact@example.org",
        website="https://example.org/",
        languages=["fr", "en"],
        source_url="https://example.org/source",
    )
    ServiceFactory(
        key="other-zemst", kind=ServiceKind.OTHER, coverage=["23096"], name_nl="Dienst Zemst"
    )
    ServiceFactory(key="other-english-only", kind=ServiceKind.OTHER, name_en="English only")
    ServiceFactory(
        key="other-nationwide", kind=ServiceKind.OTHER, nationwide=True, name_de="Überall"
    )
    ServiceFactory(
        key="other-gone", kind=ServiceKind.OTHER, nationwide=True, active=False, name_fr="Fermé"
    )
    ServiceFactory(
        key="cpas-inactive-ixelles",
        kind=ServiceKind.CPAS,
        municipality_id="21009",
        active=False,
        name_fr="Ancien CPAS",
    )
    # The second municipality's CPAS under a key that sorts before the primary one's.
    Service.objects.filter(key="cpas-21004").update(key="cpas-00000-brussels")


@pytest.mark.parametrize("postcode", POSTCODES)
def test_the_query_selects_what_the_orm_queries_selected(edge_entries, postcode):
    expected = [service.pk for service in reference_services(postcode)]

    assert [service.pk for service in services_for_postcode_list(postcode)] == expected


@pytest.mark.parametrize("postcode", POSTCODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_shape_is_the_serializers_of_the_same_services(edge_entries, postcode, language):
    expected = [
        service_data(service, language=language) for service in reference_services(postcode)
    ]

    assert rendered(services_for_postcode_data(postcode, language=language)) == rendered(expected)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_api_answers_the_same_bytes_in_every_language(client, edge_entries, language):
    expected = [service_data(service, language=language) for service in reference_services("1050")]

    by_header = client.get("/api/services/", {"postcode": "1050"}, HTTP_ACCEPT_LANGUAGE=language)
    by_parameter = client.get("/api/services/", {"postcode": "1050", "lang": language})

    assert by_header.status_code == 200
    assert by_header.content == rendered(expected)
    assert by_parameter.content == by_header.content


def test_the_edge_entries_are_listed_as_their_columns_say(client, edge_entries):
    listed = client.get("/api/services/", {"postcode": "1050"}, HTTP_ACCEPT_LANGUAGE="de").json()
    keys = [entry["key"] for entry in listed]
    casd = listed[keys.index("casd-ixelles-brussels")]

    assert keys[:2] == ["cpas-21009", "cpas-00000-brussels"]  # primary municipality first
    assert keys.count("casd-ixelles-brussels") == 1
    assert "other-nationwide" in keys
    assert "other-zemst" not in keys
    assert not {"other-gone", "cpas-inactive-ixelles"} & set(keys)
    assert casd["name"] == "Centre de coordination"
    assert casd["description"] == "Hilfe zu Hause."
    assert casd["municipality"] is None
    assert casd["languages"] == ["fr", "en"]
    assert casd["source_url"] == "https://example.org/source"


def test_a_known_postcode_without_active_services_is_an_empty_list(client, service_directory):
    Service.objects.update(active=False)

    response = client.get("/api/services/", {"postcode": "1000"})

    assert response.status_code == 200
    assert response.json() == []
    assert services_for_postcode_list("1000") == []


@pytest.mark.parametrize("postcode", ["9999", "0000", "", None, "10000", "abcd"])
def test_an_unknown_or_malformed_postcode_has_no_services(service_directory, postcode):
    assert services_for_postcode_list(postcode) is None
    assert services_for_postcode_data(postcode, language="fr") is None


def test_an_unknown_postcode_is_still_a_404(client, service_directory):
    response = client.get("/api/services/", {"postcode": "9999"})

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_postcode"


def test_an_anonymous_listing_takes_one_query(client, service_directory):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/services/", {"postcode": "1050"})

    assert response.status_code == 200
    assert len(queries) == 1


def test_an_import_is_seen_by_the_next_request(client, service_directory):
    csv_text = "key,kind,name_fr,coverage,source\ncasd-namur,casd,CASD de Namur,92094,Test\n"
    known = set(Municipality.objects.values_list("refnis", flat=True))
    services_import(rows=parse_services_csv(csv_text, known_refnis=known))

    keys = [entry["key"] for entry in client.get("/api/services/", {"postcode": "5000"}).json()]

    assert "casd-namur" in keys
