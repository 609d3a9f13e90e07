"""Reads of the request flow: who may see which request, offer, visit and feedback."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from requests_app.models import Feedback, HelpRequest, Offer, Visit


def help_requests_of(*, user: User) -> QuerySet[HelpRequest]:
    """The user's own requests: asked by them, or made by them on someone's behalf."""
    return HelpRequest.objects.filter(Q(requester=user) | Q(created_by=user)).order_by(
        "-created_at", "-id"
    )


def help_requests_matched_to(*, helper_user: User) -> QuerySet[HelpRequest]:
    """The requests `helper_user` is (or was) the matched helper of."""
    return HelpRequest.objects.filter(matched_helper=helper_user).order_by("-created_at", "-id")


def help_request_visible_to(*, user: User, pk: int) -> HelpRequest | None:
    """The request if `user` may read it (requester, who made it, matched helper, coordinator);
    None otherwise, so that other people's requests are indistinguishable from unknown ones."""
    if not user.is_authenticated:
        return None
    requests = HelpRequest.objects.filter(pk=pk)
    if not user.is_coordinator:
        requests = requests.filter(Q(requester=user) | Q(created_by=user) | Q(matched_helper=user))
    return requests.first()


def sees_exact_place(*, help_request: HelpRequest, user: User) -> bool:
    """Whether `user` may see the request's exact place: the person, whoever made the request for
    them, coordinators, and the helper once matched. Everyone else sees the approximate one."""
    return bool(
        user.is_authenticated
        and (
            user.pk in (help_request.requester_id, help_request.created_by_id)
            or user.pk == help_request.matched_helper_id
            or user.is_coordinator
        )
    )


def acts_for_requester(*, help_request: HelpRequest, user: User) -> bool:
    """The requester, whoever made the request for them, or a coordinator."""
    return bool(
        user.is_authenticated
        and (
            user.pk in (help_request.requester_id, help_request.created_by_id)
            or user.is_coordinator
        )
    )


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
    """Does this request look like a hidden-carer situation? (carers.signals, issue 5 item 4)

    Derived from the request's own answers and description, so it is computed, never stored:
    it cannot drift from what the person wrote.
    """
    from carers.signals import carer_signal_for_request

    hours = help_request.care_hours_per_week
    return carer_signal_for_request(
        description=help_request.description,
        for_someone_else=help_request.for_someone_else,
        relationship=help_request.relationship,
        cared_for_age=help_request.cared_for_age,
        care_hours_per_week=float(hours) if hours is not None else None,
        language=None,
    )
