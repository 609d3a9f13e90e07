"""Domain events: how a lower app tells the apps above it that something happened.

Apps depend one way (README, "Layers"): requests_app may not call carers or messaging, accounts
may not reach into anybody's tables. Instead the lower app sends an event defined here, and each
app that cares connects a receiver in its own `receivers.py` (imported by its AppConfig.ready).
This module names the events and knows no app.

A receiver is connected for one of two moments:

- in the transaction (the default): it runs inside the sender's transaction, for data that must
  change together with the event or not at all — messaging opens the conversation of a confirmed
  match, carers opens a referral for a likely carer's request, each app erases its own rows of an
  account being erased. Its exception propagates and rolls everything back. It may answer with a
  dict of facts (the conversation it opened); the sender gets every answer merged.
- after commit (`after_commit=True`): it runs once the transaction commits (at once outside
  one), for what other people notice — notifications, pushes. Nobody hears of a change that was
  rolled back, and a failing receiver is logged without stopping the others or the sender. It
  receives the event's arguments plus the answers of the in-transaction receivers.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


class DomainEvent:
    """A named event with its documented arguments; see the module docstring for the moments."""

    def __init__(self, name: str, *, arguments: tuple[str, ...], answers: tuple[str, ...] = ()):
        self.name = name
        self.arguments = arguments
        # What in-transaction receivers may answer, handed on to the after-commit ones.
        self.answers = answers
        self._in_transaction = Signal()
        self._after_commit = Signal()

    def __repr__(self) -> str:
        return f"DomainEvent({self.name!r})"

    def connect(self, receiver, *, dispatch_uid: str, after_commit: bool = False) -> None:
        """Connects `receiver(**arguments)`; `dispatch_uid` keeps it from being connected twice."""
        signal = self._after_commit if after_commit else self._in_transaction
        signal.connect(_keyword_only(receiver), weak=False, dispatch_uid=dispatch_uid)

    def send(self, **arguments) -> dict[str, Any]:
        """Runs the in-transaction receivers now, schedules the after-commit ones, and returns
        the answers of the former merged into one dict.

        Call inside the transaction that makes the change. An answer outside `answers`, or two
        receivers answering the same key, is a programming error (ValueError).
        """
        if set(arguments) != set(self.arguments):
            raise TypeError(
                f"{self.name} takes {sorted(self.arguments)}, was sent {sorted(arguments)}"
            )
        answers: dict[str, Any] = {}
        for _receiver, answer in self._in_transaction.send(sender=self, **arguments):
            if not answer:
                continue
            unexpected = (set(answers) & set(answer)) | (set(answer) - set(self.answers))
            if unexpected:
                raise ValueError(
                    f"{self.name}: unexpected or repeated answers {sorted(unexpected)}"
                )
            answers.update(answer)
        if self._after_commit.receivers:
            told = {**{key: None for key in self.answers}, **answers, **arguments}
            transaction.on_commit(lambda: self._send_robust(told))
        return answers

    def _send_robust(self, told: dict) -> None:
        for receiver, result in self._after_commit.send_robust(sender=self, **told):
            if isinstance(result, Exception):
                logger.error(
                    "receiver %s of %s failed",
                    getattr(receiver, "__qualname__", receiver),
                    self.name,
                    exc_info=result,
                )


def _keyword_only(receiver):
    """Django signals pass `signal` and `sender` too; receivers here take only the arguments."""

    def receive(sender, signal=None, **arguments):
        return receiver(**arguments)

    receive.__qualname__ = getattr(receiver, "__qualname__", repr(receiver))
    return receive


# --- The events ------------------------------------------------------------------------------
# Each sender's docstring says when it sends which. Arguments are model instances of the sender.

help_request_created = DomainEvent("help_request_created", arguments=("help_request",))
"""A request was stored (requests_app). In transaction: carers opens a referral for a likely
carer. After commit: nearby helpers are told."""

offer_created = DomainEvent("offer_created", arguments=("offer",))
"""A helper offered (requests_app). After commit: the requester is told."""

match_confirmed = DomainEvent(
    "match_confirmed", arguments=("help_request", "offer"), answers=("conversation",)
)
"""An offer was accepted and the request matched (requests_app). In transaction: messaging opens
the conversation and answers {"conversation": Conversation}. After commit: both people are told."""

account_describing = DomainEvent("account_describing", arguments=("user",), answers=("service",))
"""`GET /api/me/` is being written for `user` (accounts), who plays a role another app knows
more about: the directory answers {"service": id} for a partner service's worker."""

account_page_showing = DomainEvent(
    "account_page_showing", arguments=("user",), answers=("referrals",)
)
"""The person's account page is being written for `user` (accounts): carers answers
{"referrals": {"page": url, "items": [...]}}, their referrals with their steps in words and the
page where they agree, withdraw or ask not to be contacted."""

user_erasing = DomainEvent("user_erasing", arguments=("user",))
"""An account is about to be deleted (accounts), in its transaction: each app erases or detaches
its own rows of that person (GDPR art. 17), before the user row goes."""

user_data_exporting = DomainEvent(
    "user_data_exporting",
    arguments=("user",),
    answers=(
        "helper_profile",
        "help_requests",
        "offers",
        "visits",
        "feedback_written",
        "conversations",
        "assessments",
        "care_diary",
        "referrals",
        "consents",
        "access_log",
        "notifications",
        "notification_settings",
        "calendar_feed",
        "push_subscriptions",
        "directory_contact_changes",
    ),
)
"""A person asked for their data (accounts, GDPR art. 15 and 20): each app answers with its own
sections of the export (the answers named here), e.g. {"help_requests": [...]}."""


# --- What people are told of (notifications/receivers.py) -------------------------------------

offers_declined = DomainEvent("offers_declined", arguments=("help_request", "helper_ids"))
"""Pending offers were declined because the request was matched to someone else, cancelled or
expired (requests_app); `helper_ids` are the helpers who offered."""

request_cancelled = DomainEvent("request_cancelled", arguments=("help_request", "helper_id"))
"""The requester cancelled a request (requests_app); `helper_id` is the helper it was matched
with, or None."""

request_expiring = DomainEvent("request_expiring", arguments=("help_request", "closes_at"))
"""An open request closes within REQUEST_EXPIRING_NOTICE (requests_app, hourly job); `closes_at`
is the moment it will expire. Sent every hour until then: receivers make it once per request
and `closes_at`."""

visit_logged = DomainEvent("visit_logged", arguments=("visit",))
"""The matched helper logged a visit the requester is to confirm (requests_app)."""

proposals_created = DomainEvent("proposals_created", arguments=("proposals",))
"""A batch run proposed requests to helpers (ranking); `proposals` are Proposal rows."""

message_created = DomainEvent("message_created", arguments=("message", "reader_ids"))
"""A new message was stored (messaging); `reader_ids` are the other participants."""

helper_verified = DomainEvent("helper_verified", arguments=("profile",))
"""A coordinator verified a helper's profile for the first time (matching)."""

helper_suspended = DomainEvent("helper_suspended", arguments=("profile", "change"))
"""A coordinator suspended a verified helper (matching; `change` is the VettingChange): they are
no longer matched nor may offer, and the coordinators are told of the helper's open matches."""

referral_updated = DomainEvent("referral_updated", arguments=("referral", "changes"))
"""A referral moved on (carers): a coordinator's change, consent asked, recorded or withdrawn,
sent, or a partner service's answer; `changes` maps changed fields to [old, new] (`status`
among them when the status changed)."""

referral_unanswered = DomainEvent("referral_unanswered", arguments=("referral", "stage"))
"""A referral sent to a service is still unanswered (carers, manage.py referral_reminders):
`stage` "reminder" (tell the service's workers) or "escalation" (tell the coordinators)."""

concern_raised = DomainEvent("concern_raised", arguments=("referral",))
"""A matched helper raised a concern about the person they help (carers)."""
