"""Everything the platform holds about one person, as plain JSON (`GET /api/me/export/`).

The right of access (GDPR art. 15) and of portability (art. 20): the person's own data, including
the exact places of their own requests. Left out on purpose, and documented in
docs/DATA_REGISTER.md: coordinators' internal notes on referrals and the referral audit trail
(they are about the coordinators' work, and can be obtained on request from the controller),
and other people's personal data (only ids of the other participants are given).
"""

from __future__ import annotations

from typing import Any

from carers.models import CareDiaryEntry, Referral
from carers.selectors import assessments_export_for_user
from matching.models import HelperProfile
from messaging.models import Conversation, Message
from requests_app.models import Feedback, HelpRequest, Offer, Visit


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _point(point) -> dict[str, float] | None:
    if point is None:
        return None
    return {"latitude": point.y, "longitude": point.x}


def _account(user) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "postcode": user.postcode,
        "roles": list(user.roles),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _helper_profile(user) -> dict[str, Any] | None:
    profile = HelperProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "location": _point(profile.location),
        "postcode": profile.postcode,
        "radius_km": profile.radius_km,
        "categories": list(profile.categories),
        "weekly_hours": profile.weekly_hours,
        "languages": list(profile.languages),
        "has_car": profile.has_car,
        "active": profile.active,
        "verification_state": profile.verification_state,
        "verified_at": _iso(profile.verified_at),
        "availability": [
            {"weekday": slot.weekday, "start": _iso(slot.start), "end": _iso(slot.end)}
            for slot in profile.availability_slots.order_by("weekday", "start")
        ],
        "created_at": _iso(profile.created_at),
    }


def _help_requests(user) -> list[dict[str, Any]]:
    return [
        {
            "id": help_request.pk,
            "category": help_request.category,
            "description": help_request.description,
            "location": _point(help_request.location),
            "approximate_location": _point(help_request.approximate_location),
            "postcode": help_request.postcode,
            "duration_minutes": help_request.duration_minutes,
            "recurrence": help_request.recurrence,
            "starts_at": _iso(help_request.starts_at),
            "languages": list(help_request.languages),
            "for_someone_else": help_request.for_someone_else,
            "relationship": help_request.relationship,
            "cared_for_age": help_request.cared_for_age,
            "care_hours_per_week": (
                str(help_request.care_hours_per_week)
                if help_request.care_hours_per_week is not None
                else None
            ),
            "status": help_request.status,
            "matched_helper": help_request.matched_helper_id,
            "created_at": _iso(help_request.created_at),
        }
        for help_request in HelpRequest.objects.filter(requester=user).order_by("created_at", "pk")
    ]


def _offers(user) -> list[dict[str, Any]]:
    return [
        {
            "id": offer.pk,
            "request": offer.request_id,
            "message": offer.message,
            "status": offer.status,
            "created_at": _iso(offer.created_at),
        }
        for offer in Offer.objects.filter(helper=user).order_by("created_at", "pk")
    ]


def _visits(user) -> list[dict[str, Any]]:
    return [
        {
            "id": visit.pk,
            "request": visit.request_id,
            "date": _iso(visit.date),
            "hours": str(visit.hours),
            "confirmed_by_requester": visit.confirmed_by_requester,
            "confirmed_at": _iso(visit.confirmed_at),
        }
        for visit in Visit.objects.filter(helper=user).order_by("date", "pk")
    ]


def _feedback(user) -> list[dict[str, Any]]:
    return [
        {
            "id": feedback.pk,
            "request": feedback.request_id,
            "about": feedback.about_id,
            "kind": feedback.kind,
            "text": feedback.text,
            "created_at": _iso(feedback.created_at),
        }
        for feedback in Feedback.objects.filter(author=user).order_by("created_at", "pk")
    ]


def _conversations(user) -> list[dict[str, Any]]:
    conversations = Conversation.objects.filter(participants=user).order_by("created_at", "pk")
    result = []
    for conversation in conversations:
        result.append(
            {
                "id": conversation.pk,
                "request": conversation.request_id,
                "participants": sorted(conversation.memberships.values_list("user_id", flat=True)),
                "created_at": _iso(conversation.created_at),
                # Only what the person wrote: the others' messages are their personal data.
                "messages_sent": [
                    {"id": message.pk, "body": message.body, "sent_at": _iso(message.created_at)}
                    for message in Message.objects.filter(
                        conversation=conversation, sender=user
                    ).order_by("id")
                ],
            }
        )
    return result


def _diary(user) -> list[dict[str, Any]]:
    return [
        {
            "id": entry.pk,
            "date": _iso(entry.date),
            "hours": str(entry.hours),
            "kind": entry.kind,
            "note": entry.note,
            "created_at": _iso(entry.created_at),
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
            "consent_at": _iso(referral.consent_at),
            "postcode": referral.postcode,
            "created_at": _iso(referral.created_at),
            "updated_at": _iso(referral.updated_at),
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


def user_data_collect(*, user) -> dict[str, Any]:
    """All the personal data of `user`, as a JSON-serialisable dict (see the module doc)."""
    assessments = assessments_export_for_user(user=user)
    referrals = _referrals(user)
    return {
        "format": "tandem-export-1",
        "account": _account(user),
        "helper_profile": _helper_profile(user),
        "help_requests": _help_requests(user),
        "offers": _offers(user),
        "visits": _visits(user),
        "feedback_written": _feedback(user),
        "conversations": _conversations(user),
        "assessments": assessments,
        "care_diary": _diary(user),
        "referrals": referrals,
        "consents": _consents(assessments, referrals),
    }
