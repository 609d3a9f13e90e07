"""Who hears of what: each domain event becomes notifications for the right people.

The receivers run inside the sender's transaction, so a notification, its delivery rows and
the jobs that send them commit together with the change (a job is a database row: README,
"Background jobs"). Each runs in a savepoint and never raises: telling people must never undo
a request, an offer or a match — a failure is logged and the change stands.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from accounts.selectors import person_reached_ids
from core import events, jobs
from core.realtime import notify_user
from directory.models import Service
from messaging.models import Conversation
from notifications import jobs as notification_jobs
from notifications import personal_data
from notifications.services import notification_create, unread_checks_schedule
from requests_app.models import HelpRequest, Offer, OfferStatus, RequestStatus

logger = logging.getLogger(__name__)


def _never_raises(receiver):
    @functools.wraps(receiver)
    def receive(**arguments):
        try:
            with transaction.atomic():
                receiver(**arguments)
        except Exception:  # noqa: BLE001 — see the module docstring
            logger.exception("notifications receiver %s failed", receiver.__qualname__)

    return receive


def _request_url(help_request) -> str:
    return reverse("request_pages:detail", args=[help_request.pk])


def _for_whom(help_request, person: User, params: dict) -> dict:
    """`params`, naming the person asking when `person` reads it for them."""
    if person.pk == help_request.requester_id or help_request.requester_id is None:
        return params
    name = (
        User.objects.filter(pk=help_request.requester_id)
        .values_list("display_name", flat=True)
        .first()
    )
    return {**params, "for_name": name} if name else params


def _requester_side(help_request) -> list[User]:
    """The person asking, or whoever manages them (the coordinators of the team of a person
    without e-mail, accounts.selectors.person_reached_ids), and whoever made the request for
    them (a coordinator)."""
    ids = set(person_reached_ids(person_id=help_request.requester_id))
    ids |= {help_request.created_by_id} - {None}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@_never_raises
def _help_request_created(*, help_request) -> None:
    # Finding the nearest helpers (a spatial query) and telling up to 50 of them is a job.
    jobs.enqueue(notification_jobs.nearby_helpers_tell, help_request_id=help_request.pk)


@_never_raises
def _offer_created(*, offer) -> None:
    help_request = offer.request
    for person in _requester_side(help_request):
        notification_create(
            recipient=person,
            kind="offer.received",
            params=_for_whom(
                help_request,
                person,
                {"request": help_request.pk, "offer": offer.pk, "category": help_request.category},
            ),
            url=_request_url(help_request),
            key=f"offer:{offer.pk}",
        )
    # The live event of the contract's first version, kept for the clients that know it: for
    # the requester, or the team managing them.
    for person_id in person_reached_ids(person_id=help_request.requester_id):
        notify_user(
            user_id=person_id,
            event={
                "type": "offer.created",
                "offer": offer.pk,
                "request": help_request.pk,
                "helper": offer.helper_id,
            },
        )


@_never_raises
def _match_confirmed(*, help_request, offer) -> None:
    conversation = (
        Conversation.objects.filter(request=help_request).order_by("-id").only("id").first()
    )
    conversation_url = (
        reverse("messaging:conversation", args=[conversation.pk]) if conversation else ""
    )
    params = {"request": help_request.pk, "category": help_request.category}
    if conversation is not None:
        params["conversation"] = conversation.pk
    notification_create(
        recipient=offer.helper,
        kind="offer.accepted",
        params=params,
        url=conversation_url or _request_url(help_request),
        key=f"offer:{offer.pk}",
    )
    notify_user(
        user_id=offer.helper_id,
        event={
            "type": "offer.accepted",
            "offer": offer.pk,
            "request": help_request.pk,
            "conversation": conversation.pk if conversation else None,
        },
    )
    for person in _requester_side(help_request):
        notification_create(
            recipient=person,
            kind="request.matched",
            params=_for_whom(help_request, person, params),
            url=conversation_url or _request_url(help_request),
            key=f"request:{help_request.pk}",
        )


@_never_raises
def _offers_declined(*, help_request, helper_ids) -> None:
    for helper in User.objects.filter(pk__in=helper_ids):
        notification_create(
            recipient=helper,
            kind="offer.declined",
            params={"request": help_request.pk, "category": help_request.category},
            url=reverse("helper_pages:helper"),
            key=f"request:{help_request.pk}",
        )


@_never_raises
def _request_cancelled(*, help_request, helper_id) -> None:
    helper = User.objects.filter(pk=helper_id).first() if helper_id else None
    if helper is not None:
        notification_create(
            recipient=helper,
            kind="request.cancelled",
            params={"request": help_request.pk, "category": help_request.category},
            url=reverse("helper_pages:helper"),
            key=f"request:{help_request.pk}",
        )


@_never_raises
def _request_expiring(*, help_request, closes_at) -> None:
    # Pending offers change what the person should do: answer them, rather than wait.
    offers = Offer.objects.filter(request=help_request, status=OfferStatus.PENDING).count()
    for person in _requester_side(help_request):
        notification_create(
            recipient=person,
            kind="request.expiring",
            params={
                "request": help_request.pk,
                "category": help_request.category,
                "offers": offers,
                "closes_at": closes_at.isoformat(),
            },
            url=_request_url(help_request),
            # Sent every hour until it closes: one notification per request and expiry.
            key=f"request:{help_request.pk}:closes:{closes_at:%Y%m%d%H%M}",
        )


@_never_raises
def _visit_logged(*, visit) -> None:
    help_request = visit.request
    # The requester confirms; for a person without e-mail, the team that phones them.
    reached = person_reached_ids(person_id=help_request.requester_id)
    for person in User.objects.filter(pk__in=reached, is_active=True).order_by("pk"):
        notification_create(
            recipient=person,
            kind="visit.to_confirm",
            params=_for_whom(
                help_request,
                person,
                {
                    "request": help_request.pk,
                    "visit": visit.pk,
                    "name": visit.helper.display_name,
                    "hours": str(visit.hours),
                    "date": visit.date.isoformat(),
                },
            ),
            url=_request_url(help_request),
            key=f"visit:{visit.pk}",
        )


@_never_raises
def _proposals_created(*, proposals) -> None:
    helpers = User.objects.in_bulk([proposal.helper_id for proposal in proposals])
    categories = dict(
        HelpRequest.objects.filter(
            pk__in=[proposal.request_id for proposal in proposals]
        ).values_list("id", "category")
    )
    for proposal in proposals:
        helper = helpers.get(proposal.helper_id)
        if helper is None:
            continue
        notification_create(
            recipient=helper,
            kind="proposal.created",
            params={
                "proposal": proposal.pk,
                "request": proposal.request_id,
                "category": categories.get(proposal.request_id, ""),
            },
            url=reverse("helper_pages:helper"),
            key=f"proposal:{proposal.pk}",
        )


@_never_raises
def _message_created(*, message, reader_ids) -> None:
    # One pending check per reader and conversation covers a burst of messages: a job per
    # message cost more than the rest of sending it (issue 17).
    for reader_id in unread_checks_schedule(
        conversation_id=message.conversation_id, reader_ids=reader_ids
    ):
        jobs.enqueue(
            notification_jobs.conversation_unread_check,
            delay_seconds=settings.MESSAGE_UNREAD_DELAY_SECONDS,
            conversation_id=message.conversation_id,
            reader_id=reader_id,
        )


@_never_raises
def _helper_verified(*, profile) -> None:
    notification_create(
        recipient=profile.user,
        kind="helper.verified",
        params={},
        url=reverse("helper_pages:helper"),
        key="verified",
    )


def _service_names(service_id) -> dict:
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    return service.names if service is not None else {}


def _service_workers(service_id) -> list[User]:
    return list(
        User.objects.filter(
            service_membership__service_id=service_id,
            is_active=True,
            roles__contains=[Role.SERVICE_WORKER],
        )
    )


def _coordinators_of(referral) -> list[User]:
    coordinators = User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True)
    if referral.assigned_to_id:
        assigned = list(coordinators.filter(pk=referral.assigned_to_id))
        if assigned:
            return assigned
    return list(coordinators)


@_never_raises
def _helper_suspended(*, profile, change) -> None:
    # Their open matches: the requests they are matched to and still to help with, and the
    # requests they offered on that could still accept them. Coordinators decide what to do
    # with each (talk with the person, find another helper).
    matched = list(
        HelpRequest.objects.filter(
            matched_helper_id=profile.user_id, status=RequestStatus.MATCHED
        ).values_list("id", flat=True)
    )
    offered = list(
        Offer.objects.filter(
            helper_id=profile.user_id,
            status=OfferStatus.PENDING,
            request__status=RequestStatus.OPEN,
        ).values_list("request_id", flat=True)
    )
    if not matched and not offered:
        return
    for coordinator in User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True):
        notification_create(
            recipient=coordinator,
            kind="helper.suspended",
            params={
                "helper": profile.user_id,
                "name": profile.user.display_name,
                "matched": sorted(matched),
                "offered": sorted(offered),
            },
            url=reverse("helper_pages:coordinator-helper", args=[profile.user_id]),
            key=f"suspended:{change.pk}",
        )


@_never_raises
def _referral_updated(*, referral, changes) -> None:
    if not changes:
        return
    new_status = changes.get("status", [None, None])[1]
    service_id = referral.referred_to_id or referral.proposed_service_id
    person = User.objects.filter(pk=referral.person_id, is_active=True).first()
    if person is not None:
        # Reaching out to the person is the moment their agreement is asked (docs/REFERRALS.md).
        consent_asked = new_status == "consent_asked"
        params = {
            "referral": referral.pk,
            "status": referral.status,
            "service": _service_names(service_id),
        }
        if referral.closing_outcome:
            params["outcome"] = referral.closing_outcome
        consented_to = changes.get("consent_service", [None, None])[1]
        if consented_to is not None:
            # A consent for one service (carers.services.loop): name that service.
            params["consent"] = "given"
            params["service"] = _service_names(consented_to)
        notification_create(
            recipient=person,
            kind="referral.consent_asked" if consent_asked else "referral.updated",
            params=params,
            # Where they agree, withdraw or say "don't contact me", and read the steps.
            url=reverse("carers:my-referrals"),
        )
    if new_status == "sent" and referral.referred_to_id:
        sent = referral.sent_at.isoformat() if referral.sent_at else ""
        for worker in _service_workers(referral.referred_to_id):
            notification_create(
                recipient=worker,
                kind="referral.received",
                params={"referral": referral.pk},
                url=reverse("carers:partner-referral", args=[referral.pk]),
                key=f"referral:{referral.pk}:sent:{sent}",
            )
    if new_status == "declined":
        for coordinator in _coordinators_of(referral):
            notification_create(
                recipient=coordinator,
                kind="referral.declined",
                params={
                    "referral": referral.pk,
                    "service": _service_names(referral.referred_to_id),
                },
                url=reverse("carers:coordinator-referral", args=[referral.pk]),
            )


@_never_raises
def _referral_unanswered(*, referral, stage) -> None:
    days = (
        settings.REFERRAL_REMINDER_WORKING_DAYS
        if stage == "reminder"
        else settings.REFERRAL_ESCALATION_WORKING_DAYS
    )
    params = {
        "referral": referral.pk,
        "days": days,
        "service": _service_names(referral.referred_to_id),
    }
    sent = referral.sent_at.isoformat() if referral.sent_at else ""
    if stage == "reminder":
        recipients, kind = _service_workers(referral.referred_to_id), "referral.reminder"
    else:
        recipients, kind = _coordinators_of(referral), "referral.unanswered"
    for recipient in recipients:
        notification_create(
            recipient=recipient,
            kind=kind,
            params=params,
            url=reverse(
                "carers:partner-referral" if stage == "reminder" else "carers:coordinator-referral",
                args=[referral.pk],
            ),
            key=f"referral:{referral.pk}:{stage}:{sent}",
        )


@_never_raises
def _concern_raised(*, referral) -> None:
    for coordinator in User.objects.filter(roles__contains=[Role.COORDINATOR], is_active=True):
        notification_create(
            recipient=coordinator,
            kind="concern.raised",
            params={"referral": referral.pk},
            url=reverse("carers:coordinator"),
            key=f"concern:{referral.pk}",
        )


for event, receiver in (
    (events.help_request_created, _help_request_created),
    (events.offer_created, _offer_created),
    (events.match_confirmed, _match_confirmed),
    (events.offers_declined, _offers_declined),
    (events.request_cancelled, _request_cancelled),
    (events.request_expiring, _request_expiring),
    (events.visit_logged, _visit_logged),
    (events.proposals_created, _proposals_created),
    (events.message_created, _message_created),
    (events.helper_verified, _helper_verified),
    (events.helper_suspended, _helper_suspended),
    (events.referral_updated, _referral_updated),
    (events.referral_unanswered, _referral_unanswered),
    (events.concern_raised, _concern_raised),
):
    event.connect(receiver, dispatch_uid=f"notifications-{event.name}")

events.user_data_exporting.connect(
    personal_data.notifications_export, dispatch_uid="notifications-export"
)
