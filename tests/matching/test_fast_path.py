"""The fast matching queries give exactly what the plain formula gives.

ranking.scoring.reference_pairs_sql() is the score written plainly (geography coverage, every
factor for every pair); candidates_for, scored_pairs_for and eligible_helpers_for use the planar
copies, the partial indexes, the set-based joins and the top-N pruning (ranking/scoring.py).
On a few hundred random helpers and random requests, many of them at the very edge of a helper's
radius, they must find the same helpers with the same scores, in the same order.
"""

import random
from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from geopy.distance import geodesic

from matching.models import NEAR_SHARES, VerificationState, metric_point
from matching.selectors import eligible_helpers_for
from matching.vocabulary import Category, Recurrence
from ranking import scoring
from ranking.batch import batch_plan
from ranking.selectors import best_near_pairs_for, candidates_for, scored_pairs_for
from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import AvailabilitySlotFactory, HelperProfileFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

HELPERS = 300
REQUESTS = 60
EDGE_REQUESTS = 40
# Few categories and languages, so that most requests have many candidates to rank.
CATEGORIES = [Category.SHOPPING, Category.TRANSPORT, Category.COMPANY]
LANGUAGES = ["fr", "nl", "en"]


def reference_pairs(request_ids: list[int]) -> dict[tuple[int, int], float]:
    sql = scoring.reference_pairs_sql(where="r.id = ANY(%s)")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT request_id, helper_id, score FROM ({sql}) pairs", [request_ids])
        return {(request_id, helper_id): score for request_id, helper_id, score in cursor}


def reference_top(request_id: int, limit: int) -> list[tuple[int, float]]:
    sql = scoring.reference_pairs_sql(
        where="r.id = %s", order_and_limit="ORDER BY score DESC, helper_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT helper_id, score FROM ({sql}) pairs", [request_id, limit])
        return list(cursor.fetchall())


@pytest.fixture
def random_neighbourhood():
    """Helpers and requests within ~15 km of Namur, every attribute drawn at random."""
    draw = random.Random(20261123)
    requesters = [UserFactory(language=draw.choice(LANGUAGES)) for _ in range(25)]
    helpers = []
    for _ in range(HELPERS):
        profile = HelperProfileFactory(
            location=point_at(NAMUR, km=draw.uniform(0, 15), bearing=draw.uniform(0, 360)),
            radius_km=draw.choice([0.5, 1, 2, 3.5, 5, 8, 12, 20, draw.uniform(0.5, 20)]),
            categories=draw.sample(CATEGORIES, draw.randint(1, 3)),
            weekly_hours=draw.choice([1, 2, 4, 8]),
            languages=draw.sample(LANGUAGES, draw.randint(1, 2)),
            has_car=draw.random() < 0.5,
            active=draw.random() < 0.93,
            verification_state=(
                VerificationState.VERIFIED if draw.random() < 0.9 else VerificationState.UNVERIFIED
            ),
        )
        if draw.random() < 0.2:
            profile.committed_weekly_hours = draw.choice([0.25, 0.5, 1.0]) * profile.weekly_hours
            profile.save(update_fields=["committed_weekly_hours"])
        if draw.random() < 0.06:
            profile.user.is_active = False
            profile.user.save(update_fields=["is_active"])
        for weekday in draw.sample(range(7), draw.randint(0, 3)):
            start = draw.choice([8, 10, 14, 18])
            AvailabilitySlotFactory(
                profile=profile, weekday=weekday, start=time(start), end=time(start + 3)
            )
        helpers.append(profile)
    # Requests these helpers took before, for continuity.
    for requester in requesters[:10]:
        for helper in draw.sample(helpers, 3):
            HelpRequestFactory(
                requester=requester,
                status=draw.choice([RequestStatus.MATCHED, RequestStatus.COMPLETED]),
                matched_helper=helper.user,
                location=helper.location,
            )

    def random_request(location):
        return HelpRequestFactory(
            requester=draw.choice(requesters + [helper.user for helper in helpers[:5]]),
            location=location,
            category=draw.choice(CATEGORIES),
            languages=draw.sample(LANGUAGES, draw.randint(0, 2)),
            duration_minutes=draw.choice([30, 60, 90, 120, 180]),
            recurrence=draw.choice(list(Recurrence.values)),
            starts_at=(
                datetime(2026, 3, 2, 6, tzinfo=UTC)
                + timedelta(days=draw.randint(0, 6), hours=draw.randint(0, 14))
                if draw.random() < 0.6
                else None
            ),
        )

    requests = [
        random_request(point_at(NAMUR, km=draw.uniform(0, 15), bearing=draw.uniform(0, 360)))
        for _ in range(REQUESTS)
    ]
    # At the edge of a helper's disc: the 64-sided polygon reaches the radius at its corners and
    # 0.12 % less halfway along a side, so these fall on both sides of it.
    for _ in range(EDGE_REQUESTS):
        helper = draw.choice(helpers)
        share = draw.choice([0.997, 0.9985, 0.9992, 0.9999, 1.0003, 1.002])
        requests.append(
            random_request(
                point_at(helper.location, km=helper.radius_km * share, bearing=draw.uniform(0, 360))
            )
        )
    return requests


def test_every_eligible_pair_and_score_is_the_references(random_neighbourhood):
    request_ids = [help_request.pk for help_request in random_neighbourhood]

    expected = reference_pairs(request_ids)
    found = {(r, h): score for r, h, score in scored_pairs_for(help_request_ids=request_ids)}

    assert len(expected) > 2000  # enough pairs to mean something
    assert set(found) == set(expected)
    for pair, score in expected.items():
        assert found[pair] == pytest.approx(score, abs=1e-12), pair


def test_the_orm_eligibility_is_the_references(random_neighbourhood):
    expected = reference_pairs([help_request.pk for help_request in random_neighbourhood])

    for help_request in random_neighbourhood:
        through_orm = set(
            eligible_helpers_for(help_request=help_request).values_list("user_id", flat=True)
        )
        assert through_orm == {h for r, h in expected if r == help_request.pk}, help_request.pk


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_the_pruned_candidates_are_the_references_top(random_neighbourhood, limit):
    longer_lists = 0
    for help_request in random_neighbourhood:
        expected = reference_top(help_request.pk, limit)

        found = candidates_for(help_request=help_request, limit=limit)

        assert [c.helper_id for c in found] == [helper_id for helper_id, _ in expected]
        assert [c.score for c in found] == pytest.approx([score for _, score in expected])
        longer_lists += len(reference_top(help_request.pk, limit + 1)) > limit
    # Most requests had more helpers than the list holds: the pruning was put to work.
    assert longer_lists > len(random_neighbourhood) // 2


def test_the_pruning_survives_ties_and_inactive_accounts_at_the_top():
    # Eight helpers in the same place with the same everything: the same score. The three
    # first by id lose their account; the list must still be the next ones by id.
    requester = UserFactory()
    twins = [HelperProfileFactory(verification_state=VerificationState.VERIFIED) for _ in range(8)]
    for twin in twins[:3]:
        twin.user.is_active = False
        twin.user.save(update_fields=["is_active"])
    help_request = HelpRequestFactory(requester=requester)

    found = candidates_for(help_request=help_request, limit=3)

    assert [c.helper_id for c in found] == sorted(t.user_id for t in twins[3:])[:3]
    assert [c.helper_id for c in found] == [h for h, _ in reference_top(help_request.pk, 3)]


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (50.85, 4.35),  # Brussels
        (51.37, 4.45),  # north of Antwerp
        (51.09, 2.55),  # De Panne, the west end
        (50.75, 6.10),  # east of Eupen
        (49.50, 5.80),  # the south tip near Arlon
        (50.47, 4.87),  # Namur
    ],
)
def test_lambert_2008_distances_are_within_a_tenth_of_a_percent_of_geodesic_ones(
    latitude, longitude
):
    # The pruning of candidates bounds geodesic distances by planar ones (scoring.DISTANCE_BOUND).
    origin = Point(longitude, latitude, srid=4326)
    for km in (0.5, 5, 20, 50):
        for bearing in range(0, 360, 30):
            other = point_at(origin, km=km, bearing=bearing)
            planar = metric_point(origin).distance(metric_point(other))
            true = geodesic((origin.y, origin.x), (other.y, other.x)).m
            assert abs(planar - true) / true < scoring.PLANAR_DISTANCE_RELATIVE_ERROR


@pytest.mark.parametrize("share", NEAR_SHARES)
def test_the_best_near_pairs_are_the_references_and_the_others_stay_below_the_bound(
    random_neighbourhood, share
):
    request_ids = [help_request.pk for help_request in random_neighbourhood]
    expected = reference_pairs(request_ids)

    near, bounds = best_near_pairs_for(help_request_ids=request_ids, near_share=share, keep=3)

    assert set(bounds) == set(request_ids)
    kept = {(r, h): score for r, h, score in near}
    for pair, score in kept.items():
        assert score == pytest.approx(expected[pair], abs=1e-12), pair
    left_out = [(pair, score) for pair, score in expected.items() if pair not in kept]
    assert left_out, "some pairs must be left out for this to mean something"
    for (request_id, helper_id), score in left_out:
        assert score <= bounds[request_id], (request_id, helper_id)


def test_the_batch_from_the_near_pairs_first_is_as_good_as_from_every_pair(random_neighbourhood):
    request_ids = [help_request.pk for help_request in random_neighbourhood]

    near_first = batch_plan(request_ids=request_ids)
    every_pair = batch_plan(request_ids=request_ids, near_first=False)

    assert near_first.optimal and every_pair.optimal
    assert near_first.total_score == pytest.approx(every_pair.total_score, abs=1e-9)
    assert len(near_first.assignments) == len(every_pair.assignments)
