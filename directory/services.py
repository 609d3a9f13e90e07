"""Writes for the directory of services: the loader's own entries, the imports (Tandem's CSV,
Open Referral HSDS 3 data packages) and the coordinators' corrections of contact details."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.models import Role
from accounts.services import user_invite
from core.api_errors import DomainError
from directory.csv_files import DirectoryCsvError, ServiceRow
from directory.entries import PlaceRecord, directory_entries
from directory.hsds import HsdsServiceRecord, hsds_id
from directory.models import (
    CONTACT_FIELDS,
    ContactChangeVia,
    Service,
    ServiceContactChange,
    ServiceKind,
    ServiceMembership,
)
from geo.models import Municipality

NAME_LANGUAGES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class DirectoryLoadResult:
    loaded: int
    created: int
    deactivated: int


def service_directory_load() -> DirectoryLoadResult:
    """Write the directory's own entries (directory.entries) for the current municipalities.

    Idempotent, in one transaction. Only what the loader owns is written: kind, names,
    descriptions, where the entry serves and its languages. Contact details and sources that a
    coordinator imported later are left as they are; a new entry gets the loader's source.
    CPAS entries of municipalities that no longer exist are deactivated, not deleted, because
    referrals may point to them.
    """
    places = [
        PlaceRecord(
            refnis=municipality.refnis,
            name_fr=municipality.name_fr,
            name_nl=municipality.name_nl,
            name_de=municipality.name_de,
            region=municipality.region,
        )
        for municipality in Municipality.objects.order_by("refnis")
    ]
    entries = directory_entries(places)
    wanted_keys = {entry.key for entry in entries}
    with transaction.atomic():
        existing = set(Service.objects.filter(key__in=wanted_keys).values_list("key", flat=True))
        Service.objects.bulk_create(
            [
                Service(
                    key=entry.key,
                    kind=entry.kind,
                    municipality_id=entry.municipality,
                    nationwide=entry.nationwide,
                    languages=entry.languages,
                    source=entry.source,
                    source_url=entry.source_url,
                    active=True,
                    **{f"name_{code}": entry.names.get(code, "") for code in NAME_LANGUAGES},
                    **{
                        f"description_{code}": entry.descriptions.get(code, "")
                        for code in NAME_LANGUAGES
                    },
                )
                for entry in entries
            ],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[
                "kind",
                "municipality",
                "nationwide",
                "languages",
                "active",
                *(f"name_{code}" for code in NAME_LANGUAGES),
                *(f"description_{code}" for code in NAME_LANGUAGES),
            ],
        )
        ids = dict(Service.objects.filter(key__in=wanted_keys).values_list("key", "id"))
        link = Service.coverage.through
        link.objects.filter(service_id__in=ids.values()).delete()
        link.objects.bulk_create(
            [
                link(service_id=ids[entry.key], municipality_id=refnis)
                for entry in entries
                for refnis in sorted(entry.coverage)
            ]
        )
        # A CPAS whose municipality merged away: keep for history, stop offering it.
        deactivated = (
            Service.objects.filter(kind=ServiceKind.CPAS, key__startswith="cpas-", active=True)
            .exclude(key__in=wanted_keys)
            .update(active=False)
        )
    return DirectoryLoadResult(
        loaded=len(entries), created=len(wanted_keys - existing), deactivated=deactivated
    )


IMPORT_FIELDS = [
    "kind",
    "municipality",
    "nationwide",
    "address",
    "phone",
    "email",
    "website",
    "languages",
    "source",
    "source_url",
    "active",
    *(f"name_{code}" for code in NAME_LANGUAGES),
    *(f"description_{code}" for code in NAME_LANGUAGES),
]


def services_import(*, rows: list[ServiceRow], dry_run: bool = False) -> dict[str, int]:
    """Create or update services from validated CSV rows (directory.csv_files), by key.

    All or nothing, in one transaction. A row that would give a municipality a second active
    CPAS is refused by the database constraint, reported as a DirectoryCsvError. A dry run
    does the same and rolls it back: the counts (and any refusal) without a write.
    """
    keys = [row.key for row in rows]
    try:
        with transaction.atomic():
            existing = set(Service.objects.filter(key__in=keys).values_list("key", flat=True))
            Service.objects.bulk_create(
                [
                    Service(key=row.key, municipality_id=row.municipality, **row.fields)
                    for row in rows
                ],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=IMPORT_FIELDS,
            )
            ids = dict(Service.objects.filter(key__in=keys).values_list("key", "id"))
            link = Service.coverage.through
            link.objects.filter(service_id__in=ids.values()).delete()
            link.objects.bulk_create(
                [
                    link(service_id=ids[row.key], municipality_id=refnis)
                    for row in rows
                    for refnis in sorted(set(row.coverage))
                ]
            )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        raise DirectoryCsvError(
            ["a municipality would get a second active CPAS entry (one per municipality)"]
        ) from error
    return {"created": len(set(keys) - existing), "updated": len(set(keys) & existing)}


# --- Open Referral HSDS 3 import ---------------------------------------------------------------


class ImportAction:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DEACTIVATED = "deactivated"


@dataclass
class ImportedRow:
    """What the import does (or, in a dry run, would do) to one row's entry."""

    row: int
    hsds_id: str
    key: str
    name: str
    action: str
    changes: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class HsdsImportReport:
    dry_run: bool
    rows: list[ImportedRow]

    def counts(self) -> dict[str, int]:
        actions = [row.action for row in self.rows]
        return {
            action: actions.count(action)
            for action in (
                ImportAction.CREATED,
                ImportAction.UPDATED,
                ImportAction.UNCHANGED,
                ImportAction.DEACTIVATED,
            )
        }


# The fields an HSDS row sets on an entry that exists already. Names, descriptions, kind and
# places stay the loader's or the CSV's (HSDS has one name, in an unknown language); the row's
# source replaces the contact details, with its licence; the languages it lists, if any.
_HSDS_OWNED = ("active", "source", "source_url", "licence", *CONTACT_FIELDS)


def _hsds_entry_key(record: HsdsServiceRecord, known: dict[str, str]) -> str:
    return known.get(record.hsds_id) or f"hsds-{record.hsds_id}"


def services_import_hsds(
    *, records: list[HsdsServiceRecord], language: str, actor=None, dry_run: bool = False
) -> HsdsImportReport:
    """Create or update entries from an HSDS package's services (directory.hsds).

    An entry is found by the HSDS id Tandem's export gives it (UUID 5 of its key) or by the
    key `hsds-<id>` of an earlier import; otherwise a new entry (kind `other`, the name and
    description in `language`, serving the REFNIS codes of its service areas) is created.
    Each row reports `created`, `updated`, `unchanged` or `deactivated` (its status is no
    longer active) with the fields that change. Contact changes go to the entry's history
    with the row's source; every imported entry counts as verified today.

    All or nothing in one transaction; a dry run computes the same report and writes nothing.
    """
    today = timezone.localdate()
    known = {hsds_id("service", key): key for key in Service.objects.values_list("key", flat=True)}
    keys = [_hsds_entry_key(record, known) for record in records]
    existing = {
        service.key: service
        for service in Service.objects.filter(key__in=keys).prefetch_related("coverage")
    }
    report = HsdsImportReport(dry_run=dry_run, rows=[])
    plans = []
    for record, key in zip(records, keys, strict=True):
        wanted: dict[str, Any] = {
            "active": record.active,
            "source": record.source,
            "source_url": record.source_url,
            "licence": record.licence,
            **record.contacts,
        }
        if record.languages:
            wanted["languages"] = record.languages
        service = existing.get(key)
        if service is None:
            wanted.update(
                kind=ServiceKind.OTHER,
                nationwide=record.nationwide,
                languages=record.languages,
                **{f"name_{language}": record.name, f"description_{language}": record.description},
            )
            action = ImportAction.CREATED
            changes = {
                name: [None, value] for name, value in wanted.items() if value not in ("", [])
            }
        else:
            changes = {
                name: [getattr(service, name), value]
                for name, value in wanted.items()
                if getattr(service, name) != value
            }
            if service.contact_source and any(name in changes for name in CONTACT_FIELDS):
                wanted.update(contact_source="", contact_source_url="")
            if not changes:
                action = ImportAction.UNCHANGED
            elif service.active and not record.active:
                action = ImportAction.DEACTIVATED
            else:
                action = ImportAction.UPDATED
        report.rows.append(
            ImportedRow(
                row=record.row,
                hsds_id=record.hsds_id,
                key=key,
                name=record.name,
                action=action,
                changes=changes,
            )
        )
        plans.append((record, key, service, wanted, changes))
    if dry_run:
        return report
    try:
        with transaction.atomic():
            for record, key, service, wanted, changes in plans:
                if service is None:
                    service = Service.objects.create(key=key, verified_at=today, **wanted)
                    service.coverage.set(record.coverage)
                else:
                    for name, value in wanted.items():
                        setattr(service, name, value)
                    service.verified_at = today
                    service.save()
                contact_changes = {
                    name: change for name, change in changes.items() if name in CONTACT_FIELDS
                }
                if contact_changes:
                    ServiceContactChange.objects.create(
                        service=service,
                        changed_by=actor,
                        via=ContactChangeVia.IMPORT,
                        changes=contact_changes,
                        source=record.source,
                        source_url=record.source_url,
                    )
    except IntegrityError as error:
        raise DirectoryCsvError(
            ["a municipality would get a second active CPAS entry (one per municipality)"]
        ) from error
    return report


# --- Coordinators' corrections -----------------------------------------------------------------


_CONTACT_LIMITS = {"address": 300, "phone": 40, "email": 254, "website": 200}


def _check_contact_values(changes: dict[str, str], *, source_url: str) -> None:
    for name, value in changes.items():
        value = value.strip()
        if len(value) > _CONTACT_LIMITS[name]:
            raise DomainError("invalid_contact", _("%(field)s is too long.") % {"field": name})
        checks = {"email": EmailValidator(), "website": URLValidator(schemes=["http", "https"])}
        if value and name in checks:
            try:
                checks[name](value)
            except DjangoValidationError as error:
                raise DomainError(
                    "invalid_contact", _("%(field)s is not valid.") % {"field": name}
                ) from error
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except DjangoValidationError as error:
            raise DomainError(
                "invalid_contact", _("The source address is not an http(s) address.")
            ) from error


def service_contact_correct(
    *,
    service: Service,
    actor,
    source: str,
    source_url: str = "",
    changes: dict[str, str],
    today: date | None = None,
) -> ServiceContactChange:
    """A coordinator adds, corrects or confirms an entry's contact details, from `source`.

    `changes` maps contact fields (address, phone, email, website) to their new value ("" to
    remove one); fields left out stay as they are. Without a source → DomainError: a contact
    detail is only as good as where it comes from. The entry is verified today, its
    `contact_source` becomes this source when something changed, and the correction (old and
    new values, or {} for a confirmation) is written to its history.
    """
    source = source.strip()
    if not source:
        raise DomainError("source_required", _("Say where these contact details come from."))
    unknown = sorted(set(changes) - set(CONTACT_FIELDS))
    if unknown:
        raise DomainError(
            "unknown_field", _("Not a contact field: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    _check_contact_values(changes, source_url=source_url)
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        differences = {
            name: [getattr(service, name), value.strip()]
            for name, value in changes.items()
            if getattr(service, name) != value.strip()
        }
        for name, (_old, new) in differences.items():
            setattr(service, name, new)
        if differences:
            service.contact_source = source
            service.contact_source_url = source_url
        service.verified_at = today or timezone.localdate()
        service.save()
        return ServiceContactChange.objects.create(
            service=service,
            changed_by=actor,
            via=ContactChangeVia.CORRECTION,
            changes=differences,
            source=source,
            source_url=source_url,
        )


@transaction.atomic
def service_member_invite(
    *, coordinator, service: Service, email: str, display_name: str, language: str, link_base: str
) -> ServiceMembership:
    """A coordinator invites a partner service's worker: an account with the role
    `service_worker` and no password yet (accounts.services.user_invite e-mails the link that
    sets it and proves the address), attached to `service`.

    Inviting the same address again for the same service re-sends the link; an address that
    already belongs to an account in use, or to another service's worker, is refused (400
    {email: [...]}). An inactive (no longer listed) service takes no new members (400).
    """
    if not coordinator.is_coordinator:
        raise DomainError(
            "forbidden", _("Only coordinators invite service workers."), status_code=403
        )
    if not service.active:
        raise ValidationError({"service": [_("This service is no longer listed.")]})
    try:
        user = user_invite(
            email=email,
            display_name=display_name,
            language=language,
            role=Role.SERVICE_WORKER,
            link_base=link_base,
        )
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
    membership = ServiceMembership.objects.filter(user=user).first()
    if membership is not None and membership.service_id != service.pk:
        raise ValidationError(
            {"email": [_("This person already works for another service on Tandem.")]}
        )
    if membership is None:
        membership = ServiceMembership.objects.create(
            user=user, service=service, invited_by=coordinator
        )
    return membership
