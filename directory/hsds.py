"""The service directory as Open Referral HSDS 3.0 tabular data packages: the export, the
check against the official JSON schemas, and the reading of packages to import.

The schemas are the published specification's own (directory/hsds_schema/, README there says
which version and commit): `schema/compiled/tabular.json` for a package's tables, each table's
schema (`schema/<table>.json`) for the references inside it, and the specification's
`datapackage.json` for the file name of each table. Columns and conventions are documented in
docs/SERVICES.md ("Open Referral HSDS 3").
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.csv_files import DirectoryCsvError
from directory.models import Service

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"
HSDS_VERSION = "3.0.0"
MAX_PACKAGE_ROWS = 5000
MAX_ARCHIVE_BYTES = 20 * 1024 * 1024

# Tandem's own columns next to HSDS's in services.csv: where the row's facts come from and
# under which licence (HSDS 3.0 has no field for either). Without them, the data package's
# `sources` and `licenses` (Frictionless Data Package properties, on the services resource or
# the whole package) speak for every row.
SOURCE_COLUMNS = ["source", "source_url", "licence"]

HSDS_TABLES: dict[str, list[str]] = {
    "organization": ["id", "name", "description", "email", "website"],
    "service": [
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        *SOURCE_COLUMNS,
    ],
    "service_area": ["id", "service_id", "name", "description", "extent_type"],
    "language": ["id", "service_id", "name", "code"],
    "phone": ["id", "service_id", "number"],
    # HSDS's address table requires city, province and postcode as separate fields; Tandem
    # keeps an address as one line, so it goes to the location's description instead.
    "location": ["id", "location_type", "organization_id", "name", "description"],
    "service_at_location": ["id", "service_id", "location_id"],
}
# The tables an import reads (the export's, and addresses).
IMPORTED_TABLES = [*HSDS_TABLES, "address"]
HSDS_NAMESPACE = uuid.UUID("6f1d3c3e-6a55-4d0e-9a47-5c1d0b7c2a11")
LANGUAGE_NAMES = {"fr": "French", "nl": "Dutch", "de": "German", "en": "English"}
REFNIS_IN_AREA = re.compile(r"\bREFNIS ([0-9]{5})\b")
NATIONWIDE_AREA = "Belgium"


# --- The official schemas ----------------------------------------------------------------------


@cache
def specification_datapackage() -> dict[str, Any]:
    """The specification's datapackage.json (HSDS 3.0 tabular: tables, files, fields)."""
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def table_files() -> dict[str, str]:
    """HSDS table name → its file in a tabular package ("service" → "services.csv")."""
    return {
        resource["name"]: resource["path"] for resource in specification_datapackage()["resources"]
    }


@cache
def _tabular_validator() -> Draft202012Validator:
    registry = Registry().with_resources(
        (
            path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted((SCHEMA_DIR / "schema").glob("*.json"))
    )
    schema = json.loads(
        (SCHEMA_DIR / "schema" / "compiled" / "tabular.json").read_text(encoding="utf-8")
    )
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


@cache
def _field_types(table: str) -> dict[str, str]:
    properties = _tabular_validator().schema["properties"][table]["items"]["properties"]
    return {name: spec.get("type", "string") for name, spec in properties.items()}


def _typed_rows(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CSV rows as the JSON objects the schema describes: empty cells left out (a CSV cannot
    tell "" from missing), numbers as numbers where the schema wants them (a cell that is not
    a number stays text, for the schema to refuse)."""
    types = _field_types(table)
    typed = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, value in row.items():
            if value is None or value == "":
                continue
            if types.get(name) in {"number", "integer"} and isinstance(value, str):
                try:
                    value = int(value) if types[name] == "integer" else float(value)
                except ValueError:
                    pass
            item[name] = value
        typed.append(item)
    return typed


def hsds_validation_errors(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    """What the official HSDS 3.0 tabular schema finds wrong with `tables` (table name →
    rows of CSV text), as "services.csv row N: field: message"; [] when valid. Row numbers
    count the header as row 1, as in the files."""
    instance = {table: _typed_rows(table, rows) for table, rows in tables.items()}
    files = table_files()
    errors = []
    for error in sorted(
        _tabular_validator().iter_errors(instance), key=lambda found: list(found.absolute_path)
    ):
        path = list(error.absolute_path)
        if len(path) >= 2 and isinstance(path[1], int):
            where = f"{files.get(path[0], path[0])} row {path[1] + 2}"
            if len(path) > 2:
                where += f": {'.'.join(str(part) for part in path[2:])}"
        else:
            where = ".".join(str(part) for part in path) or "package"
        errors.append(f"{where}: {error.message}")
    return errors


# --- Export ------------------------------------------------------------------------------------


def hsds_id(kind: str, key: str) -> str:
    """The HSDS id of an entry's row of `kind` (UUID 5 of the key): stable across exports, so
    that a consumer can update rather than duplicate, and an import can find the entry."""
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{key}"))


def hsds_tables(services: Iterable[Service], *, language: str = "fr") -> dict[str, list[dict]]:
    """The directory as HSDS 3 tables (table name → rows), one organization per service.

    Only what the directory knows is written: no location without an address, no phone row
    without a number.
    """
    tables: dict[str, list[dict]] = {name: [] for name in HSDS_TABLES}
    for service in services:
        organization_id = hsds_id("organization", service.key)
        service_id = hsds_id("service", service.key)
        name = service.name_in(language)
        alternate = " / ".join(value for value in service.names.values() if value != name)
        description = service.description_in(language)
        tables["organization"].append(
            {
                "id": organization_id,
                "name": name,
                "description": description or name,
                "email": service.email,
                "website": service.website,
            }
        )
        tables["service"].append(
            {
                "id": service_id,
                "organization_id": organization_id,
                "name": name,
                "alternate_name": alternate,
                "description": f"{description} Source: {service.source}".strip(),
                "url": service.website,
                "email": service.email,
                "status": "active" if service.active else "inactive",
                "source": service.source,
                "source_url": service.source_url,
                "licence": service.licence,
            }
        )
        if service.nationwide:
            areas = [(NATIONWIDE_AREA, "")]
        else:
            areas = [
                (f"{municipality.name_fr} / {municipality.name_nl}", municipality.pk)
                for municipality in sorted(service.coverage.all(), key=lambda place: place.pk)
            ]
        for area_name, refnis in areas:
            tables["service_area"].append(
                {
                    "id": hsds_id("service_area", f"{service.key}:{refnis or 'BE'}"),
                    "service_id": service_id,
                    "name": area_name,
                    "description": f"REFNIS {refnis}" if refnis else "",
                    "extent_type": "text",
                }
            )
        for code in service.languages:
            tables["language"].append(
                {
                    "id": hsds_id("language", f"{service.key}:{code}"),
                    "service_id": service_id,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "code": code,
                }
            )
        if service.phone:
            tables["phone"].append(
                {
                    "id": hsds_id("phone", service.key),
                    "service_id": service_id,
                    "number": service.phone,
                }
            )
        if service.address:
            location_id = hsds_id("location", service.key)
            tables["location"].append(
                {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": organization_id,
                    "name": name,
                    "description": service.address,
                }
            )
            tables["service_at_location"].append(
                {
                    "id": hsds_id("service_at_location", service.key),
                    "service_id": service_id,
                    "location_id": location_id,
                }
            )
    return tables


def hsds_datapackage() -> dict[str, Any]:
    """The export's datapackage.json: the specification's own resource descriptions, for the
    tables and columns written (a Frictionless tabular data package), plus Tandem's source
    columns on services.csv."""
    spec = specification_datapackage()
    resources = []
    for resource in spec["resources"]:
        columns = HSDS_TABLES.get(resource["name"])
        if columns is None:
            continue
        fields = {spec_field["name"]: spec_field for spec_field in resource["schema"]["fields"]}
        written = []
        for column in columns:
            if column in fields:
                written.append(fields[column])
            else:
                written.append(
                    {
                        "name": column,
                        "type": "string",
                        "description": "Tandem: where this row's facts come from, and under "
                        "which licence (docs/SERVICES.md).",
                    }
                )
        schema = {**resource["schema"], "fields": written}
        # Keys to tables this export does not write would make the package inconsistent.
        schema.pop("foreignKeys", None)
        resources.append({**resource, "schema": schema})
    return {
        "name": "tandem_service_directory",
        "title": "Tandem service directory",
        "profile": "tabular-data-package",
        "hsds_version": spec["version"],
        "resources": resources,
    }


def hsds_csv_files(tables: dict[str, list[dict]]) -> dict[str, str]:
    """HSDS tables → {"organizations.csv": text, ..., "datapackage.json": text}, each table in
    the file the specification names, with the columns of HSDS_TABLES in that order."""
    files = {}
    names = table_files()
    for table, columns in HSDS_TABLES.items():
        output = io.StringIO()
        writer = csv.DictWriter(output, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(tables.get(table, []))
        files[names[table]] = output.getvalue()
    files["datapackage.json"] = json.dumps(hsds_datapackage(), indent=2, ensure_ascii=False)
    return files


def hsds_zip(tables: dict[str, list[dict]]) -> bytes:
    """The HSDS data package (CSV files and datapackage.json) in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in hsds_csv_files(tables).items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- Import ------------------------------------------------------------------------------------


@dataclass
class HsdsServiceRecord:
    """One service of a package, with what Tandem keeps of it (directory.services_import_hsds).

    Contact fields hold exactly what the package says (empty when it says nothing): the row's
    source replaces the entry's contact details, it is never mixed with another source's."""

    row: int
    hsds_id: str
    name: str
    description: str
    active: bool
    source: str
    source_url: str
    licence: str
    contacts: dict[str, str]
    languages: list[str]
    coverage: list[str]
    nationwide: bool
    problems: list[str] = field(default_factory=list)

    def label(self) -> str:
        """How an error names the row: file, row number, id and name."""
        return f'{table_files()["service"]} row {self.row} (id {self.hsds_id}, "{self.name}")'


def read_hsds_archive(data: bytes) -> dict[str, bytes]:
    """The files of a zipped data package ({"services.csv": bytes, ...}), at the archive's
    top level or in one folder; DirectoryCsvError for what is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if sum(info.file_size for info in members) > MAX_ARCHIVE_BYTES:
                raise DirectoryCsvError(["the package is larger than 20 MB unpacked"])
            return {Path(info.filename).name: archive.read(info) for info in members}
    except (zipfile.BadZipFile, OSError) as error:
        raise DirectoryCsvError(
            ["the file is not a zip archive of an HSDS data package"]
        ) from error


def read_hsds_folder(path: Path) -> dict[str, bytes]:
    """The files of a data package in a folder."""
    return {child.name: child.read_bytes() for child in path.iterdir() if child.is_file()}


def _package_tables(files: dict[str, bytes]) -> tuple[dict[str, list[dict]], dict[str, Any]]:
    names = table_files()
    if names["service"] not in files:
        raise DirectoryCsvError(
            [
                f"the package has no {names['service']} (HSDS 3 tabular files: "
                f"{', '.join(names[table] for table in IMPORTED_TABLES)})"
            ]
        )
    package: dict[str, Any] = {}
    if "datapackage.json" in files:
        try:
            package = json.loads(files["datapackage.json"].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise DirectoryCsvError(["datapackage.json is not JSON"]) from error
        if not isinstance(package, dict):
            raise DirectoryCsvError(["datapackage.json is not a JSON object"])
    tables: dict[str, list[dict]] = {}
    total = 0
    for table in IMPORTED_TABLES:
        raw = files.get(names[table])
        if raw is None:
            continue
        try:
            text = raw.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise DirectoryCsvError([f"{names[table]} is not UTF-8 text"]) from error
        rows = [
            {name: value for name, value in row.items() if name is not None}
            for row in csv.DictReader(io.StringIO(text))
        ]
        total += len(rows)
        if total > MAX_PACKAGE_ROWS * 10:
            raise DirectoryCsvError(["the package has too many rows"])
        tables[table] = rows
    if len(tables["service"]) > MAX_PACKAGE_ROWS:
        raise DirectoryCsvError([f"more than {MAX_PACKAGE_ROWS} services"])
    return tables, package


def _declared(package: dict[str, Any], key: str) -> list[dict]:
    """`sources` or `licenses` of the services resource, else of the package."""
    for resource in package.get("resources") or []:
        if isinstance(resource, dict) and resource.get("name") == "service" and resource.get(key):
            return [item for item in resource[key] if isinstance(item, dict)]
    return [item for item in package.get(key) or [] if isinstance(item, dict)]


def _grouped(rows: Iterable[dict], column: str) -> dict[str, list[dict]]:
    """Rows by the value of `column` (rows without one left out), in file order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row.get(column):
            groups.setdefault(row[column], []).append(row)
    return groups


def _address_text(address: dict[str, str]) -> str:
    street = ", ".join(
        part for part in (address.get("address_1"), address.get("address_2")) if part
    )
    town = " ".join(part for part in (address.get("postal_code"), address.get("city")) if part)
    return ", ".join(part for part in (street, town) if part)


def parse_hsds_package(
    files: dict[str, bytes], *, known_refnis: set[str]
) -> list[HsdsServiceRecord]:
    """An HSDS 3.0 tabular data package → one record per service row.

    All or nothing: the package must pass the official tabular schema, and every service row
    needs a source and a licence (SOURCE_COLUMNS, or the package's `sources` and `licenses`);
    DirectoryCsvError lists every problem, each naming its file and row.
    """
    tables, package = _package_tables(files)
    errors = hsds_validation_errors(tables)
    if errors:
        raise DirectoryCsvError(errors)
    declared_sources = _declared(package, "sources")
    declared_licences = _declared(package, "licenses")
    package_source = "; ".join(
        str(item.get("title") or item.get("path") or "") for item in declared_sources
    ).strip("; ")
    package_source_url = next(
        (
            str(item["path"])
            for item in declared_sources
            if str(item.get("path", "")).startswith("http")
        ),
        "",
    )
    package_licence = "; ".join(
        str(item.get("name") or item.get("title") or item.get("path") or "")
        for item in declared_licences
    ).strip("; ")

    organizations = {row["id"]: row for row in tables.get("organization", [])}
    physical_locations = {
        row["id"] for row in tables.get("location", []) if row.get("location_type") == "physical"
    }
    # A phone of a contact (a named person) is not the service's: left out.
    phones = [row for row in tables.get("phone", []) if not row.get("contact_id")]
    phones_of_service = _grouped(phones, "service_id")
    phones_of_organization = _grouped(
        (row for row in phones if not row.get("service_id")), "organization_id"
    )
    addresses_of_location = _grouped(
        (row for row in tables.get("address", []) if row.get("address_type") == "physical"),
        "location_id",
    )
    locations_of_service = _grouped(tables.get("service_at_location", []), "service_id")
    areas_of_service = _grouped(tables.get("service_area", []), "service_id")
    languages_of_service = _grouped(tables.get("language", []), "service_id")
    email_ok, url_ok = EmailValidator(), URLValidator(schemes=["http", "https"])
    records = []
    seen: set[str] = set()
    for index, row in enumerate(tables["service"]):
        service_id = row["id"]
        organization = organizations.get(row.get("organization_id") or "", {})
        service_phones = phones_of_service.get(service_id) or phones_of_organization.get(
            organization.get("id", ""), []
        )
        phone = service_phones[0] if service_phones else None
        address = next(
            (
                _address_text(addresses_of_location[link["location_id"]][0])
                for link in locations_of_service.get(service_id, [])
                if link.get("location_id") in physical_locations
                and link["location_id"] in addresses_of_location
            ),
            "",
        )
        areas = areas_of_service.get(service_id, [])
        coverage = sorted(
            {
                match.group(1)
                for area in areas
                if (match := REFNIS_IN_AREA.search(area.get("description") or ""))
            }
        )
        record = HsdsServiceRecord(
            row=index + 2,
            hsds_id=service_id,
            name=(row.get("name") or "").strip(),
            description=(row.get("description") or "").strip(),
            active=row.get("status") == "active",
            source=(row.get("source") or "").strip() or package_source,
            source_url=(row.get("source_url") or "").strip() or package_source_url,
            licence=(row.get("licence") or "").strip() or package_licence,
            contacts={
                "address": address,
                "phone": (phone or {}).get("number", "").strip(),
                "email": (row.get("email") or organization.get("email") or "").strip(),
                "website": (row.get("url") or organization.get("website") or "").strip(),
            },
            languages=sorted(
                {
                    language["code"]
                    for language in languages_of_service.get(service_id, [])
                    if language.get("code") in LANGUAGE_NAMES
                }
            ),
            coverage=coverage,
            nationwide=any(
                area.get("name") == NATIONWIDE_AREA
                and not REFNIS_IN_AREA.search(area.get("description") or "")
                for area in areas
            ),
        )
        if service_id in seen:
            record.problems.append("the id appears twice")
        seen.add(service_id)
        if not record.source:
            record.problems.append(
                "no source: give a `source` column or the package's `sources` "
                "(where this row's facts come from)"
            )
        if not record.licence:
            record.problems.append(
                "no licence: give a `licence` column or the package's `licenses` "
                "(under which terms the data may be reused)"
            )
        unknown = [code for code in record.coverage if code not in known_refnis]
        if unknown:
            record.problems.append(
                f"service area with unknown REFNIS codes: {' '.join(unknown[:5])}"
            )
        # The directory's column sizes (directory.models.Service).
        for label, value, limit in (
            ("name", record.name, 200),
            ("address", record.contacts["address"], 300),
            ("phone number", record.contacts["phone"], 40),
            ("email", record.contacts["email"], 254),
            ("url", record.contacts["website"], 200),
            ("source_url", record.source_url, 200),
            ("licence", record.licence, 200),
        ):
            if len(value) > limit:
                record.problems.append(f"the {label} is longer than {limit} characters")
        for column, value in (
            ("email", record.contacts["email"]),
            ("url", record.contacts["website"]),
            ("source_url", record.source_url),
        ):
            if not value:
                continue
            try:
                (email_ok if column == "email" else url_ok)(value)
            except ValidationError:
                record.problems.append(
                    f"{column} is not a valid {'email' if column == 'email' else 'http(s)'} address"
                )
        records.append(record)
    problems = [f"{record.label()}: {problem}" for record in records for problem in record.problems]
    if problems:
        raise DirectoryCsvError(problems)
    return records
