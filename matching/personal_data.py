"""A helper's own data: their profile in the export, and its erasure (core.events).

Part of the person's export and erasure (accounts.services, GDPR art. 15, 17 and 20;
docs/DATA_REGISTER.md), connected in matching.receivers.
"""

from typing import Any

from core.export_values import export_point, export_time
from matching.models import HelperProfile


def _helper_profile(user) -> dict[str, Any] | None:
    profile = HelperProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "location": export_point(profile.location),
        "postcode": profile.postcode,
        "radius_km": profile.radius_km,
        "categories": list(profile.categories),
        "weekly_hours": profile.weekly_hours,
        "languages": list(profile.languages),
        "has_car": profile.has_car,
        "active": profile.active,
        "verification_state": profile.verification_state,
        "verified_at": export_time(profile.verified_at),
        "availability": [
            {
                "weekday": slot.weekday,
                "start": export_time(slot.start),
                "end": export_time(slot.end),
            }
            for slot in profile.availability_slots.order_by("weekday", "start")
        ],
        "created_at": export_time(profile.created_at),
        # Their vetting history: states and the checks recorded. The coordinators' reasons and
        # notes are internal, like their notes on referrals (docs/DATA_REGISTER.md, "Export").
        "vetting": [
            {
                "state": change.state,
                "at": export_time(change.changed_at),
                "id_document": change.id_document,
                "interview_on": export_time(change.interview_on),
                "checks_done": dict(change.checks_done),
            }
            for change in profile.vetting_changes.order_by("changed_at", "id")
        ],
    }


def helper_profile_export(*, user) -> dict[str, Any]:
    return {"helper_profile": _helper_profile(user)}


def helper_profile_erase(*, user) -> None:
    """The profile, its availability and its vetting history go with the account (a helper who
    left helps nobody)."""
    HelperProfile.objects.filter(user=user).delete()
