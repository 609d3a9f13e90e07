"""A person's requests, offers, visits and feedback: their part of the export, and erasure.

Part of the person's export and erasure (accounts.services, GDPR art. 15, 17 and 20;
docs/DATA_REGISTER.md), connected in requests_app.receivers.
"""

from typing import Any

from django.db.models import F

from core.export_values import export_point, export_time
from requests_app.models import Feedback, HelpRequest, Offer, RequestStatus, Visit

# What an erased person's requests keep: what is needed for statistics (category, dates, status,
# postcode, approximate place), nothing that describes the person or the person cared for.
ERASED_REQUEST_DESCRIPTION = ""


def _help_requests(user) -> list[dict[str, Any]]:
    return [
        {
            "id": help_request.pk,
            "category": help_request.category,
            "description": help_request.description,
            "location": export_point(help_request.location),
            "approximate_location": export_point(help_request.approximate_location),
            "postcode": help_request.postcode,
            "duration_minutes": help_request.duration_minutes,
            "recurrence": help_request.recurrence,
            "starts_at": export_time(help_request.starts_at),
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
            "created_at": export_time(help_request.created_at),
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
            "created_at": export_time(offer.created_at),
        }
        for offer in Offer.objects.filter(helper=user).order_by("created_at", "pk")
    ]


def _visits(user) -> list[dict[str, Any]]:
    return [
        {
            "id": visit.pk,
            "request": visit.request_id,
            "date": export_time(visit.date),
            "hours": str(visit.hours),
            "confirmed_by_requester": visit.confirmed_by_requester,
            "confirmed_at": export_time(visit.confirmed_at),
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
            "created_at": export_time(feedback.created_at),
        }
        for feedback in Feedback.objects.filter(author=user).order_by("created_at", "pk")
    ]


def help_requests_export(*, user) -> dict[str, Any]:
    return {
        "help_requests": _help_requests(user),
        "offers": _offers(user),
        "visits": _visits(user),
        "feedback_written": _feedback(user),
    }


def help_requests_erase(*, user) -> None:
    """Requests stay for statistics, anonymised: requester None, description and the
    for-someone-else details blanked, the exact place replaced by the approximate one; open or
    matched ones are cancelled. Requests they helped with that are still matched reopen. Visits
    and feedback keep their rows with the person set to None (SET_NULL); offers go with the
    account (CASCADE)."""
    own_requests = HelpRequest.objects.filter(requester=user)
    own_requests.filter(status__in=[RequestStatus.OPEN, RequestStatus.MATCHED]).update(
        status=RequestStatus.CANCELLED
    )
    # A queryset update, not save(): save() would recompute the approximate place from the
    # exact one, and the point is that the exact one is gone.
    own_requests.update(
        requester=None,
        created_by=None,
        description=ERASED_REQUEST_DESCRIPTION,
        location=F("approximate_location"),
        relationship="",
        cared_for_age=None,
        care_hours_per_week=None,
    )
    # A request they were matched to goes back to the neighbourhood instead of waiting for
    # a helper who no longer exists.
    HelpRequest.objects.filter(matched_helper=user, status=RequestStatus.MATCHED).update(
        matched_helper=None, status=RequestStatus.OPEN
    )
