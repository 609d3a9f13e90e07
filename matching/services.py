"""Writes of the matching engine: helper profiles and their verification."""

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, Role, User
from audit.models import AccessKind
from audit.services import access_recorded
from core import events
from core.api_errors import Conflict, NotAllowed, NotFound
from geo.services import geocode_postcode, point_in_belgium
from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    RADIUS_KM_RANGE,
    WEEKLY_HOURS_RANGE,
    AvailabilitySlot,
    HelperProfile,
    IdDocumentType,
    VerificationState,
    VettingChange,
    VettingCheck,
)
from matching.vocabulary import Category

# Fields a new profile cannot do without; the others have defaults.
_REQUIRED_ON_CREATE = ("radius_km", "categories", "weekly_hours")


def _number_in_range(value: object, bounds: tuple[float, float]) -> str | None:
    """An error message when `value` is not a finite number within `bounds`, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return _("A valid number is required.")
    low, high = bounds
    if not low <= value <= high:
        return _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
    return None


def _choices_error(values: Iterable[str], allowed: Iterable[str]) -> str | None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        return _("Unknown values: %(values)s.") % {"values": ", ".join(unknown)}
    return None


def _availability_errors(slots: list[Mapping]) -> list[str]:
    errors = []
    starts = set()
    for slot in slots:
        weekday, start, end = slot.get("weekday"), slot.get("start"), slot.get("end")
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            errors.append(_("The weekday must be a number from 0 (Monday) to 6 (Sunday)."))
        elif not isinstance(start, time) or not isinstance(end, time):
            errors.append(_("Start and end must be times of day (HH:MM)."))
        elif end <= start:
            errors.append(_("Each time slot must end after it starts."))
        elif (weekday, start) in starts:
            errors.append(_("Two time slots start at the same time on the same day."))
        else:
            starts.add((weekday, start))
    return errors


@transaction.atomic
def helper_profile_upsert(
    *,
    user: User,
    postcode: str | None = None,
    location=None,
    radius_km: float | None = None,
    categories: list[str] | None = None,
    weekly_hours: float | None = None,
    languages: list[str] | None = None,
    availability: list[Mapping] | None = None,
    has_car: bool | None = None,
    active: bool | None = None,
) -> HelperProfile:
    """Create the user's helper profile, or change the fields given (None = keep as it is).

    The home is `location` (a WGS 84 Point) when given, else the point of `postcode`; it must lie
    in Belgium. `availability` ([{weekday 0–6, start: time, end: time}]) replaces every slot.
    Creating a profile gives the user the role "helpper". Changing the home or the radius keeps
    everything else, the verification included. Weekly hours cannot drop below the hours
    already committed to matched requests.

    Raises django.core.exceptions.ValidationError({field: [messages]}) on bad values.
    """
    # The row lock keeps an accept (which raises committed_weekly_hours under the same lock)
    # from slipping between our check of weekly_hours and the write.
    profile = HelperProfile.objects.select_for_update().filter(user=user).first()
    creating = profile is None
    errors: dict[str, list[str]] = {}

    given = {
        "radius_km": radius_km,
        "categories": categories,
        "weekly_hours": weekly_hours,
    }
    if creating:
        for name in _REQUIRED_ON_CREATE:
            if given[name] is None:
                errors.setdefault(name, []).append(_("This field is required."))
        if location is None and not postcode:
            errors.setdefault("postcode", []).append(_("Give a postcode or a location."))

    home = None
    if location is not None:
        if not point_in_belgium(location):
            errors.setdefault("location", []).append(_("This place is not in Belgium."))
        home = location
    place = None
    if postcode:
        place = geocode_postcode(postcode=postcode)
        if place is None:
            errors.setdefault("postcode", []).append(_("This is not a current Belgian postcode."))
        elif home is None:
            home = place.point

    if radius_km is not None and (message := _number_in_range(radius_km, RADIUS_KM_RANGE)):
        errors.setdefault("radius_km", []).append(message)
    if weekly_hours is not None:
        message = _number_in_range(weekly_hours, WEEKLY_HOURS_RANGE)
        if (
            message is None
            and not creating
            and (weekly_hours + COMMITTED_HOURS_TOLERANCE < profile.committed_weekly_hours)
        ):
            message = _("You have already promised %(hours)s hours a week to people you help.") % {
                "hours": f"{profile.committed_weekly_hours:g}"
            }
        if message:
            errors.setdefault("weekly_hours", []).append(message)
    if categories is not None:
        if message := _choices_error(categories, Category.values):
            errors.setdefault("categories", []).append(message)
        elif not categories:
            errors.setdefault("categories", []).append(_("Choose at least one kind of help."))
    if languages is not None and (message := _choices_error(languages, Language.values)):
        errors.setdefault("languages", []).append(message)
    if availability is not None and (slot_errors := _availability_errors(availability)):
        errors["availability"] = slot_errors
    if errors:
        raise ValidationError(errors)

    if creating:
        profile = HelperProfile(user=user, languages=[user.language])
    if home is not None:
        profile.location = home
        # A postcode given alongside a location names the place; a location alone does not.
        profile.postcode = place.postcode if place is not None else ""
    for name, value in {
        "radius_km": radius_km,
        "categories": sorted(set(categories)) if categories is not None else None,
        "weekly_hours": weekly_hours,
        "languages": sorted(set(languages)) if languages is not None else None,
        "has_car": has_car,
        "active": active,
    }.items():
        if value is not None:
            setattr(profile, name, value)
    profile.save()  # also rebuilds `coverage` from the home and radius

    if availability is not None:
        profile.availability_slots.all().delete()
        AvailabilitySlot.objects.bulk_create(
            AvailabilitySlot(
                profile=profile, weekday=slot["weekday"], start=slot["start"], end=slot["end"]
            )
            for slot in availability
        )
    if Role.HELPPER not in user.roles:
        user.roles = [*user.roles, Role.HELPPER]
        user.save(update_fields=["roles"])
    return profile


# --- Vetting ---------------------------------------------------------------------------------
# A helper's verification is a record kept by coordinators (docs/VETTING.md): the identity
# document seen (its type only), the interview (when, by whom), the further checks the
# organisation requires (settings.HELPER_VETTING_REQUIRED_CHECKS), a decision (the state) and
# notes. Every change appends a VettingChange; the profile's verification_state is the current
# state, written here only, in the same transaction.

# Which state may follow which. Staying in a state completes the record without a decision
# (say the interview took place); "verified again" is suspended → verified.
VETTING_TRANSITIONS: dict[str, frozenset[str]] = {
    VerificationState.UNVERIFIED: frozenset(
        {VerificationState.UNVERIFIED, VerificationState.VERIFIED, VerificationState.REJECTED}
    ),
    VerificationState.VERIFIED: frozenset(
        {VerificationState.VERIFIED, VerificationState.SUSPENDED}
    ),
    VerificationState.SUSPENDED: frozenset(
        {VerificationState.SUSPENDED, VerificationState.VERIFIED, VerificationState.REJECTED}
    ),
    VerificationState.REJECTED: frozenset({VerificationState.REJECTED, VerificationState.VERIFIED}),
}
VETTING_REASON_MAX_LENGTH = 1000
VETTING_NOTES_MAX_LENGTH = 4000
# The parts of the record a change may carry; those it leaves out keep their current value.
VETTING_RECORD_FIELDS = ("id_document", "interview_on", "interviewed_by", "checks_done", "notes")


def _vetting_check_coordinator(*, helper_user: User, coordinator: User) -> None:
    if not coordinator.is_coordinator:
        raise NotAllowed("not_coordinator", _("Only coordinators can verify helpers."))
    if coordinator.pk == helper_user.pk:
        # Verification means someone else saw the helper's ID and talked with them.
        raise NotAllowed(
            "cannot_verify_self", _("Another coordinator has to verify your own profile.")
        )


def _text_error(value: object, *, max_length: int, required: bool) -> str | None:
    if not isinstance(value, str) or "\x00" in value:
        return _("Enter some text.")
    if required and not value.strip():
        return _("Say why: the reason is kept in the helper's history.")
    if len(value) > max_length:
        return _("At most %(count)d characters.") % {"count": max_length}
    return None


def _date_error(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        return _("Enter a valid date.")
    if value > timezone.localdate():
        return _("This date is in the future.")
    return None


def _vetting_record_errors(record: Mapping) -> dict[str, list[str]]:
    """Field errors of the parts of a vetting record given (format only, not completeness)."""
    errors: dict[str, list[str]] = {}
    if "id_document" in record and record["id_document"] not in {"", *IdDocumentType.values}:
        errors["id_document"] = [_("Choose the kind of document you saw.")]
    if "interview_on" in record and (error := _date_error(record["interview_on"])):
        errors["interview_on"] = [error]
    if "interviewed_by" in record and record["interviewed_by"] is not None:
        interviewer = record["interviewed_by"]
        if not isinstance(interviewer, User) or not (
            interviewer.is_active and interviewer.is_coordinator
        ):
            errors["interviewed_by"] = [_("The interview is done by a coordinator.")]
    if "checks_done" in record:
        checks = record["checks_done"]
        if not isinstance(checks, Mapping):
            errors["checks_done"] = [_("Give each check with the date it was done.")]
        else:
            unknown = _choices_error(checks, VettingCheck.values)
            dates = [error for value in checks.values() if (error := _date_error(value))]
            if unknown or dates:
                errors["checks_done"] = [unknown] if unknown else dates[:1]
    if "notes" in record and (
        error := _text_error(record["notes"], max_length=VETTING_NOTES_MAX_LENGTH, required=False)
    ):
        errors["notes"] = [error]
    return errors


def _verification_missing(change: VettingChange) -> dict[str, list[str]]:
    """What a record lacks before its helper may be verified, as field errors."""
    missing: dict[str, list[str]] = {}
    if not change.id_document:
        missing["id_document"] = [_("Verify only after seeing their identity document.")]
    if change.interview_on is None or change.interviewed_by_id is None:
        missing["interview_on"] = [_("Verify only after talking with them.")]
    not_done = [
        str(VettingCheck(code).label)
        for code in settings.HELPER_VETTING_REQUIRED_CHECKS
        if not change.checks_done.get(code)
    ]
    if not_done:
        missing["checks_done"] = [
            _("Your organisation requires this before verifying: %(checks)s.")
            % {"checks": ", ".join(not_done)}
        ]
    return missing


@transaction.atomic
def helper_vetting_change(
    *,
    helper_user: User,
    coordinator: User,
    state: str,
    reason: str,
    record: Mapping | None = None,
) -> VettingChange:
    """`coordinator` changes `helper_user`'s vetting: moves it to `state` (or keeps it, to
    complete the record) for `reason`, with the parts of the record in `record` (keys of
    VETTING_RECORD_FIELDS; `interview_on` and the dates of `checks_done` are dates,
    `interviewed_by` a coordinator; the parts left out keep their value).

    Appends a VettingChange and sets the profile's state in one transaction: nothing is saved
    when anything is refused. Raises NotAllowed (not a coordinator, their own profile), NotFound
    (no helper profile), ValidationError (bad input; verifying a record without the ID, the
    interview or a required check) and Conflict (a transition VETTING_TRANSITIONS forbids).
    Sends helper_verified on a first verification (the helper is told) and helper_suspended on
    a suspension (the coordinators are told of the helper's open matches).
    """
    _vetting_check_coordinator(helper_user=helper_user, coordinator=coordinator)
    profile = HelperProfile.objects.select_for_update().filter(user=helper_user).first()
    if profile is None:
        raise NotFound("not_found", _("No helper profile here."))
    record = dict(record or {})
    errors = _vetting_record_errors(record)
    if unknown := set(record) - set(VETTING_RECORD_FIELDS):
        errors["non_field_errors"] = [
            _("Unknown values: %(values)s.") % {"values": ", ".join(sorted(unknown))}
        ]
    if state not in VerificationState.values:
        errors["state"] = [
            _("Choose one of: %(values)s.") % {"values": ", ".join(VerificationState.values)}
        ]
    if reason_error := _text_error(reason, max_length=VETTING_REASON_MAX_LENGTH, required=True):
        errors["reason"] = [reason_error]
    if errors:
        raise ValidationError(errors)

    previous_state = profile.verification_state
    if state not in VETTING_TRANSITIONS.get(previous_state, ()):
        raise Conflict(
            "vetting_transition",
            _("A helper who is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": VerificationState(previous_state).label,
                "wanted": VerificationState(state).label,
            },
        )

    return _vetting_apply(
        profile=profile, coordinator=coordinator, state=state, reason=reason, record=record
    )


def _vetting_apply(
    *,
    profile: HelperProfile,
    coordinator: User,
    state: str,
    reason: str,
    record: Mapping,
    completeness_checked: bool = True,
) -> VettingChange:
    """Appends the change to the locked `profile`'s history and sets its state (input checked
    by the caller)."""
    previous_state = profile.verification_state
    current = profile.vetting_changes.order_by("-id").first()
    change = VettingChange(
        profile=profile,
        previous_state=previous_state,
        state=state,
        changed_by=coordinator,
        reason=reason.strip(),
        id_document=current.id_document if current else "",
        interview_on=current.interview_on if current else None,
        interviewed_by=current.interviewed_by if current else None,
        checks_done=dict(current.checks_done) if current else {},
        notes=current.notes if current else "",
    )
    for name, value in record.items():
        if name == "checks_done":
            # One check at a time: a date records it, None takes it back.
            written = {code: done and done.isoformat() for code, done in value.items()}
            merged = {**change.checks_done, **written}
            change.checks_done = {code: done for code, done in merged.items() if done}
        elif name == "notes":
            change.notes = value.strip()
        else:
            setattr(change, name, value)
    if change.interview_on is not None and change.interviewed_by is None:
        change.interviewed_by = coordinator
    if (
        completeness_checked
        and state == VerificationState.VERIFIED
        and (missing := _verification_missing(change))
    ):
        raise ValidationError(missing)
    change.save()

    if state != previous_state:
        profile.verification_state = state
        fields = ["verification_state", "updated_at"]
        if state == VerificationState.VERIFIED:
            profile.verified_by = coordinator
            profile.verified_at = timezone.now()
            fields += ["verified_by", "verified_at"]
        profile.save(update_fields=fields)
        if state == VerificationState.VERIFIED and previous_state in (
            VerificationState.UNVERIFIED,
            VerificationState.REJECTED,
        ):
            events.helper_verified.send(profile=profile)
        if state == VerificationState.SUSPENDED:
            events.helper_suspended.send(profile=profile, change=change)
    return change


@transaction.atomic
def helper_verify(*, helper_user: User, coordinator: User) -> HelperProfile:
    """Mark `helper_user`'s profile verified by `coordinator`: from now on they may be matched
    (POST /api/helpers/<id>/verify/, the contract's first way to verify).

    Verifying again changes nothing (the first verification is kept). The change is recorded in
    the vetting history like any other, with the record as it stands (helper_vetting_change
    without its completeness check: this endpoint predates the record and carries none). A
    suspended or rejected helper is not verified again this way (Conflict): that decision
    needs its reason, through helper_vetting_change. Raises NotAllowed when `coordinator` is not
    a coordinator or verifies their own profile, NotFound when `helper_user` has no helper
    profile.
    """
    _vetting_check_coordinator(helper_user=helper_user, coordinator=coordinator)
    profile = HelperProfile.objects.select_for_update().filter(user=helper_user).first()
    if profile is None:
        raise NotFound("not_found", _("No helper profile here."))
    if profile.verification_state == VerificationState.VERIFIED:
        return profile
    if profile.verification_state != VerificationState.UNVERIFIED:
        raise Conflict(
            "vetting_reason_required",
            _(
                "This helper was suspended or not accepted: verify them again on their vetting "
                "record, with a reason."
            ),
        )
    _vetting_apply(
        profile=profile,
        coordinator=coordinator,
        state=VerificationState.VERIFIED,
        reason="",
        record={},
        completeness_checked=False,
    )
    return profile


# --- Hours committed to matches ---------------------------------------------------------------
# Written here, by the app that owns the profile, when requests_app confirms or ends a match.


def helper_hours_lock(*, helper_user_id: int) -> HelperProfile | None:
    """Locks and returns the helper's profile row (None if they have none).

    Call inside the transaction that will commit hours; callers lock the request row first
    (requests_app.services, "Locking order"), so two matches never wait for each other in a circle.
    """
    return HelperProfile.objects.select_for_update().filter(user_id=helper_user_id).first()


def helper_hours_commit(*, profile: HelperProfile, weekly_load_hours: float) -> bool:
    """Adds `weekly_load_hours` to the helper's committed hours if their spare hours cover it.

    One conditional UPDATE (an atomic claim): returns False, changing nothing, when too little is
    left. The database's check constraint (committed within weekly hours) backs it up. Call with
    the profile locked (helper_hours_lock).
    """
    claimed = HelperProfile.objects.filter(
        pk=profile.pk,
        committed_weekly_hours__lte=F("weekly_hours")
        - Value(weekly_load_hours)
        + Value(COMMITTED_HOURS_TOLERANCE),
    ).update(committed_weekly_hours=F("committed_weekly_hours") + Value(weekly_load_hours))
    return claimed == 1


def helper_hours_release(*, helper_user_id: int, weekly_load_hours: float) -> None:
    """Gives the helper back `weekly_load_hours` of committed hours (never below zero): the match
    they were committed to ended (cancelled, completed)."""
    HelperProfile.objects.filter(user_id=helper_user_id).update(
        committed_weekly_hours=Greatest(
            F("committed_weekly_hours") - Value(weekly_load_hours), Value(0.0)
        )
    )


def helper_vetting_read_recorded(*, reader, helper_id: int, route: str) -> None:
    """Writes the access log's row for a coordinator who read a helper's vetting record (the
    API or the page), after the read succeeded: the helper sees it on their account page."""
    profile_id = (
        HelperProfile.objects.filter(user_id=helper_id).values_list("pk", flat=True).first()
    )
    access_recorded(
        reader=reader,
        role="coordinator",
        subject_id=helper_id,
        what=AccessKind.HELPER_VETTING,
        object_id=profile_id,
        purpose="helper_vetting",
        route=route,
    )
