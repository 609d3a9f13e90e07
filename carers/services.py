"""Writes for the carers app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from carers.consent import CURRENT_CONSENT_VERSION
from carers.directory import PlaceRecord, directory_entries
from carers.directory_csv import DirectoryCsvError, ServiceRow
from carers.engine import evaluate
from carers.models import (
    REFERRAL_STATUS_ORDER,
    Assessment,
    AuditAction,
    CareDiaryEntry,
    ConcernKind,
    Consent,
    DiaryKind,
    Referral,
    ReferralAudit,
    ReferralNote,
    ReferralSource,
    ReferralStatus,
    Service,
    ServiceKind,
)
from core import events
from core.api_errors import Conflict, DomainError
from geo.models import Municipality
from geo.selectors import postcode_get

NAME_LANGUAGES = ("fr", "nl", "de", "en")


@transaction.atomic
def assessment_create(
    *,
    answers: dict[str, Any],
    language: str,
    postcode: str = "",
    contact_consent: bool = False,
    contact: dict[str, str] | None = None,
    user=None,
) -> Assessment:
    """Evaluate `answers` (the contract's `carer` and `cared_for` objects) and store the run.

    Contact details are kept only when the person agreed to be contacted; otherwise they are
    dropped here, whatever the caller passed. The stored outcome is language-neutral (codes);
    carers.messages renders it. With `contact_consent`, a referral is opened for the
    coordinators (the current consent wording, carers.consent).
    """
    outcome = evaluate(answers)
    kept_contact = {key: value for key, value in (contact or {}).items() if value}
    assessment = Assessment.objects.create(
        answers=answers,
        outcome=outcome.as_dict(),
        rules_version=outcome.rules_version,
        language=language,
        postcode=postcode or "",
        user=user if user is not None and user.is_authenticated else None,
        contact_consent=contact_consent,
        contact=kept_contact if contact_consent else {},
    )
    # With consent to be contacted, the coordinators get a referral (issue 5, item 5).
    referral_open_for_assessment(assessment=assessment)
    return assessment


def assessments_erase_for_user(*, user) -> int:
    """Detach a person's assessments from them and drop their contact details.

    For account deletion: the answers stay, anonymous, as any anonymous run would; nothing left
    points to the person. Returns how many assessments were changed.
    """
    return Assessment.objects.filter(user=user).update(user=None, contact={}, contact_consent=False)


# --- Service directory ------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryLoadResult:
    loaded: int
    created: int
    deactivated: int


def service_directory_load() -> DirectoryLoadResult:
    """Write the directory's own entries (carers.directory) for the current municipalities.

    Idempotent, in one transaction. Only what the loader owns is written: kind, names,
    descriptions, where the entry serves and its languages. Contact details and sources that a
    coordinator imported later are left as they are; a new entry gets the loader's source.
    CPAS entries of municipalities that no longer exist are deactivated, not deleted, because
    referrals may point to them.
    """
    places = [
        PlaceRecord(
            refnis=municipality.refnis,
            name_fr=municipality.name_fr,
            name_nl=municipality.name_nl,
            name_de=municipality.name_de,
            region=municipality.region,
        )
        for municipality in Municipality.objects.order_by("refnis")
    ]
    entries = directory_entries(places)
    wanted_keys = {entry.key for entry in entries}
    with transaction.atomic():
        existing = set(Service.objects.filter(key__in=wanted_keys).values_list("key", flat=True))
        Service.objects.bulk_create(
            [
                Service(
                    key=entry.key,
                    kind=entry.kind,
                    municipality_id=entry.municipality,
                    nationwide=entry.nationwide,
                    languages=entry.languages,
                    source=entry.source,
                    source_url=entry.source_url,
                    active=True,
                    **{f"name_{code}": entry.names.get(code, "") for code in NAME_LANGUAGES},
                    **{
                        f"description_{code}": entry.descriptions.get(code, "")
                        for code in NAME_LANGUAGES
                    },
                )
                for entry in entries
            ],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[
                "kind",
                "municipality",
                "nationwide",
                "languages",
                "active",
                *(f"name_{code}" for code in NAME_LANGUAGES),
                *(f"description_{code}" for code in NAME_LANGUAGES),
            ],
        )
        ids = dict(Service.objects.filter(key__in=wanted_keys).values_list("key", "id"))
        link = Service.coverage.through
        link.objects.filter(service_id__in=ids.values()).delete()
        link.objects.bulk_create(
            [
                link(service_id=ids[entry.key], municipality_id=refnis)
                for entry in entries
                for refnis in sorted(entry.coverage)
            ]
        )
        # A CPAS whose municipality merged away: keep for history, stop offering it.
        deactivated = (
            Service.objects.filter(kind=ServiceKind.CPAS, key__startswith="cpas-", active=True)
            .exclude(key__in=wanted_keys)
            .update(active=False)
        )
    return DirectoryLoadResult(
        loaded=len(entries), created=len(wanted_keys - existing), deactivated=deactivated
    )


IMPORT_FIELDS = [
    "kind",
    "municipality",
    "nationwide",
    "address",
    "phone",
    "email",
    "website",
    "languages",
    "source",
    "source_url",
    "active",
    *(f"name_{code}" for code in NAME_LANGUAGES),
    *(f"description_{code}" for code in NAME_LANGUAGES),
]


def services_import(*, rows: list[ServiceRow]) -> dict[str, int]:
    """Create or update services from validated CSV rows (carers.directory_csv), by key.

    All or nothing, in one transaction. A row that would give a municipality a second active
    CPAS is refused by the database constraint, reported as a DirectoryCsvError.
    """
    keys = [row.key for row in rows]
    try:
        with transaction.atomic():
            existing = set(Service.objects.filter(key__in=keys).values_list("key", flat=True))
            Service.objects.bulk_create(
                [
                    Service(key=row.key, municipality_id=row.municipality, **row.fields)
                    for row in rows
                ],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=IMPORT_FIELDS,
            )
            ids = dict(Service.objects.filter(key__in=keys).values_list("key", "id"))
            link = Service.coverage.through
            link.objects.filter(service_id__in=ids.values()).delete()
            link.objects.bulk_create(
                [
                    link(service_id=ids[row.key], municipality_id=refnis)
                    for row in rows
                    for refnis in sorted(set(row.coverage))
                ]
            )
    except IntegrityError as error:
        raise DirectoryCsvError(
            ["a municipality would get a second active CPAS entry (one per municipality)"]
        ) from error
    return {"created": len(set(keys) - existing), "updated": len(set(keys) & existing)}


# --- Referrals --------------------------------------------------------------------------------


def _municipality_for_postcode(postcode: str):
    place = postcode_get(code=postcode) if postcode else None
    return place.municipality if place is not None else None


def _normalised_signal_reasons(reasons: list[Any]) -> list[dict[str, Any]]:
    """The signal's reasons as {code, params, text}: codes for rendering later, the signal's own
    text (in the language the request was written in) kept as a fallback."""
    normalised = []
    for reason in reasons or []:
        if isinstance(reason, Mapping):
            normalised.append(
                {
                    "code": str(reason.get("code") or "signal"),
                    "params": dict(reason.get("params") or {}),
                    "text": str(reason.get("text") or ""),
                }
            )
        else:
            normalised.append({"code": "signal", "params": {}, "text": str(reason)})
    return normalised


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


def _signal_part(signal: Any, name: str, default: Any) -> Any:
    """A field of the carer signal, whether it is a dict or carers.signals.CarerSignal."""
    if isinstance(signal, Mapping):
        return signal.get(name, default)
    return getattr(signal, name, default)


def referral_open_for_request(*, help_request, signal: Any) -> Referral | None:
    """Open the referral of a help request whose carer signal says `likely_carer`.

    Idempotent per request: calling it again returns the referral already open (a database
    constraint backs this against two concurrent calls). Consent is `pending`: the person has
    not been asked yet, so nothing is shared with a service until a coordinator records it.
    Returns None when the signal does not say likely_carer.
    """
    if not signal or not _signal_part(signal, "likely_carer", False):
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
                reasons=_normalised_signal_reasons(_signal_part(signal, "reasons", [])),
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
def assessment_record_consent(
    *,
    assessment: Assessment,
    contact: dict[str, str],
    consent_wording_version: str = CURRENT_CONSENT_VERSION,
) -> Referral:
    """The person agrees, after seeing their result, to be contacted: keep their contact
    details on the assessment and open the referral. `contact` needs an email or a phone."""
    kept_contact = {key: value for key, value in contact.items() if value}
    if not kept_contact:
        raise DomainError("contact_required", "An email address or a phone number is needed.")
    assessment.contact_consent = True
    assessment.contact = kept_contact
    assessment.save(update_fields=["contact_consent", "contact"])
    return referral_open_for_assessment(
        assessment=assessment, consent_wording_version=consent_wording_version
    )


@transaction.atomic
def referral_open_for_concern(*, helper_user, help_request, kind: str, text: str = "") -> Referral:
    """A matched helper is worried about the person they help (isolation, exhaustion,
    neglect): the coordinators hear of it.

    Only the request's matched helper may raise a concern (403 otherwise). A second concern
    about the same request while its concern referral is still open joins that referral
    (another reason and note) instead of opening a new one.
    """
    if kind not in ConcernKind.values:
        raise DomainError("invalid_kind", f"kind must be one of {', '.join(ConcernKind.values)}")
    if help_request.matched_helper_id is None or help_request.matched_helper_id != helper_user.pk:
        raise DomainError(
            "not_matched_helper",
            "Only the helper matched with this request can raise a concern.",
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
        raise DomainError("forbidden", "Only coordinators work on referrals.", status_code=403)


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
            raise Conflict("referral_closed", "This referral is closed; only notes can be added.")
        if status is not None and status != current.status:
            if status not in ReferralStatus.values:
                raise DomainError("invalid_status", "Unknown status.")
            if REFERRAL_STATUS_ORDER.index(status) < REFERRAL_STATUS_ORDER.index(current.status):
                raise Conflict(
                    "invalid_transition",
                    f"A referral moves forward only: {current.status} cannot become {status}.",
                )
        if consent is not None and consent != current.consent:
            if consent not in Consent.values or consent == Consent.PENDING:
                raise DomainError("invalid_consent", "Consent can be given or refused.")
            if current.referred_to_id is not None:
                raise Conflict(
                    "consent_already_used",
                    "This referral was already shared with a service with the person's consent.",
                )
            change("consent", consent)
            change("consent_at", timezone.now())
            change("consent_wording_version", CURRENT_CONSENT_VERSION)
        if referred_to is not UNCHANGED and referred_to != current.referred_to:
            if referred_to is not None and current.consent != Consent.GIVEN:
                raise Conflict(
                    "consent_required",
                    "The person has not agreed to be referred: record their consent first.",
                )
            change("referred_to", referred_to)
        if assigned_to is not UNCHANGED and assigned_to != current.assigned_to:
            if assigned_to is not None and not assigned_to.is_coordinator:
                raise DomainError("invalid_assignee", "Referrals are assigned to coordinators.")
            change("assigned_to", assigned_to)
        if outcome is not None:
            change("outcome", outcome.strip())
        if status is not None:
            change("status", status)
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


# --- Care diary -------------------------------------------------------------------------------


def diary_entry_create(
    *, user, date: date_type, hours: Decimal, kind: str = DiaryKind.CARE, note: str = ""
) -> CareDiaryEntry:
    """Add hours to a carer's diary (0.25–24 h a day per entry); `kind` defaults to care, as
    the model (and so the API, which may leave it out) says."""
    entry = CareDiaryEntry(user=user, date=date, hours=hours, kind=kind, note=note)
    entry.full_clean()
    entry.save()
    return entry


def diary_entry_update(*, entry: CareDiaryEntry, **fields: Any) -> CareDiaryEntry:
    """Change an entry; `fields` among date, hours, kind, note."""
    for name in ("date", "hours", "kind", "note"):
        if name in fields:
            setattr(entry, name, fields[name])
    entry.full_clean()
    entry.save()
    return entry


def diary_entry_delete(*, entry: CareDiaryEntry) -> None:
    entry.delete()
