"""The e-mails of accounts: password reset, address verification, notices about the account.

Every one goes through account_email_send, which renders a plain-text and an HTML part in the
recipient's language and sends them at once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def account_email_send(*, to: str, template: str, language: str, context: dict) -> None:
    """Sends the e-mail `template` to `to`, in `language`, now.

    `template` names accounts/templates/accounts/emails/<template>_subject.txt, .txt and .html;
    `context` must be plain values (strings, numbers), already including absolute links, so
    that the sending can move elsewhere unchanged.

    This is the one door of account e-mails on purpose: the job queue being built for
    notifications ("Reach people") will replace its body with "enqueue this e-mail", so that a
    slow or failing mail server never holds up or breaks a sign-in page. Until then it sends
    synchronously, and a failure is logged, not raised: the answer to the person must not
    depend on the mail server (and, for a password reset, must not reveal whether an account
    exists).
    """
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
        text = render_to_string(f"accounts/emails/{template}.txt", context)
        html = render_to_string(f"accounts/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # noqa: BLE001 — SMTP down or refused: logged, the caller answers as usual
        logger.exception("account e-mail %s could not be sent", template)
