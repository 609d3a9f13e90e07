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
- `email_digests_plan` (daily at NOTIFICATION_DIGEST_TIME, core/periodic.py) enqueues one
  `email_digest_deliver` per person whose digestible e-mails wait (`status=digest`), delayed to
  the end of their quiet hours; that job claims the waiting rows with one conditional UPDATE,
  like `email_deliver`, and sends them as one e-mail.
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
from notifications.email_messages import digest_message_build, email_message_build
from notifications.kinds import KINDS
from notifications.models import Delivery, Notification, PendingUnreadCheck, PushSubscription
from notifications.push_messages import PushGone, push_payload, push_send
from notifications.selectors import (
    channel_settings_of,
    push_subscriptions_of,
    quiet_hours_wait_seconds,
)
from notifications.services import notification_create
from requests_app.models import HelpRequest, RequestStatus

logger = logging.getLogger(__name__)

# Bounded so that one request in a dense city never fans out to thousands of people.
MAX_HELPERS_NOTIFIED = 50


def _quiet_hours_wait(*, recipient_id: int, now) -> float:
    return quiet_hours_wait_seconds(
        quiet_hours=channel_settings_of(user_id=recipient_id)["quiet_hours"], now=now
    )


@task()
def email_deliver(*, delivery_id: int) -> str:
    """Sends the e-mail of one delivery row; see the module docstring."""
    now = timezone.now()
    row = (
        Delivery.objects.filter(pk=delivery_id).values_list("notification__recipient_id", "status")
    ).first()
    if row is None:
        return "gone"
    # Due in the person's quiet hours (a retry, or quiet hours chosen since it was planned):
    # it waits until they end.
    wait = _quiet_hours_wait(recipient_id=row[0], now=now)
    if wait and row[1] == Delivery.Status.PENDING:
        jobs.enqueue(email_deliver, delay_seconds=wait, delivery_id=delivery_id)
        return "quiet hours"
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
        email_message_build(notification=notification, delivery_id=delivery_id).send()
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
def conversation_unread_check(*, conversation_id: int, reader_id: int) -> bool:
    """Tells `reader_id` of the conversation's newest message still unread, once per
    conversation until they read the notification. Returns whether they were told.

    Scheduled MESSAGE_UNREAD_DELAY_SECONDS after the first message of a burst, while no check
    is pending (services.unread_checks_schedule); its pending mark goes first, so a message
    written while it runs schedules the next check.
    """
    PendingUnreadCheck.objects.filter(conversation_id=conversation_id, reader_id=reader_id).delete()
    participant = (
        Participant.objects.filter(conversation_id=conversation_id, user_id=reader_id)
        .select_related("user")
        .first()
    )
    if participant is None:
        return False
    newest_unread = (
        Message.objects.filter(
            conversation_id=conversation_id, pk__gt=participant.last_read_message_id
        )
        .exclude(sender_id=reader_id)
        .select_related("sender")
        .order_by("-pk")
        .first()
    )
    if newest_unread is None:
        return False
    return _tell_of_unread_message(message=newest_unread, participant=participant)


@task()
@jobs.retried
def message_unread_check(*, message_id: int, reader_id: int) -> bool:
    """The check as it was enqueued once per message before conversation_unread_check: kept
    for the jobs a deployment still has queued. Returns whether the reader was told."""
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
    return _tell_of_unread_message(message=message, participant=participant)


def _tell_of_unread_message(*, message: Message, participant: Participant) -> bool:
    reader_id = participant.user_id
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


DIGESTIBLE_KINDS = [name for name, kind in KINDS.items() if kind.digestible]


@task()
@jobs.retried
def email_digests_plan(*, slot: str) -> int:
    """The day's digests: one `email_digest_deliver` job per person with e-mails waiting for
    it, held back until their quiet hours end. Returns how many were planned.

    Run twice (a retry), it plans a person twice: the second job finds nothing left to claim.
    """
    recipient_ids = sorted(
        set(
            Delivery.objects.filter(
                channel=Delivery.Channel.EMAIL, status=Delivery.Status.DIGEST
            ).values_list("notification__recipient_id", flat=True)
        )
    )
    now = timezone.now()
    for recipient_id in recipient_ids:
        jobs.enqueue(
            email_digest_deliver,
            delay_seconds=_quiet_hours_wait(recipient_id=recipient_id, now=now),
            recipient_id=recipient_id,
            day=slot,
        )
    return len(recipient_ids)


def _digest_rows(*, recipient_id: int):
    return Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL,
        notification__recipient_id=recipient_id,
        notification__kind__in=DIGESTIBLE_KINDS,
    )


@task()
def email_digest_deliver(*, recipient_id: int, day: str) -> str:
    """Sends one person's digest: every digestible e-mail waiting for them, in one message.

    Idempotent like `email_deliver`: the waiting rows are claimed (digest → sending) with one
    conditional UPDATE stamped with this run's moment, so a second run, or a second worker,
    finds nothing to send; rows left `sending` by a worker that died are taken over once their
    lease ran out. A failed send puts the rows back to wait and retries with back-off.
    """
    now = timezone.now()
    wait = _quiet_hours_wait(recipient_id=recipient_id, now=now)
    if wait:
        jobs.enqueue(email_digest_deliver, delay_seconds=wait, recipient_id=recipient_id, day=day)
        return "quiet hours"
    lease = now - datetime.timedelta(seconds=settings.JOBS_RUNNING_LEASE_SECONDS)
    claimed = (
        _digest_rows(recipient_id=recipient_id)
        .filter(
            Q(status=Delivery.Status.DIGEST)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=lease)
        )
        .update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "already handled"
    rows = list(
        _digest_rows(recipient_id=recipient_id)
        .filter(status=Delivery.Status.SENDING, claimed_at=now)
        .select_related("notification__recipient")
        .order_by("notification__created_at", "pk")
    )
    recipient = rows[0].notification.recipient
    choices = channel_settings_of(user_id=recipient_id)["email"]
    may_receive = user_may_receive_email(user=recipient)
    # Kinds turned off since they were gathered are not sent.
    skipped = [row.pk for row in rows if not may_receive or not choices.get(row.notification.kind)]
    rows = [row for row in rows if row.pk not in skipped]
    Delivery.objects.filter(pk__in=skipped).update(status=Delivery.Status.SKIPPED)
    if not rows:
        return "turned off"
    ids = [row.pk for row in rows]
    attempts = max(row.attempts for row in rows)
    try:
        digest_message_build(
            recipient=recipient,
            notifications=[row.notification for row in rows],
            day=day,
            first_delivery_id=ids[0],
        ).send()
    except Exception as error:
        final = attempts >= settings.JOBS_MAX_ATTEMPTS
        with transaction.atomic():
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.FAILED if final else Delivery.Status.DIGEST,
                last_error=repr(error)[:2000],
            )
            if not final:
                jobs.enqueue(
                    email_digest_deliver,
                    delay_seconds=jobs.retry_delay_seconds(attempts),
                    recipient_id=recipient_id,
                    day=day,
                )
        logger.warning(
            "digest e-mail failed",
            extra={"recipient": recipient_id, "attempt": attempts, "final": final},
        )
        if final:
            raise
        return "retry"
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return f"sent {len(ids)}"
