"""Accepts racing, with real concurrent database connections (one per thread).

A barrier releases the threads together, and a short pause inside the locked part of
match_confirm keeps the first transaction open while the second arrives, so the two really
overlap: without the row locks both would pass their checks and both would win.
"""

import threading
import time

import pytest
from django.db import connection

from core.api_errors import Conflict
from matching.models import HelperProfile
from requests_app import services
from requests_app.models import Offer, OfferStatus, RequestStatus
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE_SECONDS = 0.3


@pytest.fixture
def slow_critical_section(monkeypatch):
    """Holds each accept inside its locks a little longer (after taking the helper's lock)."""
    check = services.helper_is_eligible_for

    def slow_check(**kwargs):
        time.sleep(PAUSE_SECONDS)
        return check(**kwargs)

    monkeypatch.setattr(services, "helper_is_eligible_for", slow_check)


# (start, end) of each call in the last run_together, to check that the calls overlapped.
last_run_times: list[tuple[float, float]] = []


def run_together(*calls):
    """Runs each call in its own thread and connection, all released at once by a barrier.
    Returns each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)
    times = [(0.0, 0.0)] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            start = time.monotonic()
            try:
                outcomes[index] = call()
            finally:
                times[index] = (start, time.monotonic())
        except Exception as error:  # noqa: BLE001 — the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    last_run_times[:] = times
    return outcomes


def assert_all_overlapped() -> None:
    """Every call started before any call ended: they ran at the same time."""
    starts, ends = zip(*last_run_times, strict=True)
    assert max(starts) < min(ends)


def test_two_accepts_on_one_request_one_wins_one_conflicts(slow_critical_section):
    help_request = HelpRequestFactory()
    first = OfferFactory(request=help_request)
    second = OfferFactory(request=help_request)

    outcomes = run_together(
        lambda: services.match_confirm(offer=first),
        lambda: services.match_confirm(offer=second),
    )

    conflicts = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    wins = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert (len(wins), len(conflicts)) == (1, 1), outcomes
    assert conflicts[0].code == "request_not_open"
    assert_all_overlapped()
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.MATCHED
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 1
    winner = Offer.objects.get(status=OfferStatus.ACCEPTED)
    assert help_request.matched_helper_id == winner.helper_id
    committed = dict(HelperProfile.objects.values_list("user_id", "committed_weekly_hours"))
    assert committed[winner.helper_id] == pytest.approx(1.0)
    assert sum(committed.values()) == pytest.approx(1.0)


def test_one_helper_accepted_twice_at_once_never_exceeds_their_weekly_hours(
    slow_critical_section,
):
    helper = VerifiedHelperFactory(weekly_hours=2.0).user
    requests = [HelpRequestFactory(duration_minutes=90) for _ in range(2)]  # 1.5 h each
    offers = [OfferFactory(request=help_request, helper=helper) for help_request in requests]

    outcomes = run_together(
        *(lambda offer=offer: services.match_confirm(offer=offer) for offer in offers)
    )

    assert sum(isinstance(outcome, Conflict) for outcome in outcomes) == 1, outcomes
    assert [o.code for o in outcomes if isinstance(o, Conflict)] == ["helper_unavailable"]
    assert_all_overlapped()
    profile = HelperProfile.objects.get(user=helper)
    assert profile.committed_weekly_hours == pytest.approx(1.5)
    assert profile.committed_weekly_hours <= profile.weekly_hours
    statuses = sorted(
        type(help_request).objects.get(pk=help_request.pk).status for help_request in requests
    )
    assert statuses == [RequestStatus.MATCHED, RequestStatus.OPEN]


def test_two_requesters_racing_through_the_api_get_one_200_and_one_409(slow_critical_section):
    requester = UserFactory()
    help_request = HelpRequestFactory(requester=requester)
    first = OfferFactory(request=help_request)
    second = OfferFactory(request=help_request)

    def accept(offer):
        return client_for(requester).post(f"/api/offers/{offer.pk}/accept/").status_code

    outcomes = run_together(lambda: accept(first), lambda: accept(second))

    assert sorted(outcomes) == [200, 409]
    assert_all_overlapped()
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 1


def test_many_accepts_for_one_helper_at_once_stay_within_capacity(slow_critical_section):
    helper = VerifiedHelperFactory(weekly_hours=3.0).user
    offers = [
        OfferFactory(request=HelpRequestFactory(duration_minutes=60), helper=helper)
        for _ in range(5)
    ]

    outcomes = run_together(
        *(lambda offer=offer: services.match_confirm(offer=offer) for offer in offers)
    )

    assert sum(not isinstance(outcome, Exception) for outcome in outcomes) == 3, outcomes
    assert HelperProfile.objects.get(user=helper).committed_weekly_hours == pytest.approx(3.0)
