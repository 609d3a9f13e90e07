"""The service directory as CSV: Tandem's own columns (import and export); the Open Referral
HSDS 3 tables are directory.hsds's. Columns and choices are documented in docs/SERVICES.md.

Parsing is strict and all-or-nothing: a file with one bad row is refused with the row numbers
and reasons, so that a typo never half-updates the directory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from accounts.models import Language
from directory.models import Service, ServiceKind

COLUMNS = [
    "key",
    "kind",
    "name_fr",
    "name_nl",
    "name_de",
    "name_en",
    "description_fr",
    "description_nl",
    "description_de",
    "description_en",
    "municipality",
    "coverage",
    "nationwide",
    "address",
    "phone",
    "email",
    "website",
    "languages",
    "source",
    "source_url",
    "active",
]
TEXT_COLUMNS = [
    "name_fr",
    "name_nl",
    "name_de",
    "name_en",
    "description_fr",
    "description_nl",
    "description_de",
    "description_en",
    "address",
    "phone",
]
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no", ""}
MAX_ROWS = 5000


class DirectoryCsvError(ValueError):
    """The file cannot be imported; `errors` lists "row N: what is wrong"."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class ServiceRow:
    """One validated row, ready for directory.services.services_import."""

    key: str
    fields: dict[str, Any]
    municipality: str | None
    coverage: list[str]


def _bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_services_csv(text: str, *, known_refnis: set[str]) -> list[ServiceRow]:
    """Rows of Tandem's service CSV → validated rows; DirectoryCsvError if any row is wrong."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [column for column in ("key", "kind", "source") if column not in header]
    if missing:
        raise DirectoryCsvError([f"missing columns: {', '.join(missing)}"])
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise DirectoryCsvError([f"unknown columns: {', '.join(unknown)}"])

    errors: list[str] = []
    rows: list[ServiceRow] = []
    seen: set[str] = set()
    email_ok, url_ok = EmailValidator(), URLValidator(schemes=["http", "https"])
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        if number > MAX_ROWS + 1:
            errors.append(f"more than {MAX_ROWS} rows")
            break
        value = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        problems = []
        key = value["key"]
        if not key or not all(char.isalnum() or char in "-_" for char in key) or len(key) > 60:
            problems.append("key must be 1-60 letters, digits, - or _")
        elif key in seen:
            problems.append(f"key {key} appears twice")
        seen.add(key)
        if value["kind"] not in ServiceKind.values:
            problems.append(f"kind must be one of {', '.join(ServiceKind.values)}")
        if not value["source"]:
            problems.append("source is required: say where the entry comes from")
        if value["email"]:
            try:
                email_ok(value["email"])
            except ValidationError:
                problems.append("email is not an email address")
        for column in ("website", "source_url"):
            if value[column]:
                try:
                    url_ok(value[column])
                except ValidationError:
                    problems.append(f"{column} is not an http(s) address")
        languages = value["languages"].split()
        if any(language not in Language.values for language in languages):
            problems.append("languages must be among fr nl de en, separated by spaces")
        municipality = value["municipality"] or None
        if municipality and municipality not in known_refnis:
            problems.append(f"municipality {municipality} is not a current REFNIS code")
        coverage = value["coverage"].split()
        unknown_refnis = [code for code in coverage if code not in known_refnis]
        if unknown_refnis:
            problems.append(f"coverage has unknown REFNIS codes: {' '.join(unknown_refnis[:5])}")
        if municipality and not coverage:
            coverage = [municipality]
        nationwide = _bool(value["nationwide"])
        active = _bool(value["active"] or "true")
        if nationwide is None or active is None:
            problems.append("nationwide and active are true or false")
        if value["kind"] == ServiceKind.CPAS and not municipality:
            problems.append("a cpas entry needs its municipality")
        if not any(value[f"name_{language}"] for language in Language.values):
            problems.append("at least one name is required")
        if problems:
            errors.extend(f"row {number}: {problem}" for problem in problems)
            continue
        fields = {column: value[column] for column in TEXT_COLUMNS}
        fields.update(
            kind=value["kind"],
            email=value["email"],
            website=value["website"],
            languages=languages,
            source=value["source"],
            source_url=value["source_url"],
            nationwide=nationwide,
            active=active,
        )
        rows.append(
            ServiceRow(key=key, fields=fields, municipality=municipality, coverage=coverage)
        )
    if errors:
        raise DirectoryCsvError(errors)
    return rows


def services_to_csv(services: Iterable[Service]) -> str:
    """Tandem's service CSV (the import format), one row per service."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for service in services:
        row = {column: getattr(service, column) for column in TEXT_COLUMNS}
        row.update(
            key=service.key,
            kind=service.kind,
            municipality=service.municipality_id or "",
            coverage=" ".join(sorted(municipality.pk for municipality in service.coverage.all())),
            nationwide=str(service.nationwide).lower(),
            email=service.email,
            website=service.website,
            languages=" ".join(service.languages),
            source=service.source,
            source_url=service.source_url,
            active=str(service.active).lower(),
        )
        writer.writerow(row)
    return output.getvalue()
