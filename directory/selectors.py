"""Reads of the service directory."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, F, Q, Value, When

from core.fast_rows import Rows, fetch_rows, rows_data
from directory.models import Service, ServiceKind, ServiceMembership, verification_cutoff
from directory.serializers import ServiceOutputSerializer
from geo.models import Municipality, Postcode
from geo.services import POSTCODE_PATTERN

# The directory's selection for a postcode in one query (why: services_for_postcode_data),
# each column aliased to its ServiceOutputSerializer field (core.fast_rows). The groups, in
# this order: the CPAS/OCMW/ÖSHZ of the postcode's municipalities (1040, 1050 and 1804 belong
# to two), the primary municipality's first, then by key in code-point order; the other
# entries covering one of those municipalities (CASD, home help, associations); the other
# nationwide entries (the person's own mutualité); the last two groups by (kind, key). A known
# postcode without services gives one row of nulls (the LEFT JOIN); an unknown one, no row.
_SERVICES_FOR_POSTCODE_SQL = """
WITH place AS (
    SELECT municipality_id FROM {postcode} WHERE code = %(code)s
), refnis AS (
    SELECT municipality_id FROM {postcode_municipalities} WHERE postcode_id = %(code)s
), covering AS (
    SELECT service_id FROM {coverage}
    WHERE municipality_id IN (SELECT municipality_id FROM refnis)
)
SELECT found.id AS "id", found.key AS "key", found.kind AS "kind",
       json_strip_nulls(json_build_object(
           'fr', NULLIF(found.name_fr, ''), 'nl', NULLIF(found.name_nl, ''),
           'de', NULLIF(found.name_de, ''), 'en', NULLIF(found.name_en, '')
       )) AS "names",
       CASE %(language)s WHEN 'fr' THEN found.description_fr WHEN 'nl' THEN found.description_nl
            WHEN 'de' THEN found.description_de WHEN 'en' THEN found.description_en
       END AS "description",
       municipality.refnis AS "municipality.refnis",
       municipality.name_fr AS "municipality.name.fr",
       municipality.name_nl AS "municipality.name.nl",
       municipality.name_de AS "municipality.name.de",
       municipality.region AS "municipality.region",
       found.address AS "address", found.phone AS "phone", found.email AS "email",
       found.website AS "website", found.languages AS "languages", found.source AS "source",
       found.source_url AS "source_url", found.contact_source AS "contact_source",
       found.contact_source_url AS "contact_source_url"
FROM place
LEFT JOIN LATERAL (
    SELECT 0 AS grp, * FROM {service}
    WHERE active AND kind = %(cpas)s AND municipality_id IN (SELECT municipality_id FROM refnis)
    UNION ALL
    SELECT 1 AS grp, * FROM {service}
    WHERE active AND kind <> %(cpas)s AND id IN (SELECT service_id FROM covering)
    UNION ALL
    SELECT 2 AS grp, * FROM {service}
    WHERE active AND kind <> %(cpas)s AND nationwide
      AND id NOT IN (SELECT service_id FROM covering)
) found ON TRUE
LEFT JOIN {municipality} municipality ON municipality.refnis = found.municipality_id
ORDER BY found.grp,
         CASE WHEN found.grp = 0
              THEN found.municipality_id IS DISTINCT FROM place.municipality_id END,
         CASE WHEN found.grp = 0 THEN found.key COLLATE "C" END,
         found.kind, found.key
"""


def _services_for_postcode_rows(postcode: str | None, *, language: str) -> Rows | None:
    """The rows of _SERVICES_FOR_POSTCODE_SQL (a known postcode's row of nulls left out), or
    None when `postcode` is not a current postcode (malformed ones included)."""
    if not isinstance(postcode, str) or not POSTCODE_PATTERN.fullmatch(postcode):
        return None
    sql = _SERVICES_FOR_POSTCODE_SQL.format(
        postcode=Postcode._meta.db_table,
        postcode_municipalities=Postcode.municipalities.through._meta.db_table,
        service=Service._meta.db_table,
        coverage=Service.coverage.through._meta.db_table,
        municipality=Municipality._meta.db_table,
    )
    rows = fetch_rows(sql, {"code": postcode, "cpas": ServiceKind.CPAS, "language": language})
    if not rows:
        return None
    found = [row for row in rows.values if row[0] is not None]  # "id" comes first
    return Rows(rows.names, found)


def services_for_postcode_data(postcode: str | None, *, language: str) -> list[dict] | None:
    """The active services for a place as ServiceOutputSerializer writes them for a reader
    of `language`, in the directory's order; None when `postcode` is not a current postcode.

    First the CPAS/OCMW/ÖSHZ of the postcode's municipality or municipalities, the primary
    municipality first; then the entries serving those municipalities (CASD, home help,
    associations); then those serving all of Belgium (the person's own mutualité).

    `GET /api/services/?postcode=` uses it, about twelve times a second in the load mix
    (SESSION4). Measured in-process on tandem_bench_load (CPU per request, anonymous, postcode
    1000): five ORM queries with model instances and the serializer, 5-6 ms; this one query
    written by core.fast_rows, 0.7-1.0 ms. A per-process cache was measured at 0.36 ms but would
    need an invalidation on every write path (load_services, the CSV import, the admin, bulk
    updates): not worth it at that size. tests/test_fast_paths.py holds the bytes to the
    serializer's on the model instances.
    """
    rows = _services_for_postcode_rows(postcode, language=language)
    if rows is None:
        return None
    return rows_data(ServiceOutputSerializer, rows, {"language": language})


def services_for_postcode_list(postcode: str | None) -> list[Service] | None:
    """The same services as services_for_postcode_data, as model instances (for the pages)."""
    rows = _services_for_postcode_rows(postcode, language="fr")
    if rows is None:
        return None
    ids = rows.column("id")
    by_id = Service.objects.select_related("municipality").in_bulk(ids)
    return [by_id[service_id] for service_id in ids]


def service_data(service: Service, *, language: str) -> dict[str, Any]:
    """One service as the API writes it for a reader of `language`."""
    return ServiceOutputSerializer(service, context={"language": language}).data


def service_get(*, service_id: int) -> Service | None:
    return Service.objects.filter(pk=service_id).first()


def services_for_export():
    """Every service, for the CSV exports."""
    return Service.objects.select_related("municipality").prefetch_related("coverage")


def known_municipality_codes() -> set[str]:
    """The REFNIS codes an imported row may name."""
    return set(Municipality.objects.values_list("refnis", flat=True))


def services_needing_verification(*, today: date):
    """Active entries never verified, or not for 12 months (models.verification_cutoff):
    first those that show contact details (people act on them), then the others; in each
    group the longest unverified first (never verified before all)."""
    shows_contacts = ~Q(address="", phone="", email="", website="")
    return (
        Service.objects.filter(active=True)
        .filter(Q(verified_at__isnull=True) | Q(verified_at__lte=verification_cutoff(today)))
        .select_related("municipality")
        .annotate(
            shows_contacts=Case(
                When(shows_contacts, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-shows_contacts", F("verified_at").asc(nulls_first=True), "kind", "key")
    )


def service_contact_history(*, service: Service):
    """Who changed or confirmed the entry's contact details, newest first."""
    return service.contact_changes.select_related("changed_by")


def service_of_worker(*, user) -> Service | None:
    """The service whose referrals `user` receives (None: not a partner service's worker).

    Both the role and the membership are needed: taking the role away ends the access even
    if the membership row stays."""
    if user is None or not user.is_authenticated or not user.is_service_worker:
        return None
    membership = ServiceMembership.objects.select_related("service").filter(user_id=user.pk).first()
    return membership.service if membership is not None else None


def service_members(*, service: Service):
    """The workers of `service`, oldest invitation first."""
    return ServiceMembership.objects.filter(service=service).select_related("user")
