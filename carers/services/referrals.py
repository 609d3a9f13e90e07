"""Writes for referrals: opening them (request signal, assessment, helper concern, coordinator),
moving them on, auditing every read and change, closing them when an account is erased."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessKind
from audit.services import accesses_recorded
from carers.consent import CURRENT_CONSENT_VERSION, SHARED_FIELDS
from carers.models import (
    REFERRAL_STATUS_RANK,
    V1_STATUS_ALIASES,
    Assessment,
    AuditAction,
    ConcernKind,
    Consent,
    ConsentGivenBy,
    Referral,
    ReferralAudit,
    ReferralConsent,
    ReferralNote,
    ReferralSource,
    ReferralStatus,
    ReferralStep,
)
from carers.referral_reasons import SIGNAL_PREFIX
from core import events
from core.api_errors import Conflict, DomainError
from detection.carer_situation import CarerSignal
from geo.selectors import postcode_get


def _municipality_for_postcode(postcode: str):
    place = postcode_get(code=postcode) if postcode else None
    return place.municipality if place is not None else None


def referral_audit_record(
    *, referrals: Iterable[Referral], actor, action: str, details: dict | None = None
) -> None:
    """One audit row per referral: who did `action` to it, now."""
    actor = actor if actor is not None and actor.is_authenticated else None
    ReferralAudit.objects.bulk_create(
        [
            ReferralAudit(referral=referral, actor=actor, action=action, details=details or {})
            for referral in referrals
        ]
    )


def referral_reads_record(
    *,
    referrals: list[Referral],
    reader,
    action: str,
    route: str,
    details: dict | None = None,
    role: str = "coordinator",
    organisation: str | None = None,
) -> None:
    """A coordinator (or a partner service's worker: `role="service_worker"` with their
    service's name as `organisation`) saw these referrals (`action` LIST or READ): one row per
    referral in its own audit trail, and one per referral about someone in that person's
    access log (the audit app, shown to them on their account page). The one call site of
    every read of a referral."""
    referral_audit_record(referrals=referrals, actor=reader, action=action, details=details)
    accesses_recorded(
        reader=reader,
        role=role,
        what=AccessKind.REFERRAL,
        reads=[(referral.person_id, referral.pk) for referral in referrals],
        purpose="referral_queue" if action == AuditAction.LIST else "referral_detail",
        route=route,
        organisation=organisation,
    )


def referral_open_for_request(*, help_request, signal: CarerSignal | None) -> Referral | None:
    """Open the referral of a help request whose carer signal says `likely_carer`.

    The reasons are stored as codes with their parameters (`signal.<code>`, carers.referral_reasons
    renders them in each reader's language), not as the sentences the requester was shown.

    Idempotent per request: calling it again returns the referral already open (a database
    constraint backs this against two concurrent calls). Consent is `pending`: the person has
    not been asked yet, so nothing is shared with a service until a coordinator records it.
    Returns None when the signal does not say likely_carer.
    """
    if signal is None or not signal.likely_carer:
        return None
    existing = Referral.objects.filter(
        help_request=help_request, source=ReferralSource.REQUEST
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=help_request.requester,
                source=ReferralSource.REQUEST,
                reasons=[
                    {"code": SIGNAL_PREFIX + reason["code"], "params": dict(reason["params"])}
                    for reason in signal.reason_codes
                ],
                municipality=_municipality_for_postcode(help_request.postcode),
                postcode=help_request.postcode or "",
                help_request=help_request,
            )
            referral_audit_record(
                referrals=[referral],
                actor=None,
                action=AuditAction.CREATE,
                details={"source": ReferralSource.REQUEST, "help_request": help_request.pk},
            )
    except IntegrityError:
        # Another call opened it in the meantime.
        return Referral.objects.get(help_request=help_request, source=ReferralSource.REQUEST)
    return referral


def _assessment_reasons(assessment: Assessment) -> list[dict[str, Any]]:
    outcome = assessment.outcome or {}
    return [
        {
            "code": "assessment.outcome",
            "params": {
                "general": outcome.get("general", {}).get("status", ""),
                "social_rights": outcome.get("social_rights", {}).get("status", ""),
                "rules_version": assessment.rules_version,
            },
        },
        {"code": "assessment.contact_requested", "params": {}},
    ]


def referral_open_for_assessment(
    *, assessment: Assessment, consent_wording_version: str = CURRENT_CONSENT_VERSION
) -> Referral | None:
    """Open the referral of an assessment whose author agreed to be contacted.

    The contact details stay on the assessment (stored only with consent); the referral
    records the consent, its time and the version of the wording shown. Idempotent per
    assessment. Returns None without consent.
    """
    if not assessment.contact_consent:
        return None
    existing = Referral.objects.filter(
        assessment=assessment, source=ReferralSource.ASSESSMENT
    ).first()
    if existing is not None:
        return existing
    referral = Referral.objects.create(
        person=assessment.user,
        source=ReferralSource.ASSESSMENT,
        reasons=_assessment_reasons(assessment),
        consent=Consent.GIVEN,
        consent_at=timezone.now(),
        consent_wording_version=consent_wording_version,
        municipality=_municipality_for_postcode(assessment.postcode),
        postcode=assessment.postcode,
        assessment=assessment,
    )
    referral_audit_record(
        referrals=[referral],
        actor=assessment.user,
        action=AuditAction.CREATE,
        details={"source": ReferralSource.ASSESSMENT, "assessment": assessment.pk},
    )
    return referral


@transaction.atomic
def referral_open_for_concern(*, helper_user, help_request, kind: str, text: str = "") -> Referral:
    """A matched helper is worried about the person they help (isolation, exhaustion,
    neglect): the coordinators hear of it.

    Only the request's matched helper may raise a concern (403 otherwise). A second concern
    about the same request while its concern referral is still open joins that referral
    (another reason and note) instead of opening a new one.
    """
    if kind not in ConcernKind.values:
        raise DomainError(
            "invalid_kind",
            _("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(ConcernKind.values)},
        )
    if help_request.matched_helper_id is None or help_request.matched_helper_id != helper_user.pk:
        raise DomainError(
            "not_matched_helper",
            _("Only the helper matched with this request can raise a concern."),
            status_code=403,
        )
    referral = (
        Referral.objects.select_for_update()
        .filter(help_request=help_request, source=ReferralSource.HELPER_CONCERN)
        .exclude(status=ReferralStatus.CLOSED)
        .first()
    )
    reason = {"code": "concern", "params": {"kind": kind}}
    if referral is None:
        referral = Referral.objects.create(
            person=help_request.requester,
            source=ReferralSource.HELPER_CONCERN,
            reasons=[reason],
            municipality=_municipality_for_postcode(help_request.postcode),
            postcode=help_request.postcode or "",
            help_request=help_request,
            raised_by=helper_user,
        )
        action = AuditAction.CREATE
        events.concern_raised.send(referral=referral)
    else:
        if reason not in referral.reasons:
            referral.reasons = [*referral.reasons, reason]
            referral.save(update_fields=["reasons", "updated_at"])
        action = AuditAction.UPDATE
    if text.strip():
        ReferralNote.objects.create(referral=referral, author=helper_user, text=text.strip())
    referral_audit_record(
        referrals=[referral],
        actor=helper_user,
        action=action,
        details={"source": ReferralSource.HELPER_CONCERN, "concern": kind},
    )
    return referral


def _require_coordinator(user) -> None:
    if user is None or not user.is_authenticated or not user.is_coordinator:
        raise DomainError("forbidden", _("Only coordinators work on referrals."), status_code=403)


@transaction.atomic
def referral_create_manual(
    *, coordinator, postcode: str = "", note: str = "", reasons: list | None = None
) -> Referral:
    """A coordinator records someone they heard about (a phone call, a partner's tip)."""
    _require_coordinator(coordinator)
    referral = Referral.objects.create(
        source=ReferralSource.MANUAL,
        reasons=reasons or [{"code": "manual", "params": {}}],
        municipality=_municipality_for_postcode(postcode),
        postcode=postcode or "",
        assigned_to=coordinator,
    )
    if note.strip():
        ReferralNote.objects.create(referral=referral, author=coordinator, text=note.strip())
    referral_audit_record(
        referrals=[referral],
        actor=coordinator,
        action=AuditAction.CREATE,
        details={"source": ReferralSource.MANUAL},
    )
    return referral


UNCHANGED: Any = object()


def referral_update(
    *,
    referral: Referral,
    coordinator,
    status: str | None = None,
    note: str = "",
    referred_to: Any = UNCHANGED,
    assigned_to: Any = UNCHANGED,
    consent: str | None = None,
    outcome: str | None = None,
) -> Referral:
    """A coordinator moves a referral on, and the change is audited.

    Rules (docs/REFERRALS.md): statuses only move forward (new → contacted → referred →
    closed, steps may be skipped) and closed is final, except for notes (409
    `invalid_transition` / `referral_closed`); `referred_to` can be set only once consent is
    given (409 `consent_required`); consent moves from pending to given or refused, and a
    given consent can be withdrawn until the referral has been shared (409
    `consent_already_used`); `assigned_to` must be a coordinator. Locks the row, so two
    coordinators saving at once apply one after the other.
    """
    _require_coordinator(coordinator)
    status = V1_STATUS_ALIASES.get(status, status) if status is not None else None
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        changes: dict[str, list[Any]] = {}

        def change(field: str, value: Any) -> None:
            old = getattr(current, field)
            if old != value:
                changes[field] = [_audit_value(old), _audit_value(value)]
                setattr(current, field, value)

        wants_change = any(
            (
                status not in (None, current.status),
                referred_to is not UNCHANGED and referred_to != current.referred_to,
                assigned_to is not UNCHANGED and assigned_to != current.assigned_to,
                consent not in (None, current.consent),
                outcome is not None and outcome != current.outcome,
            )
        )
        if current.status == ReferralStatus.CLOSED and wants_change:
            raise Conflict("referral_closed", _("This referral is closed; you can only add notes."))
        if status is not None and status != current.status:
            if status not in ReferralStatus.values:
                raise DomainError("invalid_status", _("Unknown status."))
            if REFERRAL_STATUS_RANK[status] < REFERRAL_STATUS_RANK[current.status]:
                raise Conflict(
                    "invalid_transition",
                    _("A referral only moves forward: draft, consent asked, sent, closed."),
                )
        if consent is not None and consent != current.consent:
            if consent not in Consent.values or consent == Consent.PENDING:
                raise DomainError("invalid_consent", _("Consent can be given or refused."))
            if current.referred_to_id is not None:
                raise Conflict(
                    "consent_already_used",
                    _("This referral was already shared with a service with the person's consent."),
                )
            change("consent", consent)
            change("consent_at", timezone.now())
            change("consent_wording_version", CURRENT_CONSENT_VERSION)
        if referred_to is not UNCHANGED and referred_to != current.referred_to:
            if referred_to is not None:
                _require_consent_for_service(current, referred_to, coordinator)
            change("referred_to", referred_to)
            if referred_to is not None and current.sent_at is None:
                change("sent_at", timezone.now())
        if assigned_to is not UNCHANGED and assigned_to != current.assigned_to:
            if assigned_to is not None and not assigned_to.is_coordinator:
                raise DomainError("invalid_assignee", _("Referrals are assigned to coordinators."))
            change("assigned_to", assigned_to)
        if outcome is not None:
            change("outcome", outcome.strip())
        if status is not None:
            change("status", status)
        if "status" in changes:
            ReferralStep.objects.create(
                referral=current,
                status=current.status,
                actor=coordinator,
                actor_role="coordinator",
                service=current.referred_to,
            )
        if changes:
            current.save()
            events.referral_updated.send(referral=current, changes=changes)
        note_id = None
        if note.strip():
            note_id = ReferralNote.objects.create(
                referral=current, author=coordinator, text=note.strip()
            ).pk
        if changes or note_id:
            details: dict[str, Any] = {"changes": changes}
            if note_id:
                details["note"] = note_id
            referral_audit_record(
                referrals=[current], actor=coordinator, action=AuditAction.UPDATE, details=details
            )
    return current


def _require_consent_for_service(referral: Referral, service, coordinator) -> None:
    """Sharing with `service` needs the person's live consent for that service (409
    `consent_required` otherwise). A v1 consent on the referral itself (PATCH `consent: given`,
    or an assessment's contact consent) still covers the first service it is shared with: it
    becomes that service's consent record; any other service needs its own."""
    if referral.consents.filter(service=service, withdrawn_at__isnull=True).exists():
        return
    if (
        referral.consent == Consent.GIVEN
        and referral.referred_to_id is None
        and not referral.consents.exists()
    ):
        ReferralConsent.objects.create(
            referral=referral,
            service=service,
            wording_version=referral.consent_wording_version or CURRENT_CONSENT_VERSION,
            shared_fields=list(SHARED_FIELDS),
            given_by=(
                ConsentGivenBy.PERSON
                if referral.source == ReferralSource.ASSESSMENT
                else ConsentGivenBy.COORDINATOR
            ),
            recorded_by=coordinator,
            note="v1: consent recorded on the referral",
        )
        return
    raise Conflict(
        "consent_required",
        _("The person has not agreed to be referred to this service: record their consent first."),
    )


def _audit_value(value: Any) -> Any:
    """A value as the audit stores it: ids for objects, plain values otherwise."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def referrals_close_for_user(*, user) -> int:
    """For account deletion: close the person's open referrals and detach them.

    The referral rows stay (without the person) so the audit trail keeps its meaning; returns
    how many were changed.
    """
    referrals = list(Referral.objects.filter(person=user))
    for referral in referrals:
        if referral.status != ReferralStatus.CLOSED:
            referral.status = ReferralStatus.CLOSED
            referral.outcome = referral.outcome or "Account deleted by the person."
        referral.person = None
        referral.save(update_fields=["status", "outcome", "person", "updated_at"])
    referral_audit_record(
        referrals=referrals,
        actor=None,
        action=AuditAction.UPDATE,
        details={"changes": {"person": ["erased", None]}, "reason": "account_deleted"},
    )
    return len(referrals)
