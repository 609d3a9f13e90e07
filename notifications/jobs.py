"""The background jobs of notifications (run by `manage.py jobs_worker`, core/jobs.py).

- `email_deliver`: sends one notification's e-mail. Idempotent: it claims the delivery row
  with one conditional UPDATE, so a job run twice (a retry, a worker that died and was
  replaced, two workers) sends once. A failed send is recorded on the row and retried with
  back-off; the person's settings are never touched by a failure.
- `push_deliver`: sends one notification by Web Push to the person's browsers; a browser the
  push service says is gone (404/410) loses its subscription.
- `nearby_helpers_tell`: a new request's nearest eligible helpers (at most
  MAX_HELPERS_NOTIFIED) get a notification — the search and the fan-out run here, not in the
  request that created it.
- `message_unread_check`: some minutes after a message, its reader is told if it is still
  unread.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.selectors import user_may_receive_email
from core import jobs
from core.realtime import notify_users
from matching.selectors import eligible_helpers_for
from messaging.models import Message, Participant
from notifications.email_messages import email_message_build
from notifications.models import Delivery, Notification, PushSubscription
from notifications.push_messages import PushGone, push_payload, push_send
from notifications.selectors import channel_settings_of, push_subscriptions_of
from notifications.services import notification_create
from requests_app.models import HelpRequest, RequestStatus

logger = logging.getLogger(__name__)

# Bounded so that one request in a dense city never fans out to thousands of people.
MAX_HELPERS_NOTIFIED = 50


@task()
def email_deliver(*, delivery_id: int) -> str:
    """Sends the e-mail of one delivery row; see the module docstring."""
    now = timezone.now()
    lease = now - datetime.timedelta(seconds=settings.JOBS_RUNNING_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(pk=delivery_id, channel=Delivery.Channel.EMAIL)
        .filter(
            Q(status=Delivery.Status.PENDING)
            # A claim whose worker died mid-send: taken over once its lease ran out.
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=lease)
        )
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "already handled"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    notification = delivery.notification
    recipient = notification.recipient
    # The person may have turned these e-mails off since the notification was created.
    if not user_may_receive_email(user=recipient) or not channel_settings_of(user_id=recipient.pk)[
        "email"
    ].get(notification.kind):
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.SKIPPED)
        return "turned off"
    try:
        email_message_build(notification=notification).send()
    except Exception as error:
        final = delivery.attempts >= settings.JOBS_MAX_ATTEMPTS
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
                last_error=repr(error)[:2000],
            )
            if not final:
                jobs.enqueue(
                    email_deliver,
                    delay_seconds=jobs.retry_delay_seconds(delivery.attempts),
                    delivery_id=delivery_id,
                )
        logger.warning(
            "notification e-mail failed",
            extra={
                "delivery": delivery_id,
                "attempt": delivery.attempts,
                "final": final,
                "error": repr(error),
            },
        )
        if final:
            raise  # recorded as a failed job: `manage.py jobs_failed`
        return "retry"
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _delivery_claim(*, delivery_id: int, channel: str) -> bool:
    """Takes the delivery row for this run (pending → sending, or a claim whose worker died
    and whose lease ran out): one conditional UPDATE, so two runs never both send."""
    now = timezone.now()
    lease = now - datetime.timedelta(seconds=settings.JOBS_RUNNING_LEASE_SECONDS)
    return bool(
        Delivery.objects.filter(pk=delivery_id, channel=channel)
        .filter(
            Q(status=Delivery.Status.PENDING)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=lease)
        )
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


@task()
def push_deliver(*, delivery_id: int) -> str:
    """Sends one notification by Web Push to each browser its person subscribed.

    Idempotent like email_deliver (the delivery row is claimed). A browser whose push service
    answers 404 or 410 is gone: its subscription is deleted. Any other failure is recorded on
    the row and the job retried with back-off. A retry sends to every browser again: one that
    already had it shows it once all the same, since the service worker tags each push with
    the notification's id and a second one replaces the first.
    """
    if not _delivery_claim(delivery_id=delivery_id, channel=Delivery.Channel.PUSH):
        return "already handled"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    notification = delivery.notification
    recipient = notification.recipient
    if not channel_settings_of(user_id=recipient.pk)["push"].get(notification.kind):
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.SKIPPED)
        return "turned off"
    payload = push_payload(notification=notification)
    delivered, gone, errors = 0, 0, []
    for subscription in push_subscriptions_of(user_id=recipient.pk):
        try:
            push_send(subscription=subscription, payload=payload)
        except PushGone:
            subscription.delete()
            gone += 1
        except Exception as error:  # noqa: BLE001 — recorded, retried
            errors.append(repr(error))
        else:
            delivered += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(
                last_success_at=timezone.now()
            )
    if errors:
        final = delivery.attempts >= settings.JOBS_MAX_ATTEMPTS
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
                last_error="; ".join(errors)[:2000],
            )
            if not final:
                jobs.enqueue(
                    push_deliver,
                    delay_seconds=jobs.retry_delay_seconds(delivery.attempts),
                    delivery_id=delivery_id,
                )
        logger.warning(
            "push failed",
            extra={"delivery": delivery_id, "attempt": delivery.attempts, "errors": errors},
        )
        if final:
            raise RuntimeError(f"push of delivery {delivery_id} failed: {errors[-1]}")
        return "retry"
    if not delivered:
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.SKIPPED,
            last_error=f"no browser subscribed any more ({gone} gone)",
        )
        return "no subscription"
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def helpers_to_notify(*, help_request):
    """The users of the eligible helpers nearest to the request, at most MAX_HELPERS_NOTIFIED."""
    profiles = (
        eligible_helpers_for(help_request=help_request)
        .select_related("user")
        .annotate(distance=Distance("location", help_request.location))
        .order_by("distance", "pk")
        # Only what the notification uses: a profile row carries its coverage polygons
        # (kilobytes each, parsed into GEOS objects).
        .only("user__id", "user__email", "user__display_name", "user__language")[
            :MAX_HELPERS_NOTIFIED
        ]
    )
    return [profile.user for profile in profiles]


@task()
@jobs.retried
def nearby_helpers_tell(*, help_request_id: int) -> int:
    """A new open request: its nearest eligible helpers get "request.nearby" (and the older
    live event "request.created"). Returns how many were told."""
    help_request = HelpRequest.objects.filter(pk=help_request_id).first()
    if help_request is None or help_request.status != RequestStatus.OPEN:
        return 0
    helpers = helpers_to_notify(help_request=help_request)
    params = {
        "request": help_request.pk,
        "category": help_request.category,
        "postcode": help_request.postcode or "",
        "duration_minutes": help_request.duration_minutes,
    }
    url = reverse("helper_pages:helper")
    for helper in helpers:
        notification_create(
            recipient=helper,
            kind="request.nearby",
            params=params,
            url=url,
            key=f"request:{help_request.pk}",
        )
    try:
        notify_users(
            user_ids=[helper.pk for helper in helpers],
            event={
                "type": "request.created",
                "request": help_request.pk,
                "category": help_request.category,
            },
        )
    except Exception:  # noqa: BLE001 — a live event is a courtesy; the inbox has it
        logger.exception("live events of request %s failed", help_request.pk)
    return len(helpers)


@task()
@jobs.retried
def message_unread_check(*, message_id: int, reader_id: int) -> bool:
    """Tells `reader_id` of a message still unread, once per conversation until they read
    the notification. Returns whether they were told."""
    message = Message.objects.filter(pk=message_id).select_related("sender", "conversation").first()
    if message is None:
        return False
    participant = (
        Participant.objects.filter(conversation_id=message.conversation_id, user_id=reader_id)
        .select_related("user")
        .first()
    )
    if participant is None or participant.last_read_message_id >= message.pk:
        return False
    already = Notification.objects.filter(
        recipient_id=reader_id,
        kind="message.unread",
        params__conversation=message.conversation_id,
        read_at__isnull=True,
    ).exists()
    if already:
        return False
    notification_create(
        recipient=participant.user,
        kind="message.unread",
        params={
            "conversation": message.conversation_id,
            "name": message.sender.display_name if message.sender else "",
        },
        url=reverse("messaging:conversation", args=[message.conversation_id]),
        key=f"message:{message.pk}",
    )
    return True
