"""One notification as an e-mail: in the recipient's language, plain text and HTML from
templates, with RFC 8058 one-click unsubscribe headers for that kind only."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from notifications.selectors import notification_text
from notifications.services import unsubscribe_token


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe address for that person and kind."""
    path = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)]
    )
    return f"{settings.PUBLIC_BASE_URL}{path}"


def email_message_build(*, notification: Notification, connection=None) -> EmailMultiAlternatives:
    """The e-mail telling `notification.recipient` about `notification`."""
    recipient = notification.recipient
    language = recipient.language or settings.LANGUAGE_CODE
    title, body = notification_text(notification=notification, language=language)
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=notification.kind)
    link = notification.url
    if link.startswith("/"):
        link = f"{settings.PUBLIC_BASE_URL}{link}"
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
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
