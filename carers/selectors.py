"""Reads for the carers app."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import Role, User
from carers.engine.rules import MONTHLY_HOURS, YEARLY_HOURS
from carers.models import (
    SERVICE_VISIBLE_STATUSES,
    V1_STATUS_ALIASES,
    Assessment,
    CareDiaryEntry,
    ContactPreference,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from geo.models import Municipality

# --- Referrals --------------------------------------------------------------------------------


def referrals_for_queue(
    *, status: str = "", municipality: str = "", source: str = "", assigned_to: int | None = None
):
    """The coordinators' queue, newest first, filtered. `municipality` is a REFNIS code.

    Joined: what a row of the queue shows (the API's referral_as_dict, the queue page), the
    referred-to service's municipality included (the service's serializer reads it: one query
    per row otherwise). Not the assessment (only its id is listed; its answers and outcome are the
    largest columns) nor the municipalities' points (no map in a list).
    """
    referrals = Referral.objects.select_related(
        "person", "municipality", "assigned_to", "referred_to__municipality"
    ).defer("municipality__location", "referred_to__municipality__location")
    if status:
        referrals = referrals.filter(status=V1_STATUS_ALIASES.get(status, status))
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


def referral_for_consent(*, referral_id: int, user) -> Referral | None:
    """The referral if `user` may record a consent for it: the person it is about (online) or
    a coordinator (on the person's word); None for anyone else, who must not learn it exists."""
    referral = referral_get(referral_id=referral_id)
    if referral is None or not (user.is_coordinator or referral.person_id == user.pk):
        return None
    return referral


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


# --- The closed loop: what a partner service and the person see -------------------------------


def referrals_for_service(*, service):
    """The referrals a partner service sees: sent to it, with the person's consent for it still
    live (a withdrawal hides it at once), newest sending first."""
    return (
        Referral.objects.filter(
            referred_to=service,
            status__in=SERVICE_VISIBLE_STATUSES,
            consents__service=service,
            consents__withdrawn_at__isnull=True,
        )
        .select_related("person", "municipality", "assessment", "referred_to")
        .defer("municipality__location")
        .distinct()
        .order_by("-sent_at", "-id")
    )


def referral_for_service(*, service, referral_id: int) -> Referral | None:
    """One of `service`'s referrals (referrals_for_service), or None."""
    return referrals_for_service(service=service).filter(pk=referral_id).first()


def referrals_of_person(*, user):
    """The person's own referrals, newest first, with their consents and steps."""
    return (
        Referral.objects.filter(person=user)
        .select_related("referred_to", "proposed_service")
        .prefetch_related("consents__service", "steps")
        .order_by("-created_at", "-id")
    )


def referral_of_person(*, user, referral_id: int) -> Referral | None:
    return referrals_of_person(user=user).filter(pk=referral_id).first()


def referral_steps(*, referral: Referral):
    return referral.steps.select_related("actor", "service").order_by("at", "id")


def person_do_not_contact(*, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return ContactPreference.objects.filter(user_id=user_id, do_not_contact=True).exists()


def referral_counts_for_service(*, service) -> dict[str, int]:
    """How many of `service`'s referrals (referrals_for_service) are in each status the service
    sees, zeros included: the queue counts of a partner's home page. Counts only, so not a read
    of anyone's data (nothing goes to the access log)."""
    visible = Referral.objects.filter(
        pk__in=referrals_for_service(service=service).order_by().values("pk")
    )
    counts = dict(visible.values_list("status").annotate(count=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in SERVICE_VISIBLE_STATUSES}


def referral_live_consents(*, referral: Referral):
    """The consents of `referral` not withdrawn, with their service (the coordinator's page)."""
    return referral.consents.filter(withdrawn_at__isnull=True).select_related("service")


def organisation_of_service(service) -> str:
    """How the person's access log names a partner service as the reader's organisation (the
    name stored with the read; the API and the pages record the same)."""
    return service.name_in("fr")
