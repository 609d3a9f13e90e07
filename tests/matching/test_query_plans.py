"""The candidates and nearby queries are answered by the spatial (GiST) indexes.

With a few thousand helpers (and requests) spread over Belgium and fresh statistics, PostgreSQL
must find the helpers whose coverage holds a request through the partial coverage index of the
request's category (on coverage_metric, matchable helpers only), not by reading every helper, and
the requests inside a helper's coverage through the requests' place index.
"""

import random

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from accounts.models import Role, User
from matching.models import HelperProfile, VerificationState, coverage_index_name
from matching.vocabulary import Category
from ranking.selectors import candidates_sql
from requests_app.models import HelpRequest, RequestStatus, approximate_point, new_location_salt
from tests.geo.factories import NAMUR
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

HELPERS = 2000
REQUESTS = 2000


def random_point_in_belgium(draw: random.Random) -> Point:
    # The box between Mons, Leuven, Liège and Namur: inside Belgium, dense enough.
    return Point(draw.uniform(3.95, 5.55), draw.uniform(50.35, 50.85), srid=4326)


def gist_index_on(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
            [table, f"%USING gist ({column})%"],
        )
        (name,) = cursor.fetchone()
    return name


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def crowded_belgium():
    draw = random.Random(3)
    users = User.objects.bulk_create(
        User(email=f"plan{number}@example.org", display_name=f"Plan {number}", roles=[Role.HELPPER])
        for number in range(HELPERS + 1)
    )
    profiles = []
    for user in users[:HELPERS]:
        home = random_point_in_belgium(draw)
        radius_km = draw.choice([1.0, 2.0, 5.0, 10.0])
        profile = HelperProfile(
            user=user,
            location=home,
            radius_km=radius_km,
            categories=[Category.SHOPPING, Category.COMPANY],
            weekly_hours=4,
            languages=["fr"],
            verification_state=VerificationState.VERIFIED,
        )
        profile.derive_places()  # bulk_create skips save()
        profiles.append(profile)
    HelperProfile.objects.bulk_create(profiles)
    requests = []
    for _number in range(REQUESTS):
        place, salt = random_point_in_belgium(draw), new_location_salt()
        requests.append(
            HelpRequest(
                requester=users[-1],
                category=Category.SHOPPING,
                description="Courses",
                location=place,
                approximate_location=approximate_point(exact=place, salt=salt),
                location_salt=salt,
                duration_minutes=60,
                status=RequestStatus.OPEN,
            )
        )
    HelpRequest.objects.bulk_create(requests)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {HelperProfile._meta.db_table}")
        cursor.execute(f"ANALYZE {HelpRequest._meta.db_table}")


@pytest.mark.parametrize("category", [Category.SHOPPING, Category.COMPANY])
def test_candidates_use_the_coverage_index_of_the_category(crowded_belgium, category):
    help_request = HelpRequestFactory(location=NAMUR, category=category)
    sql, params = candidates_sql(help_request=help_request, limit=10)

    plan = explain(sql, params)

    assert f"Index Scan using {coverage_index_name(category)} " in plan, plan
    assert f"Seq Scan on {HelperProfile._meta.db_table}" not in plan, plan


def test_the_batch_pairs_use_the_coverage_indexes(crowded_belgium):
    from ranking import scoring

    requests = [
        HelpRequestFactory(location=NAMUR, category=category)
        for category in (Category.SHOPPING, Category.COMPANY)
    ]

    plan = explain(scoring.pairs_sql(where="r.id = ANY(%s)"), [[r.pk for r in requests]])

    for category in (Category.SHOPPING, Category.COMPANY):
        assert f"Index Scan using {coverage_index_name(category)} " in plan, plan
    assert f"Seq Scan on {HelperProfile._meta.db_table}" not in plan, plan


def test_nearby_uses_the_request_place_index(crowded_belgium):
    from ranking import selectors as ranking_selectors

    helper = VerifiedHelperFactory(location=NAMUR, radius_km=5)
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        ranking_selectors.nearby_requests_for(helper_user=helper.user)
    (sql, params), *_others = [
        (sql, params) for sql, params in captured if HelpRequest._meta.db_table in sql
    ]

    plan = explain(sql, params)

    assert gist_index_on(HelpRequest._meta.db_table, "location") in plan, plan
    assert f"Seq Scan on {HelpRequest._meta.db_table}" not in plan, plan
