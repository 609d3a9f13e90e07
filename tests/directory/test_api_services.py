"""GET /api/services/?postcode= (CONTRACT.md, "Carers and referrals"), and the coordinators'
CSV export and import of the directory."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from directory.csv_files import COLUMNS
from directory.hsds import HSDS_TABLES, table_files
from directory.models import Service

pytestmark = pytest.mark.django_db
URL = "/api/services/"


@pytest.fixture
def client():
    return APIClient()


def services(client, postcode, language="en"):
    response = client.get(URL, {"postcode": postcode}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("postcode", "language", "name", "refnis"),
    [
        ("1000", "fr", "CPAS de Bruxelles", "21004"),
        ("1000", "nl", "OCMW van Brussel", "21004"),
        ("1000", "en", "CPAS de Bruxelles / OCMW van Brussel", "21004"),
        ("9000", "fr", "OCMW Gent", "44021"),
        ("9150", "nl", "OCMW Beveren-Kruibeke-Zwijndrecht", "46030"),
        ("5000", "fr", "CPAS de Namur", "92094"),
        ("4700", "de", "ÖSHZ Eupen", "63023"),
    ],
)
def test_anyone_gets_the_cpas_of_the_postcode_first_in_the_contract_shape(
    client, service_directory, postcode, language, name, refnis
):
    first = services(client, postcode, language)[0]

    assert first["kind"] == "cpas"
    assert first["name"] == name
    assert first["municipality"]["refnis"] == refnis
    assert {
        "id",
        "kind",
        "name",
        "municipality",
        "address",
        "phone",
        "email",
        "website",
        "languages",
        "source",
    } <= set(first)
    assert first["address"] is first["phone"] is first["email"] is first["website"] is None
    assert "seeds/003_692b049fcd3410ab.txt" in first["source"]


def test_every_entry_returned_names_its_source(client, service_directory):
    for entry in services(client, "5000"):
        assert entry["source"]
        assert entry["kind"] in {"cpas", "casd", "mutuality", "other"}


def test_the_pointer_to_ones_own_mutualite_is_in_the_request_language(client, service_directory):
    by_key = {entry["key"]: entry for entry in services(client, "9000", "nl")}

    assert by_key["mutuality-own"]["name"] == "Uw ziekenfonds (de sociale dienst)"
    assert by_key["mutuality-own"]["municipality"] is None


def test_a_missing_postcode_is_a_400(client, service_directory):
    response = client.get(URL)

    assert response.status_code == 400
    assert "postcode" in response.json()


def test_a_malformed_postcode_is_a_400(client, service_directory):
    assert client.get(URL, {"postcode": "50OO"}).status_code == 400


def test_an_unknown_postcode_is_a_404(client, service_directory):
    response = client.get(URL, {"postcode": "9999"})

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_postcode"


# --- Export and import -----------------------------------------------------------------------


def test_only_coordinators_export_or_import(client, service_directory, requester, helper):
    assert client.get("/api/services/export/").status_code == 401
    for person in (requester, helper):
        client.force_authenticate(person)
        assert client.get("/api/services/export/").status_code == 403
        assert client.post("/api/services/import/").status_code == 403


def test_the_csv_export_has_every_service_and_imports_back_unchanged(
    client, service_directory, coordinator
):
    client.force_authenticate(coordinator)

    exported = client.get("/api/services/export/", {"shape": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    upload = SimpleUploadedFile("services.csv", exported.content, content_type="text/csv")
    imported = client.post("/api/services/import/", {"file": upload}, format="multipart")

    assert exported.status_code == 200
    assert list(rows[0]) == COLUMNS
    assert len(rows) == Service.objects.count()
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"created": 0, "updated": Service.objects.count()}


def test_a_coordinator_adds_a_contact_detail_with_its_source(
    client, service_directory, coordinator
):
    client.force_authenticate(coordinator)
    text = (
        "key,kind,name_fr,municipality,phone,source,source_url\n"
        "cpas-92094,cpas,CPAS de Namur,92094,081 00 00 00,"
        "Checked with the CPAS by phone (a test),https://example.org/cpas\n"
    )

    response = client.post(
        "/api/services/import/",
        {"file": SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")},
        format="multipart",
    )

    namur = Service.objects.get(key="cpas-92094")
    assert response.status_code == 200, response.content
    assert namur.phone == "081 00 00 00"
    assert namur.source == "Checked with the CPAS by phone (a test)"
    assert list(namur.coverage.values_list("refnis", flat=True)) == ["92094"]


def test_an_import_with_one_bad_row_changes_nothing(client, service_directory, coordinator):
    client.force_authenticate(coordinator)
    text = (
        "key,kind,name_fr,municipality,phone,source\n"
        "new-service,other,Un service,,02 000 00 00,A leaflet (a test)\n"
        "no-source,other,Sans source,,02 111 11 11,\n"
        "bad-place,other,Ailleurs,99999,,A leaflet\n"
    )

    response = client.post(
        "/api/services/import/",
        {"file": SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 400
    errors = " ".join(response.json()["file"])
    assert "row 3: source is required" in errors
    assert "row 4: municipality 99999" in errors
    assert not Service.objects.filter(key="new-service").exists()


def test_the_hsds_export_has_the_open_referral_tables(client, service_directory, coordinator):
    client.force_authenticate(coordinator)

    response = client.get("/api/services/export/", {"shape": "hsds"}, HTTP_ACCEPT_LANGUAGE="fr")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = table_files()
    assert sorted(archive.namelist()) == sorted(
        ["datapackage.json", *(files[table] for table in HSDS_TABLES)]
    )
    services_rows = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode())))
    organizations = list(csv.DictReader(io.StringIO(archive.read("organizations.csv").decode())))
    namur = next(row for row in services_rows if row["name"] == "CPAS de Namur")
    assert list(services_rows[0]) == HSDS_TABLES["service"]
    assert namur["status"] == "active"
    assert namur["organization_id"] in {row["id"] for row in organizations}
    assert len(services_rows) == Service.objects.count()


def test_an_import_giving_a_municipality_a_second_cpas_is_refused(
    client, service_directory, coordinator
):
    client.force_authenticate(coordinator)
    text = "key,kind,name_fr,municipality,source\ncpas-bis,cpas,CPAS bis,92094,A leaflet\n"

    response = client.post(
        "/api/services/import/",
        {"file": SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "second active CPAS" in response.json()["file"][0]
    assert not Service.objects.filter(key="cpas-bis").exists()
