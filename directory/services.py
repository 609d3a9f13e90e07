"""Writes for the directory of services: the loader's own entries and the CSV import."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.models import Role
from accounts.services import user_invite
from core.api_errors import DomainError
from directory.csv_files import DirectoryCsvError, ServiceRow
from directory.entries import PlaceRecord, directory_entries
from directory.models import Service, ServiceKind, ServiceMembership
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


def services_import(*, rows: list[ServiceRow]) -> dict[str, int]:
    """Create or update services from validated CSV rows (directory.csv_files), by key.

    All or nothing, in one transaction. A row that would give a municipality a second active
    CPAS is refused by the database constraint, reported as a DirectoryCsvError.
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
    except IntegrityError as error:
        raise DirectoryCsvError(
            ["a municipality would get a second active CPAS entry (one per municipality)"]
        ) from error
    return {"created": len(set(keys) - existing), "updated": len(set(keys) & existing)}


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
