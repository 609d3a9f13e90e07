"""Reads of the matching engine: helper profiles, eligibility, candidates, nearby requests.

Eligibility (CONTRACT.md "Requests and matching") is answered by the database: a helper is
eligible for a request when they are active and verified, their own radius covers the request's
place, they offer its category, their spare weekly hours cover its weekly load, and they are not
the requester. "Radius covers" is the helper's disc covering the request's point, tested on the
planar copy `coverage_metric` (Belgian Lambert 2008) through a partial GiST index per category
(matching.models), so the index finds the few helpers around a place among all of them instead of
scanning everyone within the largest radius anyone has. The SQL and the reasons of the speed are
in ranking.scoring ("Two renderings of the one formula"); candidates and nearby requests are
ranking's (ranking.selectors).
"""

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet

from accounts.models import User
from core.fast_rows import Rows, fetch_rows
from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    AvailabilitySlot,
    HelperProfile,
    VerificationState,
    VettingChange,
    VettingCheck,
    metric_point,
)
from matching.vocabulary import WorkToMatch

# --- Helper profiles --------------------------------------------------------------------------


def helper_profile_get(*, user: User) -> HelperProfile | None:
    """The user's helper profile with its availability slots, or None if they have none."""
    if not user.is_authenticated:
        return None
    return (
        HelperProfile.objects.filter(user=user)
        .select_related("user")
        .prefetch_related("availability_slots")
        .first()
    )


def _column(model, field_name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field_name).column)


# The profile as GET /api/helpers/me/ shows it, in one query: no model instances, no GEOS. Each
# column is named after its field of matching.serializers.HelperProfileOutputSerializer, which
# writes the row (core.fast_rows); the slots are one column, already written as the
# serializer's list ({weekday, start "HH:MM", end "HH:MM"}, in the order of AvailabilitySlot.Meta).
_WEEKDAY = _column(AvailabilitySlot, "weekday")
_START = _column(AvailabilitySlot, "start")
_END = _column(AvailabilitySlot, "end")
_HELPER_PROFILE_VIEW_SQL = (
    'SELECT p.user_id AS "helper_id", u.display_name, p.postcode,'
    ' ST_Y(p.location::geometry) AS "location.lat", ST_X(p.location::geometry) AS "location.lon",'
    " p.radius_km, p.categories, p.weekly_hours, p.committed_weekly_hours, p.languages,"
    " COALESCE((SELECT json_agg(json_build_object("
    f"'weekday', s.{_WEEKDAY}, 'start', to_char(s.{_START}, 'HH24:MI'),"
    f" 'end', to_char(s.{_END}, 'HH24:MI')) ORDER BY s.{_WEEKDAY}, s.{_START})"
    f" FROM {AvailabilitySlot._meta.db_table} s"
    f" WHERE s.{_column(AvailabilitySlot, 'profile')} = p.id), '[]') AS \"availability\","
    " p.has_car, p.active, p.verification_state, p.verified_at"
    f" FROM {HelperProfile._meta.db_table} p"
    f" JOIN {User._meta.db_table} u ON u.id = p.user_id"
    " WHERE p.user_id = %s"
)


def helper_profile_rows(*, user_id: int) -> Rows:
    """The helper profile of user `user_id` as rows (one, or none if they have none) for
    matching.serializers.HelperProfileOutputSerializer. One query: the hot path of
    GET /api/helpers/me/."""
    return fetch_rows(_HELPER_PROFILE_VIEW_SQL, [user_id])


def helpers_available() -> QuerySet[HelperProfile]:
    """Helpers who can be matched today in principle: active, verified, with an active account
    (their places and capacity aside)."""
    return HelperProfile.objects.filter(
        active=True, user__is_active=True, verification_state=VerificationState.VERIFIED
    )


def helpers_awaiting_verification() -> QuerySet[HelperProfile]:
    """Helpers a coordinator has not verified yet, oldest first: those who waited longest are
    called first."""
    return (
        HelperProfile.objects.filter(verification_state=VerificationState.UNVERIFIED)
        .select_related("user")
        .order_by("created_at", "id")
    )


def helper_verification_state(*, user_id: int) -> str | None:
    """The helper's verification state, or None if they have no helper profile.

    Only the state: a whole profile row carries its coverage polygons, parsed for nothing.
    """
    return (
        HelperProfile.objects.filter(user_id=user_id)
        .values_list("verification_state", flat=True)
        .first()
    )


def helpers_suspended() -> QuerySet[HelperProfile]:
    """Helpers a coordinator suspended, longest suspended first (their cases to follow up)."""
    return (
        HelperProfile.objects.filter(verification_state=VerificationState.SUSPENDED)
        .select_related("user")
        .order_by("updated_at", "id")
    )


def helper_profile_by_email(*, email: str) -> HelperProfile | None:
    """The helper profile of the account with this address (a coordinator looking someone up)."""
    if not email.strip() or "\x00" in email:
        return None  # PostgreSQL refuses NUL in text; nobody's address has one
    return (
        HelperProfile.objects.filter(user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )


# --- Vetting ----------------------------------------------------------------------------------


def _person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "display_name": user.display_name}


def _vetting_checks(change: VettingChange | None) -> dict:
    """The record's checks as the API writes them: the document type, the interview, and one
    date (or None) per further check."""
    checks_done = change.checks_done if change else {}
    return {
        "id_document": change.id_document if change else "",
        "interview_on": change.interview_on if change else None,
        "interviewed_by": _person(change.interviewed_by) if change else None,
        **{code: checks_done.get(code) for code in VettingCheck.values},
    }


def helper_vetting_record(*, user_id: int) -> dict | None:
    """The helper's vetting for coordinators: current state, record and the whole history
    (oldest first), for matching.serializers.HelperVettingSerializer; None without a helper
    profile. Two queries."""
    profile = HelperProfile.objects.filter(user_id=user_id).select_related("user").first()
    if profile is None:
        return None
    changes = list(
        profile.vetting_changes.select_related("changed_by", "interviewed_by").order_by(
            "changed_at", "id"
        )
    )
    current = changes[-1] if changes else None
    return {
        "helper_id": profile.user_id,
        "display_name": profile.user.display_name,
        "profile": profile,
        "state": profile.verification_state,
        "checks": _vetting_checks(current),
        "required_checks": list(settings.HELPER_VETTING_REQUIRED_CHECKS),
        "notes": current.notes if current else "",
        "history": [
            {
                "previous_state": change.previous_state,
                "state": change.state,
                "by": _person(change.changed_by),
                "at": change.changed_at,
                "reason": change.reason,
                "checks": _vetting_checks(change),
                "notes": change.notes,
            }
            for change in changes
        ],
    }


# --- Eligibility ------------------------------------------------------------------------------


def eligible_helpers_for(*, help_request: WorkToMatch) -> QuerySet[HelperProfile]:
    """Helper profiles eligible for `help_request` (the rules of the module docstring).

    Does not look at the request's status: callers decide whether a closed request may still be
    offered. The same rules, written for a join of requests with helpers, are
    ranking.scoring.fast_eligibility_sql (candidates, batch) and eligibility_sql (the reference);
    tests check all three agree.
    """
    helpers = HelperProfile.objects.annotate(
        spare_weekly_hours=F("weekly_hours") - F("committed_weekly_hours")
    ).filter(
        active=True,
        user__is_active=True,
        verification_state=VerificationState.VERIFIED,
        # The planar test of the fast SQL (ranking.scoring.fast_eligibility_sql).
        coverage_metric__covers=metric_point(help_request.location),
        categories__contains=[help_request.category],
        spare_weekly_hours__gte=help_request.weekly_load_hours - COMMITTED_HOURS_TOLERANCE,
    )
    if help_request.requester_id is not None:
        helpers = helpers.exclude(user_id=help_request.requester_id)
    return helpers


def helper_is_eligible_for(*, helper_user: User, help_request: WorkToMatch) -> bool:
    """Whether `helper_user` may be matched with `help_request` now (one indexed query).

    Inside a transaction that holds the helper profile's row lock, the answer stays true until
    the transaction ends (the capacity it reads cannot change meanwhile).
    """
    return eligible_helpers_for(help_request=help_request).filter(user=helper_user).exists()
