"""Reads of notifications: a person's inbox rendered in a language, their unread count, their
channel settings with the defaults filled in."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from core.api_values import date_time_text
from notifications.kinds import KINDS, Kind
from notifications.models import Notification, NotificationSettings, PushSubscription


def notification_text(*, notification: Notification, language: str) -> tuple[str, str]:
    """(title, body) of `notification` in `language`."""
    kind = KINDS.get(notification.kind)
    with translation.override(language or settings.LANGUAGE_CODE):
        if kind is None:  # a kind retired since: still listed, never an error
            return notification.kind, ""
        return kind.render(notification.params or {})


def notification_payload(*, notification: Notification, language: str) -> dict:
    """The API's (and the socket's) form of one notification, written in `language`."""
    title, body = notification_text(notification=notification, language=language)
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "created_at": date_time_text(notification.created_at),
        "read_at": date_time_text(notification.read_at) if notification.read_at else None,
        "title": title,
        "body": body,
        "url": notification.url,
    }


def notifications_of(*, user, unread_only: bool = False, limit: int = 100):
    """The person's notifications, newest first (at most `limit`)."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return list(rows.order_by("-created_at", "-id")[:limit])


def unread_count(*, user_id: int) -> int:
    """How many notifications the person has not read (the bell's number)."""
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def channel_settings_of(*, user_id: int) -> dict:
    """{email: {kind: bool}, push: {kind: bool}, digest, quiet_hours: {start, end} | None},
    every kind present: the person's choices over the defaults."""
    stored = NotificationSettings.objects.filter(user_id=user_id).first()
    email = {name: kind.email for name, kind in KINDS.items()}
    push = {name: kind.push for name, kind in KINDS.items()}
    quiet_hours = None
    digest = NotificationSettings.Digest.OFF
    if stored is not None:
        email.update({k: v for k, v in stored.email.items() if k in KINDS})
        push.update({k: v for k, v in stored.push.items() if k in KINDS})
        digest = stored.digest
        if stored.quiet_start is not None and stored.quiet_end is not None:
            quiet_hours = {
                "start": stored.quiet_start.strftime("%H:%M"),
                "end": stored.quiet_end.strftime("%H:%M"),
            }
    return {"email": email, "push": push, "digest": digest, "quiet_hours": quiet_hours}


def kinds_for_roles(*, roles: list[str]) -> list[Kind]:
    """The kinds of notification a person with these roles can receive (a person may both ask
    and offer help), in the order of KINDS: what their settings page offers."""
    return [kind for kind in KINDS.values() if kind.audience.intersection(roles)]


def quiet_hours_wait_seconds(*, quiet_hours: dict | None, now: datetime.datetime) -> float:
    """How long to hold a message back because it is the person's quiet time (0 if it is not).

    Quiet hours are local times (TIME_ZONE) and may span midnight (22:00–07:00).
    """
    if not quiet_hours:
        return 0.0
    start = datetime.time.fromisoformat(quiet_hours["start"])
    end = datetime.time.fromisoformat(quiet_hours["end"])
    if start == end:
        return 0.0
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    moment = local.time()
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return 0.0
    end_at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if end_at <= local:
        end_at += datetime.timedelta(days=1)
    return (end_at - local).total_seconds()


def push_subscriptions_exist(*, user_id: int) -> bool:
    """Whether the person has at least one browser subscribed to Web Push."""
    return PushSubscription.objects.filter(user_id=user_id).exists()


def push_subscriptions_of(*, user_id: int) -> list[PushSubscription]:
    """The person's subscribed browsers, oldest first."""
    return list(PushSubscription.objects.filter(user_id=user_id).order_by("id"))
