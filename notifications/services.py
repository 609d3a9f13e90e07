"""Writes of notifications: store one, plan its deliveries, mark read, change settings,
unsubscribe by signed token.

`notification_create` runs inside the transaction of the change it tells about (or of the job
that found the recipients): the notification, its delivery rows and the jobs that send them
commit together with that change or not at all. Nothing is sent here — e-mails go out from the
worker (notifications.jobs), never inside an HTTP request or a socket handler; the live event
on `/ws/notifications/` is pushed once the transaction commits.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.selectors import user_may_receive_email
from core import jobs
from core.api_errors import DomainError
from core.realtime import notify_user
from notifications.kinds import KINDS
from notifications.models import (
    Delivery,
    Notification,
    NotificationSettings,
    PendingUnreadCheck,
    PushSubscription,
)
from notifications.selectors import (
    channel_settings_of,
    notification_payload,
    push_subscriptions_exist,
    quiet_hours_wait_seconds,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def notification_create(
    *, recipient, kind: str, params: dict, url: str = "", key: str = ""
) -> Notification | None:
    """Stores a notification for `recipient` and plans its e-mail and push (per their
    settings; push only to a person with a subscribed browser).

    With a `key`, a second call for the same recipient, kind and key does nothing and returns
    None: jobs and events may run twice. Call inside a transaction.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, params=params, url=url, key=key
            )
    except IntegrityError:
        if key:
            return None
        raise
    choices = channel_settings_of(user_id=recipient.pk)
    # Only to an address its owner has proved, when EMAIL_VERIFICATION_REQUIRED is on.
    if user_may_receive_email(user=recipient) and choices["email"].get(kind):
        digest = choices["digest"] == NotificationSettings.Digest.DAILY and KINDS[kind].digestible
        delivery = Delivery.objects.create(
            notification=notification,
            channel=Delivery.Channel.EMAIL,
            status=Delivery.Status.DIGEST if digest else Delivery.Status.PENDING,
        )
        if not digest:
            # Imported here: the jobs module imports this one.
            from notifications.jobs import email_deliver

            jobs.enqueue(
                email_deliver,
                delay_seconds=quiet_hours_wait_seconds(
                    quiet_hours=choices["quiet_hours"], now=timezone.now()
                ),
                delivery_id=delivery.pk,
            )
    # Push needs the server's key (VAPID_PRIVATE_KEY) and a browser the person subscribed.
    if (
        settings.VAPID_PRIVATE_KEY
        and choices["push"].get(kind)
        and push_subscriptions_exist(user_id=recipient.pk)
    ):
        delivery = Delivery.objects.create(notification=notification, channel=Delivery.Channel.PUSH)
        from notifications.jobs import push_deliver

        jobs.enqueue(
            push_deliver,
            delay_seconds=quiet_hours_wait_seconds(
                quiet_hours=choices["quiet_hours"], now=timezone.now()
            ),
            delivery_id=delivery.pk,
        )
    event = {
        "type": "notification.created",
        "notification": notification_payload(
            notification=notification, language=recipient.language
        ),
    }
    try:
        notify_user(user_id=recipient.pk, event=event)  # on commit; never raises for Redis
    except Exception:  # noqa: BLE001 — a live event is a courtesy
        logger.exception("live notification for user %s failed", recipient.pk)
    return notification


def unread_checks_schedule(*, conversation_id: int, reader_ids) -> list[int]:
    """Marks a check for unread messages as pending for each reader of the conversation that has
    none yet; returns those readers (the caller enqueues their checks). One statement, in the
    caller's transaction: a message that is rolled back schedules nothing."""
    if not reader_ids:
        return []
    table = PendingUnreadCheck._meta.db_table
    # A savepoint: the message's transaction must survive a failure here (the receiver that
    # calls this never raises).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (conversation_id, reader_id, created_at)"
            " SELECT %s, reader_id, %s FROM unnest(%s::bigint[]) AS reader_id"
            " ON CONFLICT (conversation_id, reader_id) DO NOTHING RETURNING reader_id",
            [conversation_id, timezone.now(), list(reader_ids)],
        )
        return [reader_id for (reader_id,) in cursor.fetchall()]


def notification_read(*, user, notification_id: int) -> Notification:
    """Marks one of the person's notifications read (again: unchanged). 404 if not theirs."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise DomainError("not_found", "No such notification.", status_code=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user) -> int:
    """Marks every unread notification of the person read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _time_text(value, field: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise DomainError(
            "invalid_quiet_hours", f"quiet_hours.{field} must be a time HH:MM."
        ) from None


def notification_settings_update(*, user, changes: dict) -> dict:
    """Applies the person's choices (any of email, push, digest, quiet_hours) and returns the
    full settings. Unknown kinds or values → 400."""
    if not isinstance(changes, dict) or not changes:
        raise DomainError("invalid", "Send an object with at least one setting.")
    unknown = set(changes) - {"email", "push", "digest", "quiet_hours"}
    if unknown:
        raise DomainError("invalid", f"Unknown fields: {', '.join(sorted(unknown))}.")
    stored, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    for channel in ("email", "push"):
        if channel not in changes:
            continue
        choices = changes[channel]
        if not isinstance(choices, dict) or not all(
            kind in KINDS and isinstance(value, bool) for kind, value in choices.items()
        ):
            raise DomainError(
                f"invalid_{channel}", f"{channel} maps notification kinds to true or false."
            )
        setattr(stored, channel, {**getattr(stored, channel), **choices})
    if "digest" in changes:
        if changes["digest"] not in NotificationSettings.Digest.values:
            raise DomainError("invalid_digest", "digest is off or daily.")
        stored.digest = changes["digest"]
    if "quiet_hours" in changes:
        quiet = changes["quiet_hours"]
        if quiet is None:
            stored.quiet_start = stored.quiet_end = None
        elif isinstance(quiet, dict) and set(quiet) == {"start", "end"}:
            stored.quiet_start = _time_text(quiet["start"], "start")
            stored.quiet_end = _time_text(quiet["end"], "end")
        else:
            raise DomainError("invalid_quiet_hours", "quiet_hours is {start, end} or null.")
    stored.save()
    return channel_settings_of(user_id=user.pk)


# The daily digest's own unsubscribe "kind": every digestible kind at once (the digest gathers
# them, and its one-click link must stop what it brings).
DIGEST = "digest"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed token that turns off e-mails of `kind` (or, with DIGEST, of every digestible
    kind) for that person, without login."""
    return signing.dumps({"user": user_id, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_by_token(*, token: str) -> tuple[int, str]:
    """Turns off e-mails of the token's kind for its person (RFC 8058 one-click); returns
    (user id, kind). A forged or damaged token → 400."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["user"]), str(data["kind"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError("invalid_token", "This unsubscribe link is not valid.") from None
    if kind not in KINDS and kind != DIGEST:
        raise DomainError("invalid_token", "This unsubscribe link is not valid.")
    turned_off = (
        [name for name, spec in KINDS.items() if spec.digestible] if kind == DIGEST else [kind]
    )
    if not get_user_model().objects.filter(pk=user_id).exists():
        return user_id, kind  # an erased account gets no e-mail anyway
    with transaction.atomic():
        stored, _created = NotificationSettings.objects.select_for_update().get_or_create(
            user_id=user_id
        )
        stored.email = {**stored.email, **dict.fromkeys(turned_off, False)}
        stored.save(update_fields=["email", "updated_at"])
    return user_id, kind


# --- Web Push subscriptions -----------------------------------------------------------------

PUSH_KEY_LENGTHS = {"p256dh": 65, "auth": 16}  # bytes: an uncompressed P-256 point, a secret


def _push_key(value, name: str) -> str:
    """A browser key as the Push API gives it (base64url), checked for its length."""
    if not isinstance(value, str) or not value or len(value) > 200:
        raise DomainError("invalid_keys", f"keys.{name} is the browser's base64url key.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise DomainError("invalid_keys", f"keys.{name} is not base64url.") from None
    if len(raw) != PUSH_KEY_LENGTHS[name]:
        raise DomainError(
            "invalid_keys", f"keys.{name} must be {PUSH_KEY_LENGTHS[name]} bytes long."
        )
    return value


def _push_endpoint(value) -> str:
    if not isinstance(value, str) or not value or len(value) > 1000:
        raise DomainError("invalid_endpoint", "endpoint is the push service's URL.")
    parts = urlsplit(value)
    schemes = {"https", "http"} if settings.PUSH_ALLOW_HTTP_ENDPOINTS else {"https"}
    if parts.scheme not in schemes or not parts.hostname or parts.username or parts.password:
        raise DomainError("invalid_endpoint", "endpoint must be an https URL of a push service.")
    return value


def push_subscription_save(*, user, endpoint, keys) -> PushSubscription:
    """Stores (or takes over) the subscription of one browser for `user`.

    The endpoint identifies the browser: subscribing again updates its keys, and a browser
    where someone else signed in before now pushes to `user` only. Bad input → 400.
    """
    endpoint = _push_endpoint(endpoint)
    if not isinstance(keys, dict):
        raise DomainError("invalid_keys", "keys is {p256dh, auth}.")
    p256dh = _push_key(keys.get("p256dh"), "p256dh")
    auth = _push_key(keys.get("auth"), "auth")
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def push_subscription_delete(*, user, subscription_id: int) -> None:
    """Removes one of the person's subscriptions (this browser stops receiving). 404 if it is
    not theirs."""
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, user=user).delete()
    if not deleted:
        raise DomainError("not_found", "No such push subscription.", status_code=404)
