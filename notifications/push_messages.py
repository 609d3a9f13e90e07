"""One notification as a Web Push message (RFC 8030), encrypted to the browser (RFC 8291,
aes128gcm) and signed with the server's VAPID key (RFC 8292), through pywebpush.

The payload is the notification's title and body in the recipient's language and the link it
leads to — the same words as the inbox, never a request's description or a message's text
(a phone shows pushes on its lock screen).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.models import Notification, PushSubscription
from notifications.selectors import notification_text

# The push service keeps an undelivered message this long (the phone may be off for a night).
PUSH_TTL_SECONDS = 24 * 3600


class PushGone(Exception):
    """The push service says the subscription no longer exists (404 or 410)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_key() -> Vapid | None:
    """The server's VAPID key pair (settings.VAPID_PRIVATE_KEY), or None when push is off."""
    if not settings.VAPID_PRIVATE_KEY:
        return None
    return Vapid.from_raw(settings.VAPID_PRIVATE_KEY.encode())


def vapid_public_key() -> str | None:
    """The public key browsers subscribe with (applicationServerKey): the uncompressed P-256
    point, base64url without padding. None when push is off."""
    key = vapid_key()
    if key is None:
        return None
    return _b64url(
        key.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def push_payload(*, notification: Notification) -> dict:
    """What the service worker shows: title, body and the link, in the recipient's language."""
    language = notification.recipient.language or settings.LANGUAGE_CODE
    title, body = notification_text(notification=notification, language=language)
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": title,
        "body": body,
        "url": notification.url or "/",
    }


def push_send(*, subscription: PushSubscription, payload: dict) -> int:
    """Sends `payload` to one browser; returns the push service's status.

    Raises PushGone on 404/410 (the caller removes the subscription) and WebPushException or
    a network error on anything else (the caller records it and retries later).
    """
    key = vapid_key()
    if key is None:
        raise WebPushException("push is off: VAPID_PRIVATE_KEY is not set")
    endpoint = urlsplit(subscription.endpoint)
    try:
        response = webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=key,
            # The audience is the push service's origin (RFC 8292 §2); pywebpush adds exp.
            vapid_claims={
                "sub": settings.VAPID_SUBJECT,
                "aud": f"{endpoint.scheme}://{endpoint.netloc}",
            },
            content_encoding="aes128gcm",
            ttl=PUSH_TTL_SECONDS,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            raise PushGone(str(status)) from error
        raise
    return response.status_code
