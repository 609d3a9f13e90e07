"""Writes of the closed loop (issue 14, docs/REFERRALS.md "The closed loop"): asking and recording
the person's consent for one service, sending, the service's answers, withdrawal and "don't
contact me", and the reminders about sent referrals nobody answered.

Every move is one transaction under the referral's row lock, writes a ReferralStep (status,
when, who and in which role) and an audit row, and sends `referral_updated` so that the person
is told in their language (notifications/receivers.py). Errors are core.api_errors: 400 for
bad input, 404 for a referral the caller may not see, 409 for a move the state does not allow.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carers.consent import SERVICE_CONSENT_WORDINGS, SHARED_FIELDS
from carers.models import (
    AuditAction,
    ClosingOutcome,
    Consent,
    ConsentGivenBy,
    ContactPreference,
    DeclineReason,
    Referral,
    ReferralConsent,
    ReferralStatus,
    ReferralStep,
)
from carers.selectors import person_do_not_contact
from carers.services.referrals import referral_audit_record
from core import events
from core.api_errors import Conflict, DomainError, NotAllowed, NotFound

# Where a coordinator may (re)ask consent or send from; after a service's "no", another
# service can be asked.
_ASK_FROM = (ReferralStatus.DRAFT, ReferralStatus.CONSENT_ASKED, ReferralStatus.DECLINED)
_SEND_FROM = (*_ASK_FROM, ReferralStatus.SENT)


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_coordinator(user) -> None:
    if user is None or not user.is_authenticated or not user.is_coordinator:
        raise NotAllowed("forbidden", _("Only coordinators work on referrals."))


def _refuse_if_do_not_contact(referral: Referral) -> None:
    if person_do_not_contact(user_id=referral.person_id):
        raise Conflict(
            "do_not_contact",
            _("The person asked not to be contacted: no service can be put in touch with them."),
        )


def _refuse_if_closed(referral: Referral) -> None:
    if referral.status == ReferralStatus.CLOSED:
        raise Conflict("referral_closed", _("This referral is closed."))


def _step(
    referral: Referral,
    *,
    old_status: str,
    actor,
    role: str,
    reason: str = "",
    note: str = "",
    extra_changes: dict | None = None,
) -> None:
    """Save the referral, write its step and audit row, and tell whoever must hear of it."""
    referral.save()
    ReferralStep.objects.create(
        referral=referral,
        status=referral.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=role,
        service=referral.referred_to or referral.proposed_service,
        reason=reason,
        note=note,
    )
    changes: dict[str, Any] = {"status": [old_status, referral.status], **(extra_changes or {})}
    details: dict[str, Any] = {"changes": changes, "role": role}
    if reason:
        details["reason"] = reason
    referral_audit_record(
        referrals=[referral], actor=actor, action=AuditAction.UPDATE, details=details
    )
    events.referral_updated.send(referral=referral, changes=changes)


def _active_service(service) -> None:
    if service is None or not service.active:
        raise DomainError("invalid_service", _("Unknown service."), field="service")


def referral_consent_ask(*, referral: Referral, coordinator, service) -> Referral:
    """A coordinator asks the person to agree that this referral be sent to `service`; the
    person is told (referral.consent_asked) and can answer online. 409 when the person asked
    not to be contacted, or the referral is past asking (sent on, accepted, closed)."""
    _require_coordinator(coordinator)
    _active_service(service)
    with transaction.atomic():
        current = _locked(referral)
        _refuse_if_closed(current)
        _refuse_if_do_not_contact(current)
        if current.status not in _ASK_FROM:
            raise Conflict(
                "invalid_transition",
                _("The service already has this referral: withdraw it before asking again."),
            )
        old = current.status
        current.status = ReferralStatus.CONSENT_ASKED
        current.proposed_service = service
        _step(current, old_status=old, actor=coordinator, role="coordinator")
    return current


def referral_consent_record(
    *,
    referral: Referral,
    actor,
    service,
    wording_version: str,
    given_by: str,
    note: str = "",
) -> ReferralConsent:
    """Record the person's consent to share this referral with `service`.

    Given online by the person themself (`given_by: person`, actor = the person), or by a
    coordinator on the person's word (`given_by: coordinator`, with a note saying how: 400
    without). The wording version must be a published one (carers.consent). Recording again
    for a service that already has a live consent returns that consent. 409 `do_not_contact`
    while the person asked not to be contacted, `referral_closed` on a closed referral.
    """
    if given_by not in ConsentGivenBy.values:
        raise DomainError("invalid_given_by", _("Unknown value."), field="given_by")
    is_person = actor.is_authenticated and referral.person_id == actor.pk
    if given_by == ConsentGivenBy.PERSON and not is_person:
        raise DomainError(
            "invalid_given_by",
            _(
                "Only the person can give their consent online; record it as given by a "
                "coordinator, with a note."
            ),
            field="given_by",
        )
    if given_by == ConsentGivenBy.COORDINATOR:
        _require_coordinator(actor)
        if not note.strip():
            raise DomainError(
                "note_required",
                _("Say how the person gave their consent (a phone call, a visit)."),
                field="note",
            )
    if wording_version not in SERVICE_CONSENT_WORDINGS:
        raise DomainError(
            "invalid_wording_version", _("Unknown wording version."), field="wording_version"
        )
    _active_service(service)
    with transaction.atomic():
        current = _locked(referral)
        _refuse_if_closed(current)
        _refuse_if_do_not_contact(current)
        existing = current.consents.filter(service=service, withdrawn_at__isnull=True).first()
        if existing is not None:
            return existing
        consent = ReferralConsent.objects.create(
            referral=current,
            service=service,
            wording_version=wording_version,
            shared_fields=list(SHARED_FIELDS),
            given_by=given_by,
            recorded_by=actor,
            note=note.strip(),
        )
        old_consent = current.consent
        current.consent = Consent.GIVEN
        current.consent_at = consent.given_at
        current.consent_wording_version = wording_version
        current.save(
            update_fields=["consent", "consent_at", "consent_wording_version", "updated_at"]
        )
        changes = {"consent": [old_consent, Consent.GIVEN], "consent_service": [None, service.pk]}
        referral_audit_record(
            referrals=[current],
            actor=actor,
            action=AuditAction.UPDATE,
            details={"changes": changes, "given_by": given_by, "consent": consent.pk},
        )
        events.referral_updated.send(referral=current, changes=changes)
    return consent


def referral_send(*, referral: Referral, coordinator, service) -> Referral:
    """Send the referral to `service`: it appears in that service's list at once.

    Needs a live consent of the person for that very service (409 `consent_required`);
    sending to another service than the one it was sent to moves it (the first service loses
    it). 409 `do_not_contact`, `referral_closed`, or `invalid_transition` once a service has
    accepted it.
    """
    _require_coordinator(coordinator)
    _active_service(service)
    with transaction.atomic():
        current = _locked(referral)
        _refuse_if_closed(current)
        _refuse_if_do_not_contact(current)
        if current.status not in _SEND_FROM:
            raise Conflict(
                "invalid_transition", _("A service is already working on this referral.")
            )
        if not current.consents.filter(service=service, withdrawn_at__isnull=True).exists():
            raise Conflict(
                "consent_required",
                _(
                    "The person has not agreed to be referred to this service: record their "
                    "consent first."
                ),
            )
        if current.status == ReferralStatus.SENT and current.referred_to_id == service.pk:
            return current
        old = current.status
        current.status = ReferralStatus.SENT
        current.referred_to = service
        current.proposed_service = None
        current.sent_at = timezone.now()
        current.reminded_at = current.escalated_at = None
        current.decline_reason = ""
        _step(
            current,
            old_status=old,
            actor=coordinator,
            role="coordinator",
            extra_changes={"referred_to": [None, service.pk]},
        )
    return current


def referral_consent_withdraw(*, referral: Referral, actor, note: str = "") -> Referral:
    """The person (online) or a coordinator (on their word) withdraws every consent of this
    referral: the service loses it at once (its next read is a 404, it leaves its list), and
    the referral goes back to draft (a closed one stays closed). Nothing to withdraw → the
    referral unchanged."""
    is_person = actor.is_authenticated and referral.person_id == actor.pk
    if not is_person:
        _require_coordinator(actor)
    with transaction.atomic():
        current = _locked(referral)
        return _withdraw(
            current, actor=actor, role="person" if is_person else "coordinator", note=note
        )


def _withdraw(current: Referral, *, actor, role: str, note: str = "") -> Referral:
    live = current.consents.filter(withdrawn_at__isnull=True)
    if not live.exists() and current.referred_to_id is None and current.proposed_service_id is None:
        return current
    live.update(withdrawn_at=timezone.now(), withdrawn_by=actor)
    old = current.status
    if current.status != ReferralStatus.CLOSED:
        current.status = ReferralStatus.DRAFT
    current.referred_to = None
    current.proposed_service = None
    current.consent = Consent.REFUSED
    current.consent_at = timezone.now()
    _step(
        current,
        old_status=old,
        actor=actor,
        role=role,
        reason="consent_withdrawn",
        note=note.strip(),
        extra_changes={"consent": ["given", "withdrawn"]},
    )
    return current


def contact_preference_set(*, person, do_not_contact: bool, actor=None, note: str = ""):
    """ "Don't contact me" on or off, by the person or a coordinator for them. Turning it on
    withdraws every consent of every referral of theirs at once."""
    actor = actor or person
    if actor.pk != person.pk:
        _require_coordinator(actor)
    role = "person" if actor.pk == person.pk else "coordinator"
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(
            user=person
        )
        preference.do_not_contact = do_not_contact
        preference.changed_by = actor
        preference.save()
        if do_not_contact:
            for referral in Referral.objects.select_for_update().filter(person=person):
                _withdraw(referral, actor=actor, role=role, note=note)
    return preference


# --- The service's answers -------------------------------------------------------------------

_PARTNER_MOVES = {
    "accept": ((ReferralStatus.SENT,), ReferralStatus.ACCEPTED),
    "decline": ((ReferralStatus.SENT,), ReferralStatus.DECLINED),
    "progress": ((ReferralStatus.ACCEPTED,), ReferralStatus.IN_PROGRESS),
    "close": ((ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS), ReferralStatus.CLOSED),
}


def partner_moves_open(referral: Referral) -> list[str]:
    """The answers a partner service can give now (referral_partner_move's `move`), in the
    loop's order: what its page offers. Any other move is a 409."""
    return [
        move for move, (allowed, _target) in _PARTNER_MOVES.items() if referral.status in allowed
    ]


def referral_partner_move(
    *, referral: Referral, worker, service, move: str, reason: str = "", note: str = ""
) -> Referral:
    """A partner service's worker answers: accept, decline (with a reason from DeclineReason),
    record "in progress", close (with an outcome from ClosingOutcome), each with an optional
    note. The referral must be the service's and its consent live (404 otherwise: the worker
    learns nothing about it); a move the status does not allow → 409 `invalid_transition`."""
    allowed_from, target = _PARTNER_MOVES[move]
    if move == "decline" and reason not in DeclineReason.values:
        raise DomainError(
            "invalid_reason",
            _("The reason must be one of: %(values)s.")
            % {"values": ", ".join(DeclineReason.values)},
            field="reason",
        )
    if move == "close" and reason not in ClosingOutcome.values:
        raise DomainError(
            "invalid_outcome",
            _("The outcome must be one of: %(values)s.")
            % {"values": ", ".join(ClosingOutcome.values)},
            field="outcome",
        )
    with transaction.atomic():
        current = _locked(referral)
        visible = (
            current.referred_to_id == service.pk
            and current.consents.filter(service=service, withdrawn_at__isnull=True).exists()
        )
        if not visible:
            raise NotFound("not_found", _("No such referral."))
        if current.status not in allowed_from:
            raise Conflict(
                "invalid_transition",
                _("This referral is %(status)s: this step is not possible now.")
                % {"status": ReferralStatus(current.status).label},
            )
        old = current.status
        current.status = target
        if move == "decline":
            current.decline_reason = reason
        if move == "close":
            current.closing_outcome = reason
        _step(
            current,
            old_status=old,
            actor=worker,
            role="service_worker",
            reason=reason,
            note=note.strip(),
        )
    return current


# --- Reminders -------------------------------------------------------------------------------


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`. Public holidays are not
    counted out: no source here lists them per region."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def referral_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the service of each sent referral nobody answered after
    REFERRAL_REMINDER_WORKING_DAYS working days, and alert the coordinators after
    REFERRAL_ESCALATION_WORKING_DAYS. Each happens once per sending (a new sending starts
    again). Idempotent: run it as often as you like (manage.py referral_reminders)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = escalated = 0
    waiting = Referral.objects.filter(status=ReferralStatus.SENT, sent_at__isnull=False).filter(
        Q(reminded_at__isnull=True) | Q(escalated_at__isnull=True)
    )
    for referral_id in waiting.values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.status != ReferralStatus.SENT or referral.sent_at is None:
                continue
            waited = working_days_between(timezone.localdate(referral.sent_at), today)
            if referral.reminded_at is None and waited >= settings.REFERRAL_REMINDER_WORKING_DAYS:
                referral.reminded_at = now
                referral.save(update_fields=["reminded_at", "updated_at"])
                events.referral_unanswered.send(referral=referral, stage="reminder")
                reminded += 1
            if (
                referral.escalated_at is None
                and waited >= settings.REFERRAL_ESCALATION_WORKING_DAYS
            ):
                referral.escalated_at = now
                referral.save(update_fields=["escalated_at", "updated_at"])
                events.referral_unanswered.send(referral=referral, stage="escalation")
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}
