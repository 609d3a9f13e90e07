"""The score of a (helper, request) pair and the order and reasons of the candidates list.

Every factor is checked alone: two helpers that differ in that factor only, ranked through
candidates_for (the SQL of ranking/scoring.py), and the factor's value itself.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from matching.vocabulary import Category, Recurrence
from ranking import scoring
from ranking.selectors import candidates_for, scored_pairs_for
from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import AvailabilitySlotFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def by_helper(help_request, **kwargs) -> dict:
    return {
        candidate.helper_id: candidate
        for candidate in candidates_for(help_request=help_request, limit=50, **kwargs)
    }


def test_the_weights_add_up_to_one_and_every_factor_has_one():
    assert sum(scoring.WEIGHTS.values()) == pytest.approx(1.0)
    assert set(scoring.WEIGHTS) == set(scoring.factor_sql())
    assert all(weight > 0 for weight in scoring.WEIGHTS.values())


def test_the_score_is_the_weighted_sum_of_factors_each_in_zero_to_one():
    VerifiedHelperFactory(has_car=True, languages=["nl"])
    VerifiedHelperFactory(location=point_at(NAMUR, km=3), weekly_hours=1)
    AvailabilitySlotFactory(profile=VerifiedHelperFactory(location=point_at(NAMUR, km=4.9)))
    help_request = HelpRequestFactory(
        category=Category.SHOPPING, starts_at=datetime(2026, 3, 3, 10, 0, tzinfo=BRUSSELS)
    )

    candidates = candidates_for(help_request=help_request, limit=50)

    assert len(candidates) == 3
    for candidate in candidates:
        assert all(0.0 <= value <= 1.0 for value in candidate.factors.values())
        weighted = sum(scoring.WEIGHTS[name] * candidate.factors[name] for name in scoring.FACTORS)
        assert candidate.score == pytest.approx(weighted)
        assert 0.0 <= candidate.score <= 1.0


def test_distance_is_one_at_home_and_falls_to_zero_at_the_helpers_radius():
    at_home = VerifiedHelperFactory(location=NAMUR, radius_km=10)
    halfway = VerifiedHelperFactory(location=point_at(NAMUR, km=5), radius_km=10)
    at_the_edge = VerifiedHelperFactory(location=point_at(NAMUR, km=9.95), radius_km=10)

    factors = {
        helper_id: candidate.factors["distance"]
        for helper_id, candidate in by_helper(HelpRequestFactory(location=NAMUR)).items()
    }

    assert factors[at_home.user_id] == pytest.approx(1.0)
    assert factors[halfway.user_id] == pytest.approx(0.5, abs=0.001)
    assert factors[at_the_edge.user_id] == pytest.approx(0.005, abs=0.001)


def test_closer_ranks_higher_all_else_equal():
    far = VerifiedHelperFactory(location=point_at(NAMUR, km=4))
    near = VerifiedHelperFactory(location=point_at(NAMUR, km=1))
    middle = VerifiedHelperFactory(location=point_at(NAMUR, km=2.5))

    ranked = [c.helper_id for c in candidates_for(help_request=HelpRequestFactory())]

    assert ranked == [near.user_id, middle.user_id, far.user_id]


def test_the_request_languages_count_before_the_requesters_own():
    french = VerifiedHelperFactory(languages=["fr"])
    dutch = VerifiedHelperFactory(languages=["nl", "en"])
    requester = UserFactory(language="fr")

    asked_in_dutch = by_helper(HelpRequestFactory(requester=requester, languages=["nl"]))
    no_languages_given = by_helper(HelpRequestFactory(requester=requester, languages=[]))

    assert asked_in_dutch[dutch.user_id].factors["language"] == 1
    assert asked_in_dutch[french.user_id].factors["language"] == 0
    assert no_languages_given[french.user_id].factors["language"] == 1
    assert no_languages_given[dutch.user_id].factors["language"] == 0


@pytest.mark.parametrize(
    # 10:00 in Brussels on a Tuesday, in winter (UTC+1) and in summer (UTC+2).
    "starts_at",
    [
        datetime(2026, 1, 6, 9, 0, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 7, 7, 8, 0, tzinfo=ZoneInfo("UTC")),
    ],
)
def test_availability_compares_slots_with_the_brussels_weekday_and_time(starts_at):
    covering = VerifiedHelperFactory()
    AvailabilitySlotFactory(profile=covering, weekday=1, start=time(10, 0), end=time(10, 30))
    ends_at_the_start = VerifiedHelperFactory()  # the end of a slot is not part of it
    AvailabilitySlotFactory(profile=ends_at_the_start, weekday=1, start=time(9), end=time(10))
    other_day = VerifiedHelperFactory()
    AvailabilitySlotFactory(profile=other_day, weekday=2, start=time(9), end=time(12))
    no_slots = VerifiedHelperFactory()

    factors = {
        helper_id: candidate.factors["availability"]
        for helper_id, candidate in by_helper(HelpRequestFactory(starts_at=starts_at)).items()
    }

    assert factors == {
        covering.user_id: 1.0,
        ends_at_the_start.user_id: scoring.SAME_WEEKDAY,
        other_day.user_id: 0.0,
        no_slots.user_id: 0.0,
    }


def test_availability_is_neutral_without_a_start_time():
    AvailabilitySlotFactory(profile=VerifiedHelperFactory())
    VerifiedHelperFactory()

    candidates = candidates_for(help_request=HelpRequestFactory(starts_at=None))

    assert [c.factors["availability"] for c in candidates] == [scoring.NEUTRAL] * 2


def test_capacity_is_the_share_of_weekly_hours_left_after_this_request():
    helper = VerifiedHelperFactory(weekly_hours=8, committed_weekly_hours=2)
    help_request = HelpRequestFactory(duration_minutes=120, recurrence=Recurrence.WEEKLY)

    factor = by_helper(help_request)[helper.user_id].factors["capacity"]

    assert factor == pytest.approx((8 - 2 - 2) / 8)


def test_continuity_counts_earlier_requests_of_the_same_person_this_helper_took():
    requester = UserFactory()
    helped_before = VerifiedHelperFactory()
    cancelled_on = VerifiedHelperFactory()
    helped_someone_else = VerifiedHelperFactory()
    HelpRequestFactory(
        requester=requester, status=RequestStatus.COMPLETED, matched_helper=helped_before.user
    )
    HelpRequestFactory(
        requester=requester, status=RequestStatus.CANCELLED, matched_helper=cancelled_on.user
    )
    HelpRequestFactory(status=RequestStatus.MATCHED, matched_helper=helped_someone_else.user)

    candidates = by_helper(HelpRequestFactory(requester=requester))

    assert candidates[helped_before.user_id].factors["continuity"] == 1
    assert candidates[cancelled_on.user_id].factors["continuity"] == 0
    assert candidates[helped_someone_else.user_id].factors["continuity"] == 0
    assert candidates[helped_before.user_id].score > candidates[cancelled_on.user_id].score


def test_a_car_counts_for_transport_only():
    with_car = VerifiedHelperFactory(has_car=True, categories=[Category.TRANSPORT, Category.MEALS])
    without = VerifiedHelperFactory(has_car=False, categories=[Category.TRANSPORT, Category.MEALS])

    transport = by_helper(HelpRequestFactory(category=Category.TRANSPORT))
    meals = by_helper(HelpRequestFactory(category=Category.MEALS))

    assert transport[with_car.user_id].factors["car"] == 1
    assert transport[without.user_id].factors["car"] == 0
    assert transport[with_car.user_id].score > transport[without.user_id].score
    assert meals[with_car.user_id].factors["car"] == meals[without.user_id].factors["car"]
    assert meals[with_car.user_id].score == pytest.approx(meals[without.user_id].score)


def test_candidates_are_sorted_by_score_and_cut_at_the_limit():
    for km in (0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4):
        VerifiedHelperFactory(location=point_at(NAMUR, km=km, bearing=30 * km))
    help_request = HelpRequestFactory()

    three = candidates_for(help_request=help_request, limit=3)
    everyone = candidates_for(help_request=help_request, limit=50)

    assert len(three) == 3 and len(everyone) == 8
    scores = [candidate.score for candidate in everyone]
    assert scores == sorted(scores, reverse=True)
    assert three == everyone[:3]


def test_candidates_take_one_query_however_many_helpers(django_assert_max_num_queries):
    requester = UserFactory()
    for number in range(15):
        profile = VerifiedHelperFactory(location=point_at(NAMUR, km=0.2 * number))
        AvailabilitySlotFactory(profile=profile)
        HelpRequestFactory(
            requester=requester, status=RequestStatus.COMPLETED, matched_helper=profile.user
        )
    help_request = HelpRequestFactory(
        requester=requester, starts_at=datetime(2026, 3, 3, 10, tzinfo=BRUSSELS)
    )

    with django_assert_max_num_queries(1):
        candidates = candidates_for(help_request=help_request, limit=50)

    assert len(candidates) == 15


def test_distance_shown_is_rounded_up_to_a_whole_kilometre():
    helper = VerifiedHelperFactory(location=point_at(NAMUR, km=2.3))
    next_door = VerifiedHelperFactory(location=point_at(NAMUR, km=0.2))

    candidates = by_helper(HelpRequestFactory())

    assert candidates[helper.user_id].distance_km == 3
    assert candidates[next_door.user_id].distance_km == 1


def test_scored_pairs_give_the_same_scores_as_the_candidates():
    helpers = [
        VerifiedHelperFactory(location=point_at(NAMUR, km=km), has_car=km > 2, languages=languages)
        for km, languages in [(0.5, ["fr"]), (2.5, ["nl"]), (4, ["fr", "de"])]
    ]
    AvailabilitySlotFactory(profile=helpers[1])
    requests = [
        HelpRequestFactory(location=point_at(NAMUR, km=1, bearing=bearing), category=category)
        for bearing, category in [(0, Category.SHOPPING), (180, Category.COMPANY)]
    ]

    pairs = scored_pairs_for(help_request_ids=[r.pk for r in requests])

    expected = {
        (help_request.pk, candidate.helper_id): candidate.score
        for help_request in requests
        for candidate in candidates_for(help_request=help_request, limit=50)
    }
    assert {(r, h): pytest.approx(s) for r, h, s in pairs} == expected
    assert len(pairs) == len(expected) > 0
    assert scored_pairs_for(help_request_ids=[]) == []
