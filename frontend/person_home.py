"""The home page of a signed-in person: what waits for them, by the part they play.

A person may play several parts (ask for help and offer it; a coordinator who also helps), so
the page stacks a section per part rather than choosing one:

- asking for help (helppie): my requests with their state, offers to answer, visits to confirm;
- helping (helpper): proposals from a coordinator, requests nearby, the people I help, my
  hours this month;
- working for a partner service (service_worker): the referrals sent to their service, counted
  by status (counts only: no one's data is read, so nothing goes to the access log);
- coordinating: the queues with their counts (helpers to verify, referrals by status, concerns,
  visits not confirmed, open requests nobody is eligible for) and the batch page.

Everyone with a conversation sees them with their unread counts. Every list is read through the
owning app's selectors with its relations joined, so the number of queries does not grow with
the number of rows (tests/frontend/test_person_home.py counts them).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import display_names_of
from carers import selectors as carer_selectors
from carers.loop_texts import status_label
from core.languages import active_language
from directory.selectors import service_of_worker
from matching import selectors as helper_selectors
from messaging.selectors import conversation_list_for_user
from ranking import batch
from ranking import selectors as ranking_selectors
from ranking.models import ProposalStatus
from requests_app import selectors as request_selectors
from requests_app.models import RequestStatus

LISTED = 10  # rows per list: a home page points at the full pages, it does not replace them
NEARBY_LISTED = 5


def _month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def conversations_section(*, user: User) -> list[dict]:
    """The person's conversations, most recent first: with whom, about which request, and how
    many messages they have not read. Three queries whatever their number."""
    rows = conversation_list_for_user(user=user)
    conversations = [dict(zip(rows.names, values, strict=True)) for values in rows.values][:LISTED]
    others = {
        member
        for conversation in conversations
        for member in conversation["participants"]
        if member != user.pk
    }
    names = display_names_of(user_ids=others)
    categories = request_selectors.help_request_categories(
        request_ids={c["request"] for c in conversations if c["request"]}
    )
    return [
        {
            "id": conversation["id"],
            "with": ", ".join(
                names.get(member, "")
                for member in conversation["participants"]
                if member != user.pk
            ),
            "category": categories.get(conversation["request"], ""),
            "unread": conversation["unread_count"],
        }
        for conversation in conversations
    ]


def helppie_section(*, user: User, own_requests: list) -> dict:
    """What a person asking for help has to see or do."""
    return {
        "requests": own_requests,
        "offers": list(request_selectors.offers_to_answer_for(user=user)[:LISTED]),
        "visits": list(request_selectors.visits_to_confirm_for(user=user)[:LISTED]),
    }


def helper_section(*, user: User, profile, today: datetime.date) -> dict:
    """What a helper has to see or do."""
    start, end = _month_bounds(today)
    return {
        "profile": profile,
        "proposals": list(
            batch.proposals_of_helper(helper_user=user, status=ProposalStatus.PROPOSED)[:LISTED]
        ),
        "nearby": ranking_selectors.nearby_requests_for(helper_user=user, limit=NEARBY_LISTED),
        "helping": list(
            request_selectors.help_requests_matched_to(helper_user=user).filter(
                status=RequestStatus.MATCHED
            )[:LISTED]
        ),
        "hours_this_month": request_selectors.helper_hours_between(
            helper_user=user, start=start, end=end
        ),
        "month": start,
    }


def coordinator_section() -> dict:
    """The coordinators' queues and how many wait in each."""
    referrals = carer_selectors.referral_counts_by_status()
    return {
        "helpers_to_verify": helper_selectors.helpers_awaiting_verification().count(),
        "referrals": referrals,
        "concerns": carer_selectors.helper_concerns_open().count(),
        "visits_unconfirmed": request_selectors.visits_unconfirmed().count(),
        "open_requests": request_selectors.help_requests_open().count(),
        "without_candidates": len(ranking_selectors.open_requests_without_candidates()),
    }


def service_worker_section(*, user: User) -> dict | None:
    """The queue of a partner service's worker: their service and its referrals by status."""
    service = service_of_worker(user=user)
    if service is None:
        return None
    counts = carer_selectors.referral_counts_for_service(service=service)
    return {
        "service": service.name_in(active_language()),
        "counts": [(status, status_label(status), count) for status, count in counts.items()],
        "waiting": counts.get("sent", 0),
    }


def person_home_context(*, user: User) -> dict:
    """Everything the signed-in home page shows to `user`."""
    own_requests = list(request_selectors.help_requests_of(user=user)[:LISTED])
    profile = helper_selectors.helper_profile_get(user=user)
    asks = user.has_role(Role.HELPPIE) or bool(own_requests)
    helps = profile is not None or user.has_role(Role.HELPPER)
    return {
        "helppie": helppie_section(user=user, own_requests=own_requests) if asks else None,
        "helper": (
            helper_section(user=user, profile=profile, today=timezone.localdate())
            if helps
            else None
        ),
        "coordinator": coordinator_section() if user.is_coordinator else None,
        "service_worker": service_worker_section(user=user) if user.is_service_worker else None,
        "conversations": conversations_section(user=user),
    }
