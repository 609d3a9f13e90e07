"""Telling people about requests and offers: a live event on their notification socket and, for
the things worth an email, an email in their own language.

Everything is sent in `transaction.on_commit`: nobody hears of a request or a match that was
rolled back. Sending is best effort: when Redis or the mail server fails, the failure is logged
and the others are still told; the request or the match itself is never undone by it.

Emails name the category, the duration and the postcode, never the description or the place:
an email can be forwarded or read over a shoulder, and the details are on the site, behind a
login.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_may_receive_email
from core.realtime import notify_user, notify_users
from matching.selectors import eligible_helpers_for
from requests_app.models import HelpRequest

logger = logging.getLogger(__name__)

# Bounded so that one request in a dense city never fans out to thousands of people.
MAX_HELPERS_NOTIFIED = 50


def _notify(*, user_id: int, event: dict) -> None:
    try:
        notify_user(user_id=user_id, event=event)
    except Exception:  # noqa: BLE001 — a live event is a courtesy; never break the caller
        logger.exception("notification event %s for user %s failed", event.get("type"), user_id)


def _email(*, user: User, subject: str, body: str, connection=None) -> None:
    """Sends one email; failures are logged, not raised. Nothing goes to an address its owner
    has not verified, when EMAIL_VERIFICATION_REQUIRED is on (accounts.selectors)."""
    if not user_may_receive_email(user=user):
        return
    try:
        mail.EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            connection=connection,
        ).send()
    except Exception:  # noqa: BLE001 — SMTP down or a bad address must not stop the others
        logger.exception("notification email to user %s failed", user.pk)


def _duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


# --- A new request ---------------------------------------------------------------------------


def helpers_to_notify(*, help_request) -> list[User]:
    """The users of the eligible helpers nearest to the request, at most MAX_HELPERS_NOTIFIED."""
    profiles = (
        eligible_helpers_for(help_request=help_request)
        .select_related("user")
        .annotate(distance=Distance("location", help_request.location))
        .order_by("distance", "pk")
        # Only what the event and the email use: a profile row carries its coverage polygons
        # (kilobytes each, parsed into GEOS objects), which took half of this function's time.
        .only(
            "user__id",
            "user__email",
            "user__email_verified_at",
            "user__display_name",
            "user__language",
        )[:MAX_HELPERS_NOTIFIED]
    )
    return [profile.user for profile in profiles]


def _send_request_created(help_request_id: int) -> None:
    help_request = HelpRequest.objects.filter(pk=help_request_id).first()
    if help_request is None:
        return
    try:
        helpers = helpers_to_notify(help_request=help_request)
    except Exception:  # noqa: BLE001
        logger.exception("finding helpers to notify of request %s failed", help_request_id)
        return
    event = {
        "type": "request.created",
        "request": help_request.pk,
        "category": help_request.category,
    }
    try:
        notify_users(user_ids=[user.pk for user in helpers], event=event)
    except Exception:  # noqa: BLE001 — a live event is a courtesy; the emails still go
        logger.exception("notification events for request %s failed", help_request_id)
    connection = None
    try:
        connection = mail.get_connection()
        connection.open()
    except Exception:  # noqa: BLE001
        logger.exception("opening the mail connection failed")
    # The category's name once per language, not twice per email (get_category_display
    # translates every choice of the field to find one).
    category_names: dict[str, str] = {}
    try:
        for user in helpers:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                language = translation.get_language()
                if language not in category_names:
                    category_names[language] = help_request.get_category_display()
                category = category_names[language]
                _email(
                    user=user,
                    subject=_("Someone near you asks for help: %(category)s")
                    % {"category": category},
                    body=_(
                        "Hello %(name)s,\n\n"
                        "Someone in your neighbourhood (%(postcode)s) asks for help: "
                        "%(category)s, %(duration)s.\n\n"
                        "Sign in to Tandem and open your helper page to read the request "
                        "and offer your help.\n\n"
                        "You receive this email because your helper profile covers this "
                        "place and category."
                    )
                    % {
                        "name": user.display_name,
                        "postcode": help_request.postcode or "—",
                        "category": category,
                        "duration": _duration_text(help_request.duration_minutes),
                    },
                    connection=connection,
                )
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                logger.exception("closing the mail connection failed")


def request_created_notify(*, help_request) -> None:
    """On commit: the nearest eligible helpers get a "request.created" event and an email."""
    help_request_id = help_request.pk
    transaction.on_commit(lambda: _send_request_created(help_request_id))


# --- Offers ----------------------------------------------------------------------------------


def offer_created_notify(*, offer) -> None:
    """On commit: the requester gets an "offer.created" event."""
    requester_id = offer.request.requester_id
    if requester_id is None:
        return
    event = {
        "type": "offer.created",
        "offer": offer.pk,
        "request": offer.request_id,
        "helper": offer.helper_id,
    }
    transaction.on_commit(lambda: _notify(user_id=requester_id, event=event))


def _send_offer_accepted(*, helper_id: int, event: dict) -> None:
    helper = User.objects.filter(pk=helper_id).first()
    if helper is None:
        return
    _notify(user_id=helper.pk, event=event)
    with translation.override(helper.language or settings.LANGUAGE_CODE):
        _email(
            user=helper,
            subject=_("Your offer of help was accepted"),
            body=_(
                "Hello %(name)s,\n\n"
                "Your offer of help was accepted. A conversation with the person you will help "
                "is open on Tandem: sign in to agree on the details together.\n\n"
                "Thank you for your help."
            )
            % {"name": helper.display_name},
        )


def offer_accepted_notify(*, offer, conversation) -> None:
    """On commit: the helper gets an "offer.accepted" event and an email."""
    helper_id = offer.helper_id
    event = {
        "type": "offer.accepted",
        "offer": offer.pk,
        "request": offer.request_id,
        "conversation": conversation.pk,
    }
    transaction.on_commit(lambda: _send_offer_accepted(helper_id=helper_id, event=event))
