"""Sample Open Referral HSDS 3 data packages for the import tests.

Plainly fictional test fixtures: keys and ids made from "test-…" names, names saying
"(fictional)", contacts at example.org and phone numbers that are no phone numbers
("TEST-0001"). Only REFNIS codes are real (Namur, 92094), for the coverage.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

from directory.hsds import table_files

TEST_NAMESPACE = uuid.UUID("00000000-0000-4000-8000-000000000000")


def fictional_id(name: str) -> str:
    """A stable UUID for a fictional row."""
    return str(uuid.uuid5(TEST_NAMESPACE, name))


def fictional_service(
    name: str,
    *,
    source: str = "Test fixture (fictional)",
    licence: str = "CC0-1.0 (test fixture)",
    status: str = "active",
    email: str = "",
    phone: str = "",
    refnis: str = "",
    languages: tuple[str, ...] = (),
) -> dict:
    """One fictional service, with the rows of its other tables."""
    return {
        "name": name,
        "source": source,
        "licence": licence,
        "status": status,
        "email": email,
        "phone": phone,
        "refnis": refnis,
        "languages": languages,
    }


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode("utf-8")


def package_files(
    services: list[dict], *, datapackage: dict | None = None, source_columns: bool = True
) -> dict[str, bytes]:
    """The package's files: services.csv (with Tandem's source columns unless told not to),
    organizations.csv, phones.csv, service_areas.csv, languages.csv, and datapackage.json if
    given."""
    names = table_files()
    organizations, rows, phones, areas, languages = [], [], [], [], []
    for service in services:
        key = f"test-{service['name']}"
        organization_id = fictional_id(f"organization:{key}")
        service_id = fictional_id(f"service:{key}")
        organizations.append(
            {"id": organization_id, "name": service["name"], "description": "Fictional."}
        )
        row = {
            "id": service_id,
            "organization_id": organization_id,
            "name": service["name"],
            "description": "A fictional service for the tests.",
            "email": service["email"],
            "url": "",
            "status": service["status"],
        }
        if source_columns:
            row.update(source=service["source"], source_url="", licence=service["licence"])
        rows.append(row)
        if service["phone"]:
            phones.append(
                {
                    "id": fictional_id(f"phone:{key}"),
                    "service_id": service_id,
                    "number": service["phone"],
                }
            )
        if service["refnis"]:
            areas.append(
                {
                    "id": fictional_id(f"area:{key}"),
                    "service_id": service_id,
                    "name": "Test area",
                    "description": f"REFNIS {service['refnis']}",
                }
            )
        for code in service["languages"]:
            languages.append(
                {
                    "id": fictional_id(f"language:{key}:{code}"),
                    "service_id": service_id,
                    "code": code,
                }
            )
    service_columns = ["id", "organization_id", "name", "description", "email", "url", "status"]
    if source_columns:
        service_columns += ["source", "source_url", "licence"]
    files = {
        names["organization"]: _csv(organizations, ["id", "name", "description"]),
        names["service"]: _csv(rows, service_columns),
        names["phone"]: _csv(phones, ["id", "service_id", "number"]),
        names["service_area"]: _csv(areas, ["id", "service_id", "name", "description"]),
        names["language"]: _csv(languages, ["id", "service_id", "code"]),
    }
    if datapackage is not None:
        files["datapackage.json"] = json.dumps(datapackage).encode("utf-8")
    return files


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
