"""One notification as an e-mail, or a day's digest of several: in the recipient's language,
plain text and HTML from templates, with RFC 8058 one-click unsubscribe headers for that kind
only (the digest's: the kinds a digest gathers).

Each e-mail has a Message-ID fixed by what it carries (the delivery, or the digest's first
delivery): should a worker die after the mail server accepted a message and before it was
marked sent, the second copy has the same Message-ID, which mail stores and clients use to drop
duplicates (docs/NOTIFICATIONS.md, "Guarantees and their limits").
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.selectors import notification_text
from notifications.services import DIGEST, unsubscribe_token


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe address for that person and kind."""
    path = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)]
    )
    return f"{settings.PUBLIC_BASE_URL}{path}"


def message_id_for(what: str) -> str:
    """A Message-ID (RFC 5322) that is the same each time the same e-mail is built."""
    domain = urlsplit(settings.PUBLIC_BASE_URL).hostname or "tandem.invalid"
    return f"<{what}@{domain}>"


def _absolute(link: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{link}" if link.startswith("/") else link


def _headers(*, unsubscribe: str, language: str, message_id: str) -> dict:
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Content-Language": language,
        "Auto-Submitted": "auto-generated",
        "Message-ID": message_id,
    }


def email_message_build(
    *, notification: Notification, connection=None, delivery_id: int | None = None
) -> EmailMultiAlternatives:
    """The e-mail telling `notification.recipient` about `notification`."""
    recipient = notification.recipient
    language = recipient.language or settings.LANGUAGE_CODE
    title, body = notification_text(notification=notification, language=language)
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=notification.kind)
    link = _absolute(notification.url)
    context = {
        "name": recipient.display_name,
        "title": title,
        "body": body,
        "link": link,
        "unsubscribe_url": unsubscribe,
        "settings_url": f"{settings.PUBLIC_BASE_URL}{reverse('notifications:inbox')}",
        "language": language,
    }
    with translation.override(language):
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(
        subject=title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=connection,
        headers=_headers(
            unsubscribe=unsubscribe,
            language=language,
            message_id=message_id_for(
                f"delivery-{delivery_id}" if delivery_id else f"notification-{notification.pk}"
            ),
        ),
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_message_build(
    *, recipient, notifications: list[Notification], day: str, first_delivery_id: int
) -> EmailMultiAlternatives:
    """The daily digest telling `recipient` about `notifications` (oldest first) in one e-mail."""
    language = recipient.language or settings.LANGUAGE_CODE
    items = []
    for notification in notifications:
        title, body = notification_text(notification=notification, language=language)
        items.append({"title": title, "body": body, "link": _absolute(notification.url)})
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=DIGEST)
    with translation.override(language):
        subject = ngettext(
            "Your day on Tandem: %(count)d new notification",
            "Your day on Tandem: %(count)d new notifications",
            len(items),
        ) % {"count": len(items)}
        context = {
            "name": recipient.display_name,
            "title": subject,
            "items": items,
            "unsubscribe_url": unsubscribe,
            "settings_url": f"{settings.PUBLIC_BASE_URL}{reverse('notifications:inbox')}",
            "language": language,
        }
        text = render_to_string("notifications/digest.txt", context)
        html = render_to_string("notifications/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=_headers(
            unsubscribe=unsubscribe,
            language=language,
            message_id=message_id_for(f"digest-{recipient.pk}-{day}-{first_delivery_id}"),
        ),
    )
    message.attach_alternative(html, "text/html")
    return message
