"""Reads for the carers app."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone, translation

from accounts.models import Role, User
from carers.engine.rules import MONTHLY_HOURS, YEARLY_HOURS
from carers.models import (
    Assessment,
    CareDiaryEntry,
    Referral,
    ReferralSource,
    ReferralStatus,
    Service,
    ServiceKind,
)
from geo.models import Municipality, Postcode
from geo.services import POSTCODE_PATTERN


def _language() -> str:
    language = (translation.get_language() or "").split("-")[0]
    return language if language in {"fr", "nl", "de", "en"} else settings.LANGUAGE_CODE


# The directory's selection in one query (why: services_for_postcode_dicts). The postcode's
# row, then each active service of the three groups (grp 0: the CPAS of its municipalities;
# 1: other entries covering one of them; 2: the other nationwide entries), with the columns the
# API shows and its municipality's. A known postcode without services gives one row of nulls
# (LEFT JOIN); an unknown postcode gives no row. Groups 1 and 2 are in the database's order of
# (kind, key); group 0 is sorted in Python (see below).
_SERVICES_FOR_POSTCODE_SQL = """
WITH place AS (
    SELECT municipality_id FROM {postcode} WHERE code = %(code)s
), refnis AS (
    SELECT municipality_id FROM {postcode_municipalities} WHERE postcode_id = %(code)s
), covering AS (
    SELECT service_id FROM {coverage}
    WHERE municipality_id IN (SELECT municipality_id FROM refnis)
)
SELECT place.municipality_id, found.grp, found.id, found.key, found.kind,
       found.name_fr, found.name_nl, found.name_de, found.name_en,
       found.description_fr, found.description_nl, found.description_de, found.description_en,
       found.municipality_id, municipality.name_fr, municipality.name_nl, municipality.name_de,
       municipality.region, found.address, found.phone, found.email, found.website,
       found.languages, found.source, found.source_url
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
ORDER BY found.grp, found.kind, found.key
"""
# Positions in a row of that query.
_PRIMARY_MUNICIPALITY, _GROUP, _ID, _KEY = 0, 1, 2, 3
_SERVICE_MUNICIPALITY = 13
_CPAS_GROUP = 0


def _services_for_postcode_rows(postcode: str | None) -> list[tuple] | None:
    """The rows of _SERVICES_FOR_POSTCODE_SQL in the directory's order, or None when
    `postcode` is not a current postcode (malformed ones included)."""
    if not isinstance(postcode, str) or not POSTCODE_PATTERN.fullmatch(postcode):
        return None
    sql = _SERVICES_FOR_POSTCODE_SQL.format(
        postcode=Postcode._meta.db_table,
        postcode_municipalities=Postcode.municipalities.through._meta.db_table,
        service=Service._meta.db_table,
        coverage=Service.coverage.through._meta.db_table,
        municipality=Municipality._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"code": postcode, "cpas": ServiceKind.CPAS})
        rows = cursor.fetchall()
    if not rows:
        return None
    primary = rows[0][_PRIMARY_MUNICIPALITY]
    # The CPAS of the postcode's primary municipality first, then by key (Python's order of
    # strings, as the list has always been sorted).
    cpas = sorted(
        (row for row in rows if row[_GROUP] == _CPAS_GROUP),
        key=lambda row: (row[_SERVICE_MUNICIPALITY] != primary, row[_KEY]),
    )
    others = [row for row in rows if row[_GROUP] is not None and row[_GROUP] != _CPAS_GROUP]
    return cpas + others


def services_for_postcode_list(postcode: str | None) -> list[Service] | None:
    """The active services for a place, or None when `postcode` is not a current postcode.

    First the CPAS/OCMW/ÖSHZ of the postcode's municipality or municipalities (1040, 1050 and
    1804 belong to two), the primary municipality first; then the entries serving those
    municipalities (CASD, home help, associations); then those serving all of Belgium (the
    person's own mutualité).
    """
    rows = _services_for_postcode_rows(postcode)
    if rows is None:
        return None
    by_id = Service.objects.select_related("municipality").in_bulk([row[_ID] for row in rows])
    return [by_id[row[_ID]] for row in rows]


def _service_row_as_dict(row: tuple, language: str) -> dict[str, Any]:
    """service_as_dict of a row of _SERVICES_FOR_POSTCODE_SQL: the same keys and values."""
    (
        _primary,
        _group,
        service_id,
        key,
        kind,
        name_fr,
        name_nl,
        name_de,
        name_en,
        description_fr,
        description_nl,
        description_de,
        description_en,
        refnis,
        municipality_fr,
        municipality_nl,
        municipality_de,
        region,
        address,
        phone,
        email,
        website,
        languages,
        source,
        source_url,
    ) = row
    names = {
        code: name
        for code, name in (("fr", name_fr), ("nl", name_nl), ("de", name_de), ("en", name_en))
        if name
    }
    # As Service.name_in: the name in `language`, else every official name.
    name = names.get(language)
    if name is None:
        official = [names[code] for code in ("fr", "nl", "de") if code in names]
        name = " / ".join(official) or names.get("en", key)
    description = {
        "fr": description_fr,
        "nl": description_nl,
        "de": description_de,
        "en": description_en,
    }.get(language)
    return {
        "id": service_id,
        "key": key,
        "kind": kind,
        "name": name,
        "names": names,
        "description": description or None,
        "municipality": (
            {
                "refnis": refnis,
                "name": {
                    "fr": municipality_fr,
                    "nl": municipality_nl,
                    **({"de": municipality_de} if municipality_de else {}),
                },
                "region": region,
            }
            if refnis is not None
            else None
        ),
        "address": address or None,
        "phone": phone or None,
        "email": email or None,
        "website": website or None,
        "languages": list(languages),
        "source": source,
        "source_url": source_url or None,
    }


def services_for_postcode_dicts(
    postcode: str | None, *, language: str
) -> list[dict[str, Any]] | None:
    """services_for_postcode_list in service_as_dict's shape for `language`, built straight
    from the rows of one query; None when `postcode` is not a current postcode.

    `GET /api/services/?postcode=` uses it, about twelve times a second in the load mix
    (SESSION4). Measured in-process on tandem_bench_load (CPU per request, anonymous, postcode
    1000): five ORM queries with model instances and service_as_dict, 5-6 ms; this query and
    _service_row_as_dict, 0.7-1.0 ms; a per-process cache of these dicts checked against a
    version number in Redis, 0.36 ms. The cache would save a further ~0.5 ms a request (about
    6 ms of CPU a second) at the price of an invalidation on every write path (load_services,
    the CSV import, the admin, bulk updates that send no signals), stale answers wherever one
    is missed, and a Redis outage to handle: not worth it at that size, so there is none.
    tests/carers/test_service_list_query.py holds the result to the former ORM queries'.
    """
    rows = _services_for_postcode_rows(postcode)
    if rows is None:
        return None
    return [_service_row_as_dict(row, language) for row in rows]


def service_as_dict(service: Service, *, language: str | None = None) -> dict[str, Any]:
    """A service in the API's shape (CONTRACT.md): unknown contact details are null.
    _service_row_as_dict builds the same from a row: keep the two alike."""
    language = language or _language()
    municipality = service.municipality
    return {
        "id": service.pk,
        "key": service.key,
        "kind": service.kind,
        "name": service.name_in(language),
        "names": service.names,
        "description": service.description_in(language) or None,
        "municipality": (
            {
                "refnis": municipality.refnis,
                "name": {
                    "fr": municipality.name_fr,
                    "nl": municipality.name_nl,
                    **({"de": municipality.name_de} if municipality.name_de else {}),
                },
                "region": municipality.region,
            }
            if municipality is not None
            else None
        ),
        "address": service.address or None,
        "phone": service.phone or None,
        "email": service.email or None,
        "website": service.website or None,
        "languages": list(service.languages),
        "source": service.source,
        "source_url": service.source_url or None,
    }


def services_for_postcode(postcode: str | None) -> list[dict[str, Any]]:
    """Local services that can help a carer living at `postcode`, in the API's service shape.

    Each entry is shaped like an item of `GET /api/services/` (CONTRACT.md, "Carers and
    referrals"): `{id, kind, name, municipality, address?, phone?, email?, website?,
    languages, source}`, the name in the active language where the entry has one. An unknown
    or missing postcode gives an empty list.
    """
    return services_for_postcode_dicts(postcode, language=_language()) or []


def services_for_export():
    """Every service, for the CSV exports."""
    return Service.objects.select_related("municipality").prefetch_related("coverage")


# --- Referrals --------------------------------------------------------------------------------


def referrals_for_queue(
    *, status: str = "", municipality: str = "", source: str = "", assigned_to: int | None = None
):
    """The coordinators' queue, newest first, filtered. `municipality` is a REFNIS code.

    Joined: what a row of the queue shows (the API's referral_as_dict, the queue page), the
    referred-to service's municipality included (service_as_dict reads it: one query per row
    otherwise). Not the assessment (only its id is listed; its answers and outcome are the
    largest columns) nor the municipalities' points (no map in a list).
    """
    referrals = Referral.objects.select_related(
        "person", "municipality", "assigned_to", "referred_to__municipality"
    ).defer("municipality__location", "referred_to__municipality__location")
    if status:
        referrals = referrals.filter(status=status)
    if municipality:
        referrals = referrals.filter(municipality_id=municipality)
    if source:
        referrals = referrals.filter(source=source)
    if assigned_to is not None:
        referrals = referrals.filter(assigned_to_id=assigned_to)
    return referrals.order_by("-created_at", "-id")


def referral_counts_by_status() -> dict[str, int]:
    """How many referrals are in each status (every status listed, zeros included)."""
    counts = dict(Referral.objects.values_list("status").annotate(count=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ReferralStatus.values}


def helper_concerns_open():
    """Referrals opened by a helper's concern and not closed yet (the coordinators' queue)."""
    return Referral.objects.filter(source=ReferralSource.HELPER_CONCERN).exclude(
        status=ReferralStatus.CLOSED
    )


def referral_get(*, referral_id: int) -> Referral | None:
    return (
        Referral.objects.select_related(
            "person", "municipality", "assigned_to", "referred_to", "assessment", "help_request"
        )
        .filter(pk=referral_id)
        .first()
    )


def referral_municipalities():
    """The municipalities that have referrals, for the queue's filter."""
    return Municipality.objects.filter(carer_referrals__isnull=False).distinct().order_by("name_fr")


def referral_audit_entries(*, referral: Referral):
    return referral.audit.select_related("actor").order_by("at", "id")


def coordinators():
    """People who can be assigned a referral."""
    return User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True).order_by(
        "display_name"
    )


def referral_contact(referral: Referral) -> dict[str, str]:
    """How to reach the person: the contact details they gave with consent, else their
    account's email. Only for coordinators' eyes (the views check)."""
    if referral.assessment is not None and referral.assessment.contact_consent:
        return dict(referral.assessment.contact)
    if referral.person is not None:
        return {"email": referral.person.email}
    return {}


# --- Care diary -------------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _year_before(day: date) -> date:
    """The first day of the 12 months ending on `day` (day included): one year back, plus a
    day. 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28) + timedelta(days=1)


def _total(entries, start: date, end: date) -> Decimal:
    total = entries.filter(date__gte=start, date__lte=end).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def diary_totals(*, user, on: date | None = None) -> dict[str, Any]:
    """The month of `on` (1st to `on`) and the 12 months ending on `on`, against the thresholds.

    The thresholds are the engine's (carers.engine.rules MONTHLY_HOURS and YEARLY_HOURS, seed
    001: "au moins 50 heures par mois ou 600 heures par an"); every kind of entry counts,
    because the guide counts care training and support groups ("est comptabilisé").
    """
    on = on or timezone.localdate()
    entries = CareDiaryEntry.objects.filter(user=user)
    month_hours = _total(entries, _month_start(on), on)
    year_start = _year_before(on)
    year_hours = _total(entries, year_start, on)
    return {
        "date": on,
        "month": {
            "start": _month_start(on),
            "end": on,
            "hours": month_hours,
            "threshold": MONTHLY_HOURS.value,
            "meets": month_hours >= MONTHLY_HOURS.value,
        },
        "rolling_12_months": {
            "start": year_start,
            "end": on,
            "hours": year_hours,
            "threshold": YEARLY_HOURS.value,
            "meets": year_hours >= YEARLY_HOURS.value,
        },
        "meets_either": month_hours >= MONTHLY_HOURS.value or year_hours >= YEARLY_HOURS.value,
    }


def diary_assessment_prefill(*, user, on: date | None = None) -> dict[str, float]:
    """Hours from the diary for the self-assessment's `carer.hours_per_month` and
    `carer.hours_per_year`, only where the diary can vouch for them:

    - hours_per_month: the busier of the current month so far and the previous calendar
      month, once the diary reaches back to the start of that month; or the current month
      alone when it already reaches the threshold;
    - hours_per_year: the 12 months ending today, once the diary reaches back 12 months; or
      earlier if the total already reaches the threshold.

    Without entries, nothing is prefilled: an empty diary says nothing about the care given.
    """
    on = on or timezone.localdate()
    entries = CareDiaryEntry.objects.filter(user=user)
    first = entries.order_by("date").values_list("date", flat=True).first()
    if first is None:
        return {}
    prefill: dict[str, float] = {}
    this_month = _total(entries, _month_start(on), on)
    previous_end = _month_start(on) - timedelta(days=1)
    previous_start = _month_start(previous_end)
    previous_month = _total(entries, previous_start, previous_end)
    if first <= previous_start:
        prefill["hours_per_month"] = float(max(this_month, previous_month))
    elif this_month >= MONTHLY_HOURS.value or previous_month >= MONTHLY_HOURS.value:
        prefill["hours_per_month"] = float(max(this_month, previous_month))
    year_start = _year_before(on)
    year_total = _total(entries, year_start, on)
    if first <= year_start or year_total >= YEARLY_HOURS.value:
        prefill["hours_per_year"] = float(year_total)
    return prefill


def diary_entries(*, user):
    return CareDiaryEntry.objects.filter(user=user).order_by("-date", "-id")


def assessments_export_for_user(*, user) -> list[dict[str, Any]]:
    """A person's own assessments, for the export of all their data (`GET /api/me/export/`)."""
    return [
        {
            "id": assessment.pk,
            "created_at": assessment.created_at.isoformat(),
            "language": assessment.language,
            "postcode": assessment.postcode,
            "rules_version": assessment.rules_version,
            "answers": assessment.answers,
            "outcome": {
                "general": assessment.outcome.get("general", {}).get("status"),
                "social_rights": assessment.outcome.get("social_rights", {}).get("status"),
            },
            "contact_consent": assessment.contact_consent,
            "contact": assessment.contact,
        }
        for assessment in Assessment.objects.filter(user=user).order_by("created_at", "pk")
    ]
