"""A person's assessments, care diary and referrals: their part of the export, and erasure.

Part of the person's export and erasure (accounts.services, GDPR art. 15, 17 and 20;
docs/DATA_REGISTER.md), connected in carers.receivers. Left out of the export on purpose:
coordinators' internal notes on referrals and the referral audit trail (they are about the
coordinators' work, and can be obtained on request from the controller).
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from carers.models import CareDiaryEntry, Referral, ReferralAudit, ReferralStatus
from carers.selectors import assessments_export_for_user
from carers.services.assessments import assessments_erase_for_user
from carers.services.referrals import referrals_close_for_user
from core.export_values import export_time


def _diary(user) -> list[dict[str, Any]]:
    return [
        {
            "id": entry.pk,
            "date": export_time(entry.date),
            "hours": str(entry.hours),
            "kind": entry.kind,
            "note": entry.note,
            "created_at": export_time(entry.created_at),
        }
        for entry in CareDiaryEntry.objects.filter(user=user).order_by("date", "pk")
    ]


def _referrals(user) -> list[dict[str, Any]]:
    # Coordinators' internal notes (ReferralNote) and the audit trail are left out (module doc).
    return [
        {
            "id": referral.pk,
            "source": referral.source,
            "reasons": referral.reasons,
            "status": referral.status,
            "outcome": referral.outcome,
            "referred_to": referral.referred_to.key if referral.referred_to else None,
            "consent": referral.consent,
            "consent_at": export_time(referral.consent_at),
            "postcode": referral.postcode,
            "created_at": export_time(referral.created_at),
            "updated_at": export_time(referral.updated_at),
        }
        for referral in Referral.objects.filter(person=user)
        .select_related("referred_to")
        .order_by("created_at", "pk")
    ]


def _consents(assessments: list[dict], referrals: list[dict]) -> list[dict[str, Any]]:
    """Every consent the person gave or refused, in one list, wherever it was recorded."""
    records = [
        {
            "subject": "assessment_contact",
            "assessment": assessment["id"],
            "given": assessment["contact_consent"],
            "at": assessment["created_at"],
        }
        for assessment in assessments
    ]
    records += [
        {
            "subject": "referral_sharing",
            "referral": referral["id"],
            "state": referral["consent"],
            "at": referral["consent_at"],
        }
        for referral in referrals
    ]
    return records


def carers_data_export(*, user) -> dict[str, Any]:
    assessments = assessments_export_for_user(user=user)
    referrals = _referrals(user)
    return {
        "assessments": assessments,
        "care_diary": _diary(user),
        "referrals": referrals,
        "consents": _consents(assessments, referrals),
    }


def carers_data_erase(*, user) -> None:
    """Referrals are closed and detached, their audit trail stays; assessments stay anonymous,
    without contact details; the care diary goes with the account (CASCADE)."""
    referrals_close_for_user(user=user)
    assessments_erase_for_user(user=user)


def expired_data_purge(*, closed_referral_days: int, audit_days: int) -> dict[str, int]:
    """Delete closed referrals last changed more than `closed_referral_days` ago, and referral
    audit rows older than `audit_days`. Returns how many of each were deleted.

    A referral's notes and audit rows go with it (CASCADE): once the referral itself is past its
    retention, a trail about a row that no longer exists would only keep personal data longer.
    Counted in "audit" are only the rows deleted for their own age.
    """
    now = timezone.now()
    with transaction.atomic():
        audit_deleted, _by_model = ReferralAudit.objects.filter(
            at__lt=now - timedelta(days=audit_days)
        ).delete()
        referrals_deleted = (
            Referral.objects.filter(
                status=ReferralStatus.CLOSED,
                updated_at__lt=now - timedelta(days=closed_referral_days),
            )
            .delete()[1]
            .get(Referral._meta.label, 0)
        )
    return {"referrals": referrals_deleted, "audit": audit_deleted}
