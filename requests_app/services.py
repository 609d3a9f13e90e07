"""Writes of the request flow: create a request, offer, accept, cancel, complete, visits, feedback.

Every function is keyword-only and checks its own preconditions, so the API, the web pages and
the batch (ranking.batch) share one set of rules. Refusals are raised as:

- django.core.exceptions.ValidationError({field: [messages]}) for bad input (→ 400);
- core.api_errors.DomainError(code, detail) (→ 400) for a refusal of the input itself;
- core.api_errors.NotAllowed(code, detail) (→ 403) when the person may not do this
  (requests_app.permissions says who may do what);
- core.api_errors.Conflict(code, detail) (→ 409) when the state does not allow it (any more).

The statuses are the API's reading of these kinds (core.api_errors); pages show the detail.

Locking order, the same everywhere so that two transactions never wait for each other in a
circle: the help request row first, then the offer rows, then the helper profile row.
"""

from __future__ import annotations

import datetime
import logging
import math
from decimal import Decimal, InvalidOperation

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, User
from accounts.services import user_check_may_offer
from audit.models import AccessKind
from audit.services import accesses_recorded
from core import events
from core.api_errors import Conflict, DomainError, NotAllowed
from detection.medical_tasks import medical_check
from geo import services as geo_services
from geo.selectors import postcode_get
from matching.models import VerificationState
from matching.selectors import helper_is_eligible_for, helper_verification_state
from matching.services import helper_hours_commit, helper_hours_lock, helper_hours_release
from matching.vocabulary import Category, Recurrence
from requests_app.medical_refusal import medical_refusal_detail, medical_services
from requests_app.models import (
    Feedback,
    FeedbackKind,
    HelpRequest,
    Offer,
    OfferStatus,
    Relationship,
    RequestStatus,
    Visit,
)
from requests_app.permissions import (
    CANCELLABLE_STATUSES,
    COMPLETABLE_STATUSES,
    VISIT_LOGGABLE_STATUSES,
    help_request_permissions,
    may_ask_on_behalf,
)

logger = logging.getLogger(__name__)

DURATION_MINUTES_RANGE = (15, 480)  # CONTRACT.md
CARED_FOR_AGE_RANGE = (0, 130)
CARE_HOURS_PER_WEEK_RANGE = (Decimal("0"), Decimal("168"))  # hours in a week
DESCRIPTION_MAX_LENGTH = 1000
OFFER_MESSAGE_MAX_LENGTH = 1000
FEEDBACK_TEXT_MAX_LENGTH = 2000
VISIT_HOURS_RANGE = (Decimal("0.25"), Decimal("24"))
# How far ahead a start may be planned, and how far back a visit may be logged: beyond that it
# is a typing mistake (year 2052) rather than a plan.
STARTS_AT_MAX_AHEAD = datetime.timedelta(days=366)
VISIT_MAX_AGE = datetime.timedelta(days=366)
# A start a few minutes in the past is someone who took their time filling in the form.
STARTS_AT_GRACE = datetime.timedelta(minutes=15)
# Open requests nobody took expire after this long (issue 3, "Expiry").
OPEN_REQUEST_LIFETIME = datetime.timedelta(days=30)
# Requests of one person at places this close share one blur offset (see _location_salt_for).
SALT_REUSE_METRES = 200


# --- Creating a request ----------------------------------------------------------------------


def _location_salt_for(*, requester: User | None, point: Point) -> int | None:
    """The blur salt of the requester's earlier request at (about) the same place, if any.

    Why: the approximate place is the exact one moved 500–900 m in a direction drawn from the
    salt. With a fresh salt per request, someone who sees many requests from one home could
    average their approximate places and find the home. Reusing the salt gives every request from
    that home the very same approximate place, so repeating a request reveals nothing new. "About
    the same place" (within SALT_REUSE_METRES) also covers a phone's GPS jitter; within that
    distance the offset moves with the point and still hides it.
    """
    if requester is None:
        return None
    return (
        HelpRequest.objects.filter(
            requester=requester, location__dwithin=(point, D(m=SALT_REUSE_METRES))
        )
        .order_by("-created_at", "-id")
        .values_list("location_salt", flat=True)
        .first()
    )


def _region_of(*, postcode: str | None, requester: User | None) -> str | None:
    """The region of the request's postcode, else of the requester's, else None."""
    for code in (postcode, getattr(requester, "postcode", None)):
        if isinstance(code, str) and code:
            found = postcode_get(code=code.strip())
            if found is not None and found.municipality is not None:
                return found.municipality.region
    return None


def medical_guard_check(
    *, description: str, postcode: str | None = None, requester: User | None = None
) -> None:
    """Raises DomainError("medical_task", 400, services=[...]) if the description asks for a
    medical or nursing act (detection.medical_tasks). Texts in the active language."""
    verdict = medical_check(description)
    if verdict.is_medical:
        raise DomainError(
            "medical_task",
            medical_refusal_detail(),
            services=medical_services(
                codes=verdict.codes, region=_region_of(postcode=postcode, requester=requester)
            ),
            tasks=list(verdict.codes),
        )


def _place_from(
    *, postcode: str | None, location, errors: dict[str, list[str]]
) -> tuple[Point | None, str]:
    """The request's point and postcode, from a {lat, lon} location or a postcode."""
    known_postcode = ""
    postcode_place = None
    if postcode not in (None, ""):
        if isinstance(postcode, str):
            postcode_place = geo_services.geocode_postcode(postcode=postcode)
        if postcode_place is None:
            errors.setdefault("postcode", []).append(_("This is not a Belgian postcode."))
        else:
            known_postcode = postcode_place.postcode or ""
    if location is not None:
        try:
            if isinstance(location, Point):
                point = geo_services.point_from_lat_lon(location.y, location.x)
            elif isinstance(location, dict):
                point = geo_services.point_from_lat_lon(location.get("lat"), location.get("lon"))
            else:
                raise ValueError
        except ValueError:
            errors.setdefault("location", []).append(
                _("Give the place as latitude and longitude in degrees.")
            )
            return None, known_postcode
        if not geo_services.point_in_belgium(point):
            errors.setdefault("location", []).append(_("This place is not in Belgium."))
            return None, known_postcode
        return point, known_postcode
    if postcode_place is not None:
        return postcode_place.point, known_postcode
    if "postcode" not in errors:
        errors.setdefault("location", []).append(_("Give a postcode or a place."))
    return None, known_postcode


def _in_range(value, low, high) -> bool:
    return low <= value <= high


def _clean_request_fields(
    *,
    category,
    description,
    duration_minutes,
    recurrence,
    starts_at,
    languages,
    for_someone_else,
    relationship,
    cared_for_age,
    care_hours_per_week,
    errors: dict[str, list[str]],
) -> dict:
    """Checks the fields that are not about the place; adds messages to `errors`."""

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    cleaned: dict = {}
    if category not in Category.values:
        refuse("category", _("Choose one of the categories."))
    cleaned["category"] = category

    if not isinstance(description, str) or not description.strip():
        refuse("description", _("Describe in a few words what you need."))
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        refuse(
            "description",
            _("At most %(count)d characters.") % {"count": DESCRIPTION_MAX_LENGTH},
        )
    elif "\x00" in description:
        refuse("description", _("This text contains a character that is not allowed."))
    cleaned["description"] = description.strip() if isinstance(description, str) else ""

    low, high = DURATION_MINUTES_RANGE
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not _in_range(duration_minutes, low, high)
    ):
        refuse(
            "duration_minutes",
            _("Between %(low)d and %(high)d minutes.") % {"low": low, "high": high},
        )
    cleaned["duration_minutes"] = duration_minutes

    if recurrence not in Recurrence.values:
        refuse("recurrence", _("Choose how often."))
    cleaned["recurrence"] = recurrence

    if starts_at is not None:
        if not isinstance(starts_at, datetime.datetime) or timezone.is_naive(starts_at):
            refuse("starts_at", _("Give a date and time with its time zone."))
        else:
            now = timezone.now()
            if starts_at < now - STARTS_AT_GRACE:
                refuse("starts_at", _("This moment has already passed."))
            elif starts_at > now + STARTS_AT_MAX_AHEAD:
                refuse("starts_at", _("At most one year ahead."))
    cleaned["starts_at"] = starts_at

    languages = [] if languages is None else languages
    if not isinstance(languages, (list, tuple)) or any(
        language not in Language.values for language in languages
    ):
        refuse("languages", _("Languages among fr, nl, de and en."))
        languages = []
    cleaned["languages"] = list(dict.fromkeys(languages))

    if not isinstance(for_someone_else, bool):
        refuse("for_someone_else", _("Must be true or false."))
    cleaned["for_someone_else"] = for_someone_else is True

    relationship = relationship or ""
    if relationship and relationship not in Relationship.values:
        refuse("relationship", _("Choose one of the relationships."))
    cleaned["relationship"] = relationship

    if cared_for_age is not None and (
        isinstance(cared_for_age, bool)
        or not isinstance(cared_for_age, int)
        or not _in_range(cared_for_age, *CARED_FOR_AGE_RANGE)
    ):
        refuse(
            "cared_for_age",
            _("Between %(low)d and %(high)d years.")
            % {"low": CARED_FOR_AGE_RANGE[0], "high": CARED_FOR_AGE_RANGE[1]},
        )
    cleaned["cared_for_age"] = cared_for_age

    hours = None
    if care_hours_per_week is not None:
        try:
            if isinstance(care_hours_per_week, bool) or (
                isinstance(care_hours_per_week, float) and not math.isfinite(care_hours_per_week)
            ):
                raise InvalidOperation
            hours = Decimal(str(care_hours_per_week)).quantize(Decimal("0.1"))
            if not _in_range(hours, *CARE_HOURS_PER_WEEK_RANGE):
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            refuse("care_hours_per_week", _("Between 0 and 168 hours a week."))
            hours = None
    cleaned["care_hours_per_week"] = hours
    return cleaned


def help_request_on_behalf_check(*, created_by: User) -> None:
    """Raises NotAllowed unless `created_by` may ask for help on someone else's behalf
    (requests_app.permissions.may_ask_on_behalf: coordinators).

    help_request_create checks it; the API calls it as well before it looks the person up, so
    that someone who may not name another person learns nothing about which accounts exist.
    """
    if not may_ask_on_behalf(created_by):
        raise NotAllowed(
            "not_allowed", _("Only a coordinator may ask for help on someone else's behalf.")
        )


def help_request_create(
    *,
    requester: User,
    created_by: User,
    category: str,
    description: str,
    postcode: str | None = None,
    location: dict | Point | None = None,
    duration_minutes: int,
    recurrence: str,
    starts_at: datetime.datetime | None = None,
    languages: list[str] | None = None,
    for_someone_else: bool = False,
    relationship: str = "",
    cared_for_age: int | None = None,
    care_hours_per_week: float | Decimal | None = None,
) -> HelpRequest:
    """A new open request of `requester`, made by them or by a coordinator on their behalf.

    On someone's behalf (`created_by` is not `requester`): coordinators only, else NotAllowed
    (help_request_on_behalf_check). The place is `location` ({"lat", "lon"} or a Point; must lie
    in Belgium) or else the point of `postcode`; a coordinator may leave both out, the request
    is then at the postcode of the person's account. The medical guard runs first: a medical or
    nursing task raises DomainError("medical_task") whatever else is wrong. Then every field is
    checked and all problems are raised together as ValidationError({field: [messages]}). The
    answers about someone else (relationship, age, hours of care) are kept only when the help is
    for someone else: otherwise they describe nobody.

    The API and the pages both call this, so they accept and refuse the same requests.
    Sends help_request_created (core.events): carers may open a referral in this transaction;
    eligible helpers are told once it commits (requests_app.receivers).
    """
    if created_by.pk != requester.pk:
        help_request_on_behalf_check(created_by=created_by)
    if postcode in (None, "") and location is None and may_ask_on_behalf(created_by):
        # A coordinator taking a request by phone need not type the person's postcode (the
        # person may be themselves: their form is the same).
        postcode = requester.postcode or None
    if isinstance(description, str):
        medical_guard_check(description=description, postcode=postcode, requester=requester)

    errors: dict[str, list[str]] = {}
    cleaned = _clean_request_fields(
        category=category,
        description=description,
        duration_minutes=duration_minutes,
        recurrence=recurrence,
        starts_at=starts_at,
        languages=languages,
        for_someone_else=for_someone_else,
        relationship=relationship,
        cared_for_age=cared_for_age,
        care_hours_per_week=care_hours_per_week,
        errors=errors,
    )
    point, known_postcode = _place_from(postcode=postcode, location=location, errors=errors)
    if errors:
        raise ValidationError(errors)
    if not cleaned["for_someone_else"]:
        cleaned.update(relationship="", cared_for_age=None, care_hours_per_week=None)

    with transaction.atomic():
        help_request = HelpRequest(
            requester=requester,
            created_by=created_by,
            location=point,
            postcode=known_postcode,
            status=RequestStatus.OPEN,
            **cleaned,
        )
        salt = _location_salt_for(requester=requester, point=point)
        if salt is not None:
            help_request.location_salt = salt
        help_request.save()
        # In this transaction carers opens a referral for a likely hidden carer; once it
        # commits, nearby helpers are told (carers.receivers, requests_app.receivers).
        events.help_request_created.send(help_request=help_request)
    return help_request


# --- Offers and the match --------------------------------------------------------------------


def offer_check_helper(*, helper_user: User) -> None:
    """Refuses (403) anyone without a verified helper profile: they may offer on no request.

    Views call it before looking the request up, so that people who cannot offer get the same
    answer for every id and learn nothing about which requests exist.
    """
    state = helper_verification_state(user_id=helper_user.pk)
    if state is None:
        raise NotAllowed("not_a_helper", _("Set up your helper profile first."))
    if state != VerificationState.VERIFIED:
        raise NotAllowed(
            "helper_not_verified",
            _("A coordinator has to verify your profile before you can offer help."),
        )
    # An unverified e-mail address (when EMAIL_VERIFICATION_REQUIRED): 403 email_not_verified.
    user_check_may_offer(user=helper_user)


def offer_create(*, help_request: HelpRequest, helper_user: User, message: str = "") -> Offer:
    """`helper_user` offers to help with `help_request`.

    Refuses (403) a helper without a verified profile or not eligible for the request
    (matching.selectors.helper_is_eligible_for), and (409) a second offer of the same helper or a
    request that is not open. The request row is locked, so an offer never lands on a request
    that an accept has just matched. The requester is notified on commit.
    """
    if not isinstance(message, str) or len(message) > OFFER_MESSAGE_MAX_LENGTH or "\x00" in message:
        raise ValidationError(
            {"message": [_("At most %(count)d characters.") % {"count": OFFER_MESSAGE_MAX_LENGTH}]}
        )
    offer_check_helper(helper_user=helper_user)
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if Offer.objects.filter(request=help_request, helper=helper_user).exists():
            raise Conflict("offer_exists", _("You have already offered to help with this."))
        if not helper_is_eligible_for(helper_user=helper_user, help_request=help_request):
            raise NotAllowed(
                "not_eligible",
                _(
                    "This request does not fit your profile (place, category or hours left "
                    "this week)."
                ),
            )
        if help_request.status != RequestStatus.OPEN:
            raise Conflict("request_not_open", _("This request is no longer open."))
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    request=help_request, helper=helper_user, message=message.strip()
                )
        except IntegrityError:
            # The same helper twice at the same moment: the unique constraint decides.
            raise Conflict(
                "offer_exists", _("You have already offered to help with this.")
            ) from None
        events.offer_created.send(offer=offer)
    return offer


def match_confirm(*, offer: Offer):
    """Accepts `offer`: the race-safe core shared by the requester's accept and the batch.

    In one transaction, holding the request row lock and then the helper profile row lock:
    checks that the request is open, the offer pending and the helper still eligible with
    enough spare weekly hours; marks the offer accepted and the request's other pending offers
    declined; sets the request matched with its helper; adds the request's weekly load to the
    helper's committed hours (matching.services); sends match_confirmed, on which messaging opens
    the conversation between requester and helper. Returns that conversation.

    Two accepts racing on one request: the second waits for the request lock, then finds the
    request matched and raises Conflict (409). Two accepts for one helper on different requests:
    the second waits for the profile lock, then reads the capacity the first one used and raises
    Conflict if too little is left. A conditional UPDATE and the database's check constraint
    back both checks up. Notifications are sent on commit.
    """
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=offer.request_id)
        offer = Offer.objects.select_for_update().select_related("helper").get(pk=offer.pk)
        if help_request.status != RequestStatus.OPEN:
            raise Conflict("request_not_open", _("This request is no longer open."))
        if offer.status != OfferStatus.PENDING:
            raise Conflict("offer_not_pending", _("This offer can no longer be accepted."))
        if help_request.requester_id is None:
            raise Conflict("request_not_open", _("This request is no longer open."))
        profile = helper_hours_lock(helper_user_id=offer.helper_id)
        no_room = Conflict(
            "helper_unavailable",
            _("This helper cannot take this request any more (no hours left this week)."),
        )
        if profile is None or not helper_is_eligible_for(
            helper_user=offer.helper, help_request=help_request
        ):
            raise no_room
        try:
            with transaction.atomic():
                if not helper_hours_commit(
                    profile=profile, weekly_load_hours=help_request.weekly_load_hours
                ):
                    raise no_room
                Offer.objects.filter(pk=offer.pk).update(
                    status=OfferStatus.ACCEPTED, updated_at=timezone.now()
                )
        except IntegrityError:
            # The database's own guards (one accepted offer per request, committed hours within
            # weekly hours) caught what the checks above should already have.
            raise no_room from None
        others = Offer.objects.filter(request=help_request, status=OfferStatus.PENDING).exclude(
            pk=offer.pk
        )
        declined_helper_ids = list(others.values_list("helper_id", flat=True))
        others.update(status=OfferStatus.DECLINED, updated_at=timezone.now())
        help_request.status = RequestStatus.MATCHED
        help_request.matched_helper_id = offer.helper_id
        help_request.save(update_fields=["status", "matched_helper", "updated_at"])
        offer.status = OfferStatus.ACCEPTED
        # messaging opens the conversation in this transaction and answers with it; both
        # people are told once it commits (requests_app.receivers).
        conversation = events.match_confirmed.send(help_request=help_request, offer=offer)[
            "conversation"
        ]
        if declined_helper_ids:
            events.offers_declined.send(help_request=help_request, helper_ids=declined_helper_ids)
    return conversation


def offer_accept(*, offer: Offer, acting_user: User):
    """The requester (or a coordinator) accepts `offer`; see match_confirm. 403 for anyone else."""
    if not help_request_permissions(user=acting_user, help_request=offer.request).may_accept:
        raise NotAllowed("not_allowed", _("Only the person asking for help can accept an offer."))
    return match_confirm(offer=offer)


# --- Ending a request ------------------------------------------------------------------------


def _release_helper_hours(*, help_request: HelpRequest) -> None:
    """Gives the matched helper back the request's weekly load (never below zero).

    Call while holding the request's row lock, with the request still matched.
    """
    if help_request.matched_helper_id is None:
        return
    helper_hours_release(
        helper_user_id=help_request.matched_helper_id,
        weekly_load_hours=help_request.weekly_load_hours,
    )


def help_request_cancel(*, help_request: HelpRequest, acting_user: User) -> HelpRequest:
    """The requester (or a coordinator) cancels an open or matched request.

    Pending offers are declined; a matched helper gets their weekly hours back. 403 for anyone
    else, 409 if the request is already completed, cancelled or expired.
    """
    if not help_request_permissions(user=acting_user, help_request=help_request).may_cancel:
        raise NotAllowed("not_allowed", _("Only the person asking for help can cancel it."))
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.status not in CANCELLABLE_STATUSES:
            raise Conflict("request_closed", _("This request is already closed."))
        matched_helper_id = (
            help_request.matched_helper_id if help_request.status == RequestStatus.MATCHED else None
        )
        if help_request.status == RequestStatus.MATCHED:
            _release_helper_hours(help_request=help_request)
        pending = Offer.objects.filter(request=help_request, status=OfferStatus.PENDING)
        declined_helper_ids = list(pending.values_list("helper_id", flat=True))
        pending.update(status=OfferStatus.DECLINED, updated_at=timezone.now())
        help_request.status = RequestStatus.CANCELLED
        help_request.save(update_fields=["status", "updated_at"])
        events.request_cancelled.send(help_request=help_request, helper_id=matched_helper_id)
        if declined_helper_ids:
            events.offers_declined.send(help_request=help_request, helper_ids=declined_helper_ids)
    return help_request


def help_request_complete(*, help_request: HelpRequest, acting_user: User) -> HelpRequest:
    """The requester (or a coordinator) marks a matched request done.

    The matched helper's committed weekly hours go down by the request's weekly load. 403 for
    anyone else, 409 unless the request is matched.
    """
    if not help_request_permissions(user=acting_user, help_request=help_request).may_complete:
        raise NotAllowed("not_allowed", _("Only the person asking for help can mark it as done."))
    with transaction.atomic():
        help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if help_request.status not in COMPLETABLE_STATUSES:
            raise Conflict(
                "request_not_matched", _("Only a request with a helper can be marked as done.")
            )
        _release_helper_hours(help_request=help_request)
        help_request.status = RequestStatus.COMPLETED
        help_request.save(update_fields=["status", "updated_at"])
    return help_request


def requests_expire(*, now: datetime.datetime | None = None) -> list[int]:
    """Expires the open requests nobody took: their start has passed, or they are older than
    OPEN_REQUEST_LIFETIME. Matched requests are never expired. Returns the expired ids.

    Rows an accept holds locked right now are skipped (SKIP LOCKED): that accept decides them,
    and the next run expires them if it failed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            HelpRequest.objects.select_for_update(skip_locked=True)
            .filter(status=RequestStatus.OPEN)
            .filter(Q(starts_at__lt=now) | Q(created_at__lt=now - OPEN_REQUEST_LIFETIME))
            .values_list("id", flat=True)
        )
        if ids:
            HelpRequest.objects.filter(id__in=ids, status=RequestStatus.OPEN).update(
                status=RequestStatus.EXPIRED, updated_at=now
            )
            Offer.objects.filter(request_id__in=ids, status=OfferStatus.PENDING).update(
                status=OfferStatus.DECLINED, updated_at=now
            )
    return ids


# --- Visits and feedback ---------------------------------------------------------------------


def _visit_hours(value) -> Decimal:
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
            raise InvalidOperation
        hours = Decimal(str(value))
        if not hours.is_finite() or not _in_range(hours, *VISIT_HOURS_RANGE):
            raise InvalidOperation
        return hours.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(
            {"hours": [_("Between a quarter of an hour and 24 hours.")]}
        ) from None


def visit_log(*, help_request: HelpRequest, helper_user: User, date: datetime.date, hours) -> Visit:
    """The matched helper logs a visit: its date (not in the future) and hours (0.25–24).

    403 for anyone but the matched helper; 409 unless the request is matched or completed (a
    last visit may be logged after the requester marked it done).
    """
    if not help_request_permissions(user=helper_user, help_request=help_request).may_log_visits:
        raise NotAllowed("not_allowed", _("Only the matched helper can log a visit."))
    if help_request.status not in VISIT_LOGGABLE_STATUSES:
        raise Conflict("request_not_matched", _("This request has no visits to log."))
    hours = _visit_hours(hours)
    today = timezone.localdate()
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ValidationError({"date": [_("Give a date.")]})
    if date > today:
        raise ValidationError({"date": [_("A visit cannot be in the future.")]})
    if date < today - VISIT_MAX_AGE:
        raise ValidationError({"date": [_("This date is too long ago.")]})
    with transaction.atomic():
        visit = Visit.objects.create(
            request=help_request, helper=helper_user, date=date, hours=hours
        )
        events.visit_logged.send(visit=visit)
    return visit


def visit_confirm(*, visit: Visit, acting_user: User) -> Visit:
    """The requester confirms a visit's hours. Confirming twice changes nothing. 403 for anyone
    else (coordinators included: the confirmation is the person's own word)."""
    permissions = help_request_permissions(user=acting_user, help_request=visit.request)
    if not permissions.may_confirm_visits:
        raise NotAllowed("not_allowed", _("Only the person who was helped can confirm a visit."))
    Visit.objects.filter(pk=visit.pk, confirmed_by_requester=False).update(
        confirmed_by_requester=True, confirmed_at=timezone.now()
    )
    visit.refresh_from_db()
    return visit


def feedback_leave(
    *, help_request: HelpRequest, author: User, kind: str, text: str = ""
) -> Feedback:
    """Private feedback for the coordinators from the requester (about the matched helper) or
    the matched helper (about the requester). Kinds: comment, no_show, concern."""
    permissions = help_request_permissions(user=author, help_request=help_request)
    if not permissions.may_leave_feedback:
        raise NotAllowed(
            "not_allowed",
            _("Only the person helped and their helper can leave feedback on a request."),
        )
    # About the other side of the match.
    if permissions.is_requester:
        about_id = help_request.matched_helper_id
    else:
        about_id = help_request.requester_id
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose comment, no_show or concern.")]
    if not isinstance(text, str) or len(text) > FEEDBACK_TEXT_MAX_LENGTH or "\x00" in text:
        errors["text"] = [_("At most %(count)d characters.") % {"count": FEEDBACK_TEXT_MAX_LENGTH}]
    elif kind in (FeedbackKind.COMMENT, FeedbackKind.CONCERN) and not text.strip():
        errors["text"] = [_("Tell the coordinators what happened.")]
    if errors:
        raise ValidationError(errors)
    return Feedback.objects.create(
        request=help_request, author=author, about_id=about_id, kind=kind, text=text.strip()
    )


# --- The person's access log (issue 14, item 4; the audit app) --------------------------------


def help_request_reads_record(*, reader, shown: list[dict], route: str) -> None:
    """A coordinator was shown these requests (as the API or a page writes them): each one whose
    carer fields were in it goes to its requester's access log, as `request_carer_signal` when
    the signal was shown too, else `request_care_details`.

    Only coordinators' reads are recorded: the requester reads their own request, and whoever
    made it on their behalf reads what they wrote themselves; the matched helper never gets the
    carer fields (requests_app.serializers). A reply to the coordinator's own change (create,
    cancel, complete) is not a read.
    """
    if not (reader.is_authenticated and reader.is_coordinator):
        return
    for what, field in (
        (AccessKind.REQUEST_CARER_SIGNAL, "carer_signal"),
        (AccessKind.REQUEST_CARE_DETAILS, "relationship"),
    ):
        reads = [(data["requester"], data["id"]) for data in shown if field in data]
        shown = [data for data in shown if field not in data]
        accesses_recorded(
            reader=reader,
            role="coordinator",
            what=what,
            reads=reads,
            purpose="help_request",
            route=route,
        )


def feedback_reads_record(*, reader, feedback: list[Feedback], route: str) -> None:
    """A coordinator read private feedback: each piece goes to its author's access log. The
    person it is about is not told (the feedback is a private note to the coordinators, and
    the log would reveal that it exists)."""
    accesses_recorded(
        reader=reader,
        role="coordinator",
        what=AccessKind.FEEDBACK,
        reads=[(item.author_id, item.pk) for item in feedback],
        purpose="feedback_review",
        route=route,
    )
