"""Reads of the request flow: who may see which request, offer, visit and feedback."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone, translation

from accounts.models import User
from core.fast_rows import Rows, fetch_rows
from core.languages import active_language
from detection.carer_situation import carer_signal_for_request
from detection.orientation import orientation_needs
from directory.models import ServiceKind
from directory.selectors import services_for_postcode_data
from requests_app import permissions
from requests_app.models import (
    CalendarFeed,
    Feedback,
    HelpRequest,
    Offer,
    OfferStatus,
    RequestStatus,
    Visit,
)
from requests_app.orientation import orientation_services as orientation_routes

# The access rules live in requests_app.permissions; these two names stay importable from here
# for the read path's serializers (requests_app.serializers).
from requests_app.permissions import acts_for_requester, sees_exact_place  # noqa: F401


def help_requests_of(*, user: User) -> QuerySet[HelpRequest]:
    """The user's own requests: asked by them, or made by them on someone's behalf."""
    return HelpRequest.objects.filter(Q(requester=user) | Q(created_by=user)).order_by(
        "-created_at", "-id"
    )


def help_requests_matched_to(*, helper_user: User) -> QuerySet[HelpRequest]:
    """The requests `helper_user` is (or was) the matched helper of."""
    return HelpRequest.objects.filter(matched_helper=helper_user).order_by("-created_at", "-id")


def help_requests_open() -> QuerySet[HelpRequest]:
    """Every open request (the coordinators' overview counts them per place)."""
    return HelpRequest.objects.filter(status=RequestStatus.OPEN)


def help_request_categories(*, request_ids) -> dict[int, str]:
    """{request id: category code} for these requests (one query; lists that name them)."""
    if not request_ids:
        return {}
    return dict(HelpRequest.objects.filter(pk__in=set(request_ids)).values_list("pk", "category"))


def offers_to_answer_for(*, user: User) -> QuerySet[Offer]:
    """Pending offers on the person's open requests, oldest first (they waited longest), each
    with its request and helper joined (a home page lists them)."""
    return (
        Offer.objects.filter(
            Q(request__requester=user) | Q(request__created_by=user),
            request__status=RequestStatus.OPEN,
            status=OfferStatus.PENDING,
        )
        .select_related("request", "helper")
        .order_by("created_at", "id")
    )


def visits_to_confirm_for(*, user: User) -> QuerySet[Visit]:
    """Visits logged by a helper on the person's requests that they have not confirmed yet,
    with the request and the helper joined."""
    return (
        Visit.objects.filter(
            Q(request__requester=user) | Q(request__created_by=user),
            confirmed_by_requester=False,
        )
        .select_related("request", "helper")
        .order_by("date", "id")
    )


def visits_unconfirmed() -> QuerySet[Visit]:
    """Every visit the person helped has not confirmed yet (the coordinators' queue)."""
    return Visit.objects.filter(confirmed_by_requester=False)


def helper_hours_between(*, helper_user: User, start: datetime.date, end: datetime.date) -> Decimal:
    """Hours the helper logged in visits dated from `start` up to, not including, `end`."""
    total = Visit.objects.filter(helper=helper_user, date__gte=start, date__lt=end).aggregate(
        total=Sum("hours")
    )["total"]
    return total or Decimal("0")


def help_request_visible_to(*, user: User, pk: int) -> HelpRequest | None:
    """The request if `user` may read it (requests_app.permissions: its parties, coordinators);
    None otherwise, so that other people's requests are indistinguishable from unknown ones."""
    if not user.is_authenticated:
        return None
    return HelpRequest.objects.filter(permissions.visible_to_filter(user), pk=pk).first()


# The read endpoints are the hottest of the request flow (GET /api/requests/ and
# /api/requests/<id>/): one plain query each. Building the same query through the ORM, then
# model instances and GEOS points, costs about ten times the CPU of running it. Each column is
# named after its field of requests_app.serializers.HelpRequestOutputSerializer, which writes
# the rows as it writes a HelpRequest (core.fast_rows); the exact place is read for every
# reader, the serializer shows it only to those who may see it.
_ROW_SELECT = (
    "SELECT id, status, category, description, postcode,"
    ' ST_Y(location::geometry) AS "location.lat", ST_X(location::geometry) AS "location.lon",'
    ' ST_Y(approximate_location::geometry) AS "approximate_location.lat",'
    ' ST_X(approximate_location::geometry) AS "approximate_location.lon",'
    " duration_minutes, recurrence, starts_at, languages, for_someone_else,"
    ' requester_id AS "requester", created_by_id AS "created_by",'
    ' matched_helper_id AS "matched_helper", created_at, updated_at,'
    " relationship, cared_for_age, care_hours_per_week"
    f" FROM {HelpRequest._meta.db_table}"
)

# The same newest-first order as HelpRequest.Meta.ordering.
_ROWS_OF_SQL = (
    f"{_ROW_SELECT} WHERE requester_id = %s OR created_by_id = %s"
    " ORDER BY created_at DESC, id DESC LIMIT %s"
)
_ROWS_MATCHED_TO_SQL = (
    f"{_ROW_SELECT} WHERE matched_helper_id = %s ORDER BY created_at DESC, id DESC LIMIT %s"
)
_ROW_SQL = f"{_ROW_SELECT} WHERE id = %s"
_ID_SQL = f"SELECT id FROM {HelpRequest._meta.db_table} WHERE id = %s"
# Who sees a request, as SQL: declared once in requests_app.permissions.
_ROW_OF_PARTY_SQL = f"{_ROW_SQL} AND ({permissions.PARTY_SQL})"


def help_request_rows_of(*, user: User, limit: int) -> Rows:
    """help_requests_of() as rows, at most `limit` of them: the same requests, the same order."""
    return fetch_rows(_ROWS_OF_SQL, [user.pk, user.pk, limit])


def help_request_rows_matched_to(*, helper_user: User, limit: int) -> Rows:
    """help_requests_matched_to() as rows, at most `limit` of them."""
    return fetch_rows(_ROWS_MATCHED_TO_SQL, [helper_user.pk, limit])


def help_request_row_visible_to(*, user: User, pk: int) -> Rows:
    """help_request_visible_to() as rows (one, or none): the same people see it, in one query."""
    if not user.is_authenticated:
        return Rows((), [])
    if user.is_coordinator:
        return fetch_rows(_ROW_SQL, [pk])
    return fetch_rows(_ROW_OF_PARTY_SQL, [pk, *permissions.party_sql_params(user)])


def help_request_reference(*, pk: int) -> HelpRequest | None:
    """The request with only its id loaded, or None if there is none: for a service that reads
    the request again under its row lock anyway. Any other field loads on access, never stale."""
    return next(iter(HelpRequest.objects.raw(_ID_SQL, [pk])), None)


def offers_for(*, help_request: HelpRequest) -> QuerySet[Offer]:
    """The offers on a request, oldest first, with their helpers."""
    return help_request.offers.select_related("helper").order_by("created_at", "id")


def offer_visible_to(*, user: User, pk: int) -> Offer | None:
    """The offer if `user` is its helper, the request's requester or maker, or a coordinator."""
    if not user.is_authenticated:
        return None
    offers = Offer.objects.select_related("request").filter(pk=pk)
    if not user.is_coordinator:
        offers = offers.filter(
            Q(helper=user) | Q(request__requester=user) | Q(request__created_by=user)
        )
    return offers.first()


def visits_for(*, help_request: HelpRequest) -> QuerySet[Visit]:
    return help_request.visits.order_by("-date", "-id")


def visit_visible_to(*, user: User, pk: int) -> Visit | None:
    """The visit if `user` logged it, was helped, made the request or is a coordinator."""
    if not user.is_authenticated:
        return None
    visits = Visit.objects.select_related("request").filter(pk=pk)
    if not user.is_coordinator:
        visits = visits.filter(
            Q(helper=user) | Q(request__requester=user) | Q(request__created_by=user)
        )
    return visits.first()


def feedback_for(*, help_request: HelpRequest) -> QuerySet[Feedback]:
    """Feedback on a request: for coordinators' eyes only (the caller checks)."""
    return help_request.feedback.select_related("author", "about").order_by("-created_at", "-id")


def carer_signal_of(*, help_request: HelpRequest):
    """Does this request look like a hidden-carer situation? (detection.carer_situation)

    Derived from the request's own answers and description, so it is computed, never stored:
    it cannot drift from what the person wrote.
    """
    hours = help_request.care_hours_per_week
    signal = _carer_signal(
        description=help_request.description,
        for_someone_else=help_request.for_someone_else,
        relationship=help_request.relationship,
        cared_for_age=help_request.cared_for_age,
        care_hours_per_week=float(hours) if hours is not None else None,
        # The reasons are sentences in the active language: part of what the result depends on.
        active_language=translation.get_language(),
    )
    # Fresh lists: the remembered signal is shared, whoever changes theirs changes only theirs.
    return dataclasses.replace(
        signal,
        reasons=list(signal.reasons),
        codes=list(signal.codes),
        reason_codes=[
            {"code": reason["code"], "params": dict(reason["params"])}
            for reason in signal.reason_codes
        ],
    )


def orientation_of(*, help_request) -> dict:
    """Needs beyond the task the description suggests, and where to turn (issue 16, item 4):
    `{"needs": [codes], "services": [...]}`, `needs: []` when none.

    Computed from the description, never stored, and only for the requester's side and
    coordinators (requests_app.serializers): it is about the person, not the task.
    """
    needs = list(_orientation_needs(help_request.description or ""))
    return {
        "needs": needs,
        "services": orientation_services(needs=needs, postcode=help_request.postcode),
    }


def orientation_services(*, needs: list[str], postcode: str) -> list[dict]:
    """Where a person with these needs can turn, near `postcode`, in the active language ([]
    when no need; requests_app.orientation)."""
    if not needs:
        return []
    return orientation_routes(needs=needs, cpas_of=lambda: _own_cpas(postcode))


def _own_cpas(postcode: str) -> dict | None:
    """The CPAS/OCMW/ÖSHZ of the postcode's (primary) municipality, as the directory writes it
    for the active language, or None when the directory has none for that place."""
    services = services_for_postcode_data(postcode, language=active_language()) or []
    return next((service for service in services if service["kind"] == ServiceKind.CPAS), None)


@lru_cache(maxsize=1024)
def _orientation_needs(description: str) -> tuple[str, ...]:
    return tuple(orientation_needs(description))


# The signal runs a few hundred patterns over the description (about 1 ms) and is a pure function
# of the answers and the language of its reasons, so it is remembered: the requester's page reads
# the same request again and again. Nothing to invalidate: other answers are another key.
@lru_cache(maxsize=1024)
def _carer_signal(
    *,
    description: str,
    for_someone_else: bool,
    relationship: str,
    cared_for_age: int | None,
    care_hours_per_week: float | None,
    active_language: str | None,
):
    return carer_signal_for_request(
        description=description,
        for_someone_else=for_someone_else,
        relationship=relationship,
        cared_for_age=cared_for_age,
        care_hours_per_week=care_hours_per_week,
        language=None,
    )


# How far back a calendar feed goes: a year of past visits and one-off dates is plenty for a
# calendar application, and keeps the feed small.
CALENDAR_PAST = datetime.timedelta(days=366)


def _parties_filter(user: User, prefix: str = "") -> Q:
    parties = Q()
    for name in permissions.PARTIES:
        parties |= Q(**{f"{prefix}{name}": user})
    return parties


def calendar_requests_of(*, user: User) -> list[HelpRequest]:
    """The requests `user` is a party of that have a start: recurring ones whatever their
    first date, one-off ones from a year back."""
    since = timezone.now() - CALENDAR_PAST
    return list(
        HelpRequest.objects.filter(_parties_filter(user), starts_at__isnull=False)
        .filter(~Q(recurrence="once") | Q(starts_at__gte=since))
        .order_by("starts_at", "pk")[:500]
    )


def calendar_visits_of(*, user: User) -> list[Visit]:
    """The visits of the requests `user` is a party of, from a year back."""
    since = timezone.localdate() - CALENDAR_PAST
    return list(
        Visit.objects.filter(_parties_filter(user, "request__"), date__gte=since)
        .select_related("request")
        .order_by("date", "pk")[:1000]
    )


def calendar_feed_owner(*, token: str) -> User | None:
    """Whose calendar feed `token` opens (None: no such feed, or an old token)."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
