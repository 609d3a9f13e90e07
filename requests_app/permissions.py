"""Who may do what with a help request: the one source of these rules.

The API (requests_app.api), the pages (frontend.request_pages), the services (which refuse with
core.api_errors.NotAllowed), the candidates endpoint (ranking.api) and the helpers' concerns
(carers) all ask here, so none of them keeps a copy that could drift.

The parties of a request are its requester, whoever made it for them (`created_by`: the person
themselves, or a coordinator on their behalf) and, once matched, its helper. A request is seen by
its parties and by coordinators; anyone else gets a 404, exactly as for an unknown id, so its
existence is not leaked. Who sees it is declared once, in PARTIES, and read three ways: on a
loaded request or row (help_request_permissions), as an ORM filter (visible_to_filter) and as
SQL for the fast read path (PARTY_SQL, requests_app.selectors); tests/requests_app/
test_read_paths.py checks the three agree for every persona.

A person without e-mail (accounts.models.ManagedPerson) never signs in: the coordinators of
their team speak for them. Besides what every coordinator may do, only their team asks for help
in their name (may_ask_for) and confirms their helper's visits (what the person said on the
phone); accounts.selectors says who is in the team.

Two sorts of answers: `may_*` says who (a refusal is a 403 once the request is visible), and
`can_*` adds what the request's state allows now (what a page offers; the services check the
state again under the row lock and answer 409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q

from accounts.models import ContactPreference, User
from accounts.selectors import person_is_managed_by, person_manager_ids
from requests_app.models import HelpRequest, RequestStatus

# The request's own people: they (and coordinators) see it.
PARTIES = ("requester", "created_by", "matched_helper")

# `<column> = %s OR ...` for the parties, one parameter each (party_sql_params).
PARTY_SQL = " OR ".join(f"{HelpRequest._meta.get_field(name).column} = %s" for name in PARTIES)

# What the request's state allows.
CANCELLABLE_STATUSES = (RequestStatus.OPEN, RequestStatus.MATCHED)
COMPLETABLE_STATUSES = (RequestStatus.MATCHED,)
# A last visit may be logged after the requester marked the request done.
VISIT_LOGGABLE_STATUSES = (RequestStatus.MATCHED, RequestStatus.COMPLETED)


class RequestParties(Protocol):
    """A HelpRequest or a requests_app.selectors.HelpRequestRow: what the rules read."""

    status: str
    requester_id: int | None
    created_by_id: int | None
    matched_helper_id: int | None


def _signed_in(user) -> bool:
    # An anonymous user's pk is None, like the requester of an erased account's request.
    return bool(user is not None and user.is_authenticated and user.pk is not None)


def is_party(*, help_request: RequestParties, user) -> bool:
    """Whether `user` is the requester, the maker or the matched helper of the request."""
    return _signed_in(user) and user.pk in (getattr(help_request, f"{name}_id") for name in PARTIES)


def acts_for_requester(*, help_request: RequestParties, user) -> bool:
    """The requester, whoever made the request for them, or a coordinator: who speaks for the
    person asking (sees the offers and the candidates, accepts, cancels, completes)."""
    return _signed_in(user) and (
        user.pk in (help_request.requester_id, help_request.created_by_id) or user.is_coordinator
    )


def may_see(*, help_request: RequestParties, user) -> bool:
    """Whether `user` may read the request: its parties and coordinators."""
    return is_party(help_request=help_request, user=user) or (
        _signed_in(user) and user.is_coordinator
    )


def sees_exact_place(*, help_request: RequestParties, user) -> bool:
    """Whether `user` may see the request's exact place: whoever may read the request (the
    matched helper included). Everyone else, e.g. helpers finding it nearby, sees the
    approximate one."""
    return may_see(help_request=help_request, user=user)


def may_ask_on_behalf(user) -> bool:
    """Whether `user` may ask for help on someone else's behalf: coordinators only."""
    return _signed_in(user) and user.is_coordinator


def may_ask_for(*, user, requester: User) -> bool:
    """Whether `user` may ask for help with `requester` as the person asking: themselves, or a
    coordinator on their behalf; for a person managed by a team of coordinators, one of that
    team (any coordinator, should the whole team have left)."""
    if not _signed_in(user):
        return False
    if user.pk == requester.pk:
        return True
    if not may_ask_on_behalf(user):
        return False
    team = person_manager_ids(person_id=requester.pk)
    return not team or user.pk in team


def manages_requester(*, help_request: RequestParties, user) -> bool:
    """Whether `user` is in the team of coordinators managing the requester (a person without
    e-mail): they speak for the person where even other coordinators do not."""
    return (
        _signed_in(user)
        and user.is_coordinator
        and person_is_managed_by(person_id=help_request.requester_id, user=user)
    )


def visible_to_filter(user: User) -> Q:
    """may_see as an ORM filter on HelpRequest (callers check user.is_authenticated first)."""
    if user.is_coordinator:
        return Q()
    parties = Q()
    for name in PARTIES:
        parties |= Q(**{name: user})
    return parties


def party_sql_params(user: User) -> list[int]:
    """The parameters of PARTY_SQL for `user`."""
    return [user.pk] * len(PARTIES)


@dataclass(frozen=True)
class HelpRequestPermissions:
    """What one person may do with one request (see the module docstring)."""

    may_see: bool
    acts_for_requester: bool
    is_requester: bool
    is_matched_helper: bool
    sees_exact_place: bool
    may_see_offers: bool
    may_see_candidates: bool
    may_accept: bool
    may_cancel: bool
    may_complete: bool
    may_log_visits: bool
    may_confirm_visits: bool
    manages_requester: bool
    may_leave_feedback: bool
    may_read_feedback: bool
    # With the request's state as it was read.
    can_cancel: bool
    can_complete: bool
    can_log_visits: bool
    can_leave_feedback: bool


def help_request_permissions(*, user, help_request: RequestParties) -> HelpRequestPermissions:
    """Everything `user` (possibly anonymous) may do with `help_request` (a HelpRequest or a
    row). Nobody who may not see the request may do anything with it."""
    seen = may_see(help_request=help_request, user=user)
    for_requester = acts_for_requester(help_request=help_request, user=user)
    signed_in = _signed_in(user)
    is_requester = signed_in and user.pk == help_request.requester_id
    has_helper = help_request.matched_helper_id is not None
    is_matched_helper = signed_in and has_helper and user.pk == help_request.matched_helper_id
    # Feedback is about the other side of the match: the person helped and their helper.
    may_leave_feedback = is_requester or is_matched_helper
    status = help_request.status
    in_team = manages_requester(help_request=help_request, user=user)
    return HelpRequestPermissions(
        may_see=seen,
        acts_for_requester=for_requester,
        is_requester=is_requester,
        is_matched_helper=is_matched_helper,
        sees_exact_place=seen,
        may_see_offers=for_requester,
        may_see_candidates=for_requester,
        may_accept=for_requester,
        may_cancel=for_requester,
        may_complete=for_requester,
        may_log_visits=is_matched_helper,
        # The confirmation is the person's own word: not even a coordinator gives it, except
        # the team of a person without e-mail, who tell them on the phone.
        may_confirm_visits=is_requester or in_team,
        manages_requester=in_team,
        may_leave_feedback=may_leave_feedback,
        # Feedback is private to the coordinators.
        may_read_feedback=seen and signed_in and user.is_coordinator,
        can_cancel=for_requester and status in CANCELLABLE_STATUSES,
        can_complete=for_requester and status in COMPLETABLE_STATUSES,
        can_log_visits=is_matched_helper and status in VISIT_LOGGABLE_STATUSES,
        can_leave_feedback=may_leave_feedback and has_helper,
    )


def sees_how_to_reach(*, permissions: HelpRequestPermissions, contact_preference: str) -> bool:
    """Whether the reader of `permissions` may see how to reach a requester without e-mail
    (their phone): the coordinators of their team, and the matched helper when the person chose
    an SMS from their helper (they agreed to it at intake). Their postal address stays with the
    team (`permissions.manages_requester`), who write the letters."""
    return permissions.manages_requester or (
        permissions.is_matched_helper and contact_preference == ContactPreference.HELPER_SMS
    )
