"""Writes of the matching engine: helper profiles and their verification."""

import math
from collections.abc import Iterable, Mapping
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, Role, User
from core import events
from core.api_errors import NotAllowed, NotFound
from geo.services import geocode_postcode, point_in_belgium
from matching.models import (
    COMMITTED_HOURS_TOLERANCE,
    RADIUS_KM_RANGE,
    WEEKLY_HOURS_RANGE,
    AvailabilitySlot,
    HelperProfile,
    VerificationState,
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


@transaction.atomic
def helper_verify(*, helper_user: User, coordinator: User) -> HelperProfile:
    """Mark `helper_user`'s profile verified by `coordinator`: from now on they may be matched.

    Verifying again changes nothing (the first verification is kept). Raises NotAllowed when
    `coordinator` is not a coordinator or verifies their own profile, NotFound when
    `helper_user` has no helper profile.
    """
    if not coordinator.is_coordinator:
        raise NotAllowed("not_coordinator", _("Only coordinators can verify helpers."))
    if coordinator.pk == helper_user.pk:
        # Verification means someone else saw the helper's ID and talked with them.
        raise NotAllowed(
            "cannot_verify_self", _("Another coordinator has to verify your own profile.")
        )
    profile = HelperProfile.objects.select_for_update().filter(user=helper_user).first()
    if profile is None:
        raise NotFound("not_found", _("No helper profile here."))
    if profile.verification_state != VerificationState.VERIFIED:
        profile.verification_state = VerificationState.VERIFIED
        profile.verified_by = coordinator
        profile.verified_at = timezone.now()
        profile.save(update_fields=["verification_state", "verified_by", "verified_at"])
        events.helper_verified.send(profile=profile)
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
