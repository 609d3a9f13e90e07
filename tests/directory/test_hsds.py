"""Open Referral HSDS 3: the export checked against the official schemas (vendored in
directory/hsds_schema/), and the import of HSDS 3 tabular data packages (docs/SERVICES.md;
CONTRACT.md, "Service partners and access log"): a source and a licence per row, a dry run
that writes nothing, all or nothing."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from directory.hsds import (
    HSDS_VERSION,
    hsds_csv_files,
    hsds_tables,
    hsds_validation_errors,
    parse_hsds_package,
    specification_datapackage,
    table_files,
)
from directory.models import ContactChangeVia, Service, ServiceContactChange
from directory.selectors import services_for_export
from geo.models import Municipality
from tests.directory.factories import ServiceFactory
from tests.directory.hsds_packages import (
    fictional_id,
    fictional_service,
    package_files,
    zipped,
)

pytestmark = pytest.mark.django_db
IMPORT = "/api/services/import/"


@pytest.fixture
def client():
    return APIClient()


def upload(files: dict[str, bytes]) -> dict:
    return {"file": SimpleUploadedFile("package.zip", zipped(files), "application/zip")}


def hsds_key(name: str) -> str:
    """The key an imported fictional service gets: hsds-<its HSDS id>."""
    return f"hsds-{fictional_id(f'service:test-{name}')}"


# --- The schemas ------------------------------------------------------------------------------


def test_the_vendored_schemas_are_the_published_hsds_3_0_with_their_licence():
    from directory.hsds import SCHEMA_DIR

    assert specification_datapackage()["version"] == HSDS_VERSION == "3.0.0"
    assert "Creative Commons Attribution Share-Alike 4.0" in (SCHEMA_DIR / "LICENSE").read_text()
    assert "c457a0e3ecb0cfe43525ea8bcdbfd62542ed6730" in (SCHEMA_DIR / "README.md").read_text()


def test_the_hsds_export_of_the_directory_validates_against_the_official_schemas(
    service_directory,
):
    ServiceFactory(
        key="test-with-contacts",
        name_fr="Service de test (fictif)",
        address="1 Test Street, Testville (fictional)",
        phone="TEST-0001",
        email="desk@example.org",
        website="https://example.org/test",
        languages=["fr", "nl"],
        licence="CC0-1.0 (test fixture)",
        coverage=["92094"],
    )

    tables = hsds_tables(services_for_export(), language="fr")

    assert len(tables["service"]) == Service.objects.count()
    assert len(tables["phone"]) == len(tables["location"]) == 1
    assert hsds_validation_errors(tables) == []


def test_the_schema_check_names_the_file_row_and_field_of_what_is_wrong(service_directory):
    tables = hsds_tables(services_for_export().filter(key="mutuality-own"), language="fr")
    tables["service"][0]["status"] = "open"
    tables["organization"][0]["id"] = "not-a-uuid"

    errors = hsds_validation_errors(tables)

    assert any(
        error.startswith("services.csv row 2: status: 'open' is not one of") for error in errors
    )
    assert any(error.startswith("organizations.csv row 2: id:") for error in errors)


def test_the_export_is_an_hsds_data_package_with_the_specifications_file_names(
    client, service_directory, coordinator
):
    client.force_authenticate(coordinator)

    response = client.get("/api/services/export/", {"shape": "hsds"})

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert package["hsds_version"] == "3.0.0"
    assert {resource["path"] for resource in package["resources"]} == set(archive.namelist()) - {
        "datapackage.json"
    }
    assert set(hsds_csv_files(hsds_tables([]))) == set(archive.namelist())


def test_the_export_the_api_serves_validates_file_by_file_against_the_official_schemas(
    client, service_directory, coordinator
):
    """What a client downloads (the zip's CSV files, read back as text) — not only the tables
    before they are written — passes the official HSDS 3.0 tabular schema."""
    ServiceFactory(
        key="test-served",
        name_fr="Service servi (fictif)",
        address="2 Test Street, Testville (fictional)",
        phone="TEST-0003",
        email="served@example.org",
        website="https://example.org/served",
        languages=["de"],
        licence="CC0-1.0 (test fixture)",
        coverage=["92094"],
    )
    client.force_authenticate(coordinator)

    response = client.get("/api/services/export/", {"shape": "hsds"})

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    tables_of_files = {path: table for table, path in table_files().items()}
    tables = {
        tables_of_files[name]: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name != "datapackage.json"
    }
    assert len(tables["service"]) == Service.objects.count()
    assert any(row["email"] == "served@example.org" for row in tables["service"])
    assert hsds_validation_errors(tables) == []
    # And the check does look at these files: one wrong cell is caught, naming its row.
    tables["service"][0]["status"] = "open"
    assert hsds_validation_errors(tables)[0].startswith("services.csv row 2: status:")


# --- Import: refusals -------------------------------------------------------------------------


def test_a_package_with_a_row_without_source_is_refused_naming_the_row_and_nothing_is_written(
    client, places, coordinator
):
    client.force_authenticate(coordinator)
    files = package_files(
        [
            fictional_service("Test service A (fictional)"),
            fictional_service("Test service B (fictional)", source=""),
        ]
    )
    before = Service.objects.count()

    response = client.post(f"{IMPORT}?shape=hsds", upload(files), format="multipart")

    assert response.status_code == 400
    errors = response.json()["file"]
    service_b = fictional_id("service:test-Test service B (fictional)")
    assert errors == [
        f'services.csv row 3 (id {service_b}, "Test service B (fictional)"): no source: give a '
        "`source` column or the package's `sources` (where this row's facts come from)"
    ]
    assert Service.objects.count() == before
    assert not Service.objects.filter(key=hsds_key("Test service A (fictional)")).exists()
    assert not ServiceContactChange.objects.exists()


def test_a_row_without_a_licence_is_refused_too(places):
    files = package_files([fictional_service("Test service C (fictional)", licence="")])

    with pytest.raises(Exception, match=r"services.csv row 2 .*: no licence"):
        parse_hsds_package(files, known_refnis={"92094"})


def test_a_package_that_breaks_the_official_schema_is_refused(client, places, coordinator):
    client.force_authenticate(coordinator)
    files = package_files([fictional_service("Test service D (fictional)", status="open")])

    response = client.post(f"{IMPORT}?shape=hsds", upload(files), format="multipart")

    assert response.status_code == 400
    assert response.json()["file"][0].startswith("services.csv row 2: status:")


def test_a_file_that_is_not_a_zip_is_a_400(client, places, coordinator):
    client.force_authenticate(coordinator)
    bad = SimpleUploadedFile("package.zip", b"not a zip", "application/zip")

    response = client.post(f"{IMPORT}?shape=hsds", {"file": bad}, format="multipart")

    assert response.status_code == 400
    assert "zip" in response.json()["file"][0]


# --- Import: dry run and the real thing -------------------------------------------------------


def _existing_entries():
    """Entries an earlier import created, to be updated, left as they are and deactivated."""
    ServiceFactory(
        key=hsds_key("Test updated (fictional)"),
        name_fr="Test updated (fictional)",
        source="Test fixture (fictional)",
        licence="CC0-1.0 (test fixture)",
        email="old@example.org",
    )
    ServiceFactory(
        key=hsds_key("Test unchanged (fictional)"),
        name_fr="Test unchanged (fictional)",
        source="Test fixture (fictional)",
        licence="CC0-1.0 (test fixture)",
    )
    ServiceFactory(
        key=hsds_key("Test closed (fictional)"),
        name_fr="Test closed (fictional)",
        source="Test fixture (fictional)",
        licence="CC0-1.0 (test fixture)",
    )


def _mixed_package() -> dict[str, bytes]:
    return package_files(
        [
            fictional_service(
                "Test new (fictional)",
                email="new@example.org",
                phone="TEST-0002",
                refnis="92094",
                languages=("fr", "xx"),
            ),
            fictional_service("Test updated (fictional)", email="new@example.org"),
            fictional_service("Test unchanged (fictional)"),
            fictional_service("Test closed (fictional)", status="inactive"),
        ]
    )


def test_a_dry_run_reports_each_rows_change_and_writes_nothing(client, places, coordinator):
    _existing_entries()
    client.force_authenticate(coordinator)
    before = list(Service.objects.order_by("pk").values())

    response = client.post(
        f"{IMPORT}?shape=hsds&dry_run=1", upload(_mixed_package()), format="multipart"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert {key: body[key] for key in ("created", "updated", "unchanged", "deactivated")} == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "deactivated": 1,
    }
    actions = {row["name"]: (row["row"], row["action"]) for row in body["rows"]}
    assert actions == {
        "Test new (fictional)": (2, "created"),
        "Test updated (fictional)": (3, "updated"),
        "Test unchanged (fictional)": (4, "unchanged"),
        "Test closed (fictional)": (5, "deactivated"),
    }
    updated = next(row for row in body["rows"] if row["action"] == "updated")
    assert updated["changes"] == {"email": ["old@example.org", "new@example.org"]}
    assert list(Service.objects.order_by("pk").values()) == before
    assert not ServiceContactChange.objects.exists()


def test_a_valid_package_imports_with_its_source_licence_and_history(client, places, coordinator):
    _existing_entries()
    client.force_authenticate(coordinator)

    response = client.post(
        f"{IMPORT}?shape=hsds&language=nl", upload(_mixed_package()), format="multipart"
    )

    assert response.status_code == 200, response.content
    assert response.json()["dry_run"] is False
    new = Service.objects.get(key=hsds_key("Test new (fictional)"))
    assert new.name_nl == "Test new (fictional)" and new.name_fr == ""
    assert (new.kind, new.email, new.phone, new.address) == (
        "other",
        "new@example.org",
        "TEST-0002",
        "",
    )
    assert new.languages == ["fr"]
    assert list(new.coverage.values_list("refnis", flat=True)) == ["92094"]
    assert (new.source, new.licence) == ("Test fixture (fictional)", "CC0-1.0 (test fixture)")
    assert new.verified_at is not None
    assert Service.objects.get(key=hsds_key("Test updated (fictional)")).email == "new@example.org"
    assert Service.objects.get(key=hsds_key("Test closed (fictional)")).active is False
    change = ServiceContactChange.objects.get(service__key=hsds_key("Test updated (fictional)"))
    assert (change.via, change.changed_by, change.source) == (
        ContactChangeVia.IMPORT,
        coordinator,
        "Test fixture (fictional)",
    )
    assert change.changes == {"email": ["old@example.org", "new@example.org"]}


def test_a_row_refused_by_the_database_midway_leaves_nothing_of_the_rows_before_it(
    client, places, coordinator
):
    """All or nothing, past the checks too: the second row would give Namur a second active
    CPAS (the database refuses it while writing), so the first, new, row is not kept either."""
    namur = Municipality.objects.get(refnis="92094")
    if not Service.objects.filter(kind="cpas", active=True, municipality=namur).exists():
        ServiceFactory(kind="cpas", municipality=namur, name_fr="Test CPAS (fictional)")
    ServiceFactory(
        key=hsds_key("Test old CPAS (fictional)"),
        kind="cpas",
        active=False,
        municipality=namur,
        name_fr="Test old CPAS (fictional)",
    )
    client.force_authenticate(coordinator)
    files = package_files(
        [
            fictional_service("Test first row (fictional)"),
            fictional_service("Test old CPAS (fictional)", status="active"),
        ]
    )
    before = list(Service.objects.order_by("pk").values())

    response = client.post(f"{IMPORT}?shape=hsds", upload(files), format="multipart")

    assert response.status_code == 400
    assert "second active CPAS" in response.json()["file"][0]
    assert list(Service.objects.order_by("pk").values()) == before
    assert not ServiceContactChange.objects.exists()


def test_the_packages_declared_source_and_licence_speak_for_rows_without_their_own(places):
    files = package_files(
        [fictional_service("Test service E (fictional)")],
        source_columns=False,
        datapackage={
            "name": "test-fixture",
            "sources": [{"title": "Test publisher (fictional)", "path": "https://example.org/"}],
            "licenses": [{"name": "CC0-1.0", "path": "https://example.org/licence"}],
        },
    )

    [record] = parse_hsds_package(files, known_refnis={"92094"})

    assert (record.source, record.source_url, record.licence) == (
        "Test publisher (fictional)",
        "https://example.org/",
        "CC0-1.0",
    )


def test_no_contact_is_invented_a_package_without_one_leaves_the_entry_without(places):
    [record] = parse_hsds_package(
        package_files([fictional_service("Test service F (fictional)")]), known_refnis=set()
    )

    assert record.contacts == {"address": "", "phone": "", "email": "", "website": ""}


def test_the_directorys_own_entries_cannot_be_imported_back_without_a_licence(
    service_directory, tmp_path
):
    # The seeds Tandem's entries come from give no licence (docs/SERVICES.md): refused.
    call_command("export_services", "--format", "hsds", "--output", str(tmp_path / "out"))

    with pytest.raises(CommandError, match=r"services.csv row \d+ .*: no licence"):
        call_command("import_services", str(tmp_path / "out"), "--shape", "hsds")


def test_the_command_imports_a_package_folder_after_a_dry_run(places, tmp_path, capsys):
    folder = tmp_path / "package"
    folder.mkdir()
    for name, data in package_files([fictional_service("Test service G (fictional)")]).items():
        (folder / name).write_bytes(data)

    call_command("import_services", str(folder), "--shape", "hsds", "--dry-run")
    dry = capsys.readouterr().out
    assert not Service.objects.filter(key=hsds_key("Test service G (fictional)")).exists()
    call_command("import_services", str(folder), "--shape", "hsds")

    assert "Dry run, nothing written: would be 1 created" in dry
    assert f"row 2 {hsds_key('Test service G (fictional)')}: created" in dry
    assert Service.objects.filter(key=hsds_key("Test service G (fictional)")).exists()


def test_a_csv_dry_run_counts_and_writes_nothing(client, places, coordinator):
    client.force_authenticate(coordinator)
    text = "key,kind,name_fr,source\ntest-csv-dry,other,Test (fictional),Test fixture\n"

    response = client.post(
        f"{IMPORT}?dry_run=1",
        {"file": SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "dry_run": True}
    assert not Service.objects.filter(key="test-csv-dry").exists()


def test_the_address_comes_from_a_physical_location_and_a_contacts_phone_is_not_the_services(
    places,
):
    service_id = fictional_id("service:test-Test service H (fictional)")
    location_id = fictional_id("location:test-H")
    files = package_files([fictional_service("Test service H (fictional)")])
    files["locations.csv"] = f"id,location_type\n{location_id},physical\n".encode()
    files["service_at_location.csv"] = (
        f"id,service_id,location_id\n{fictional_id('sal:H')},{service_id},{location_id}\n"
    ).encode()
    files["addresses.csv"] = (
        "id,location_id,address_1,city,state_province,postal_code,country,address_type\n"
        f"{fictional_id('address:H')},{location_id},1 Test Street,Testville,Test province,"
        "0000,BE,physical\n"
    ).encode()
    files["phones.csv"] = (
        "id,service_id,contact_id,number\n"
        f"{fictional_id('phone:H')},{service_id},{fictional_id('contact:H')},TEST-PERSON\n"
    ).encode()

    [record] = parse_hsds_package(files, known_refnis=set())

    assert record.contacts["address"] == "1 Test Street, 0000 Testville"
    assert record.contacts["phone"] == ""


def test_a_value_too_long_for_the_directory_is_refused_not_truncated(places):
    files = package_files([fictional_service("Test " + "x" * 200 + " (fictional)")])

    with pytest.raises(Exception, match=r"services.csv row 2 .*: the name is longer than 200"):
        parse_hsds_package(files, known_refnis=set())
