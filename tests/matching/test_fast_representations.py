"""The hot paths of the matching API (nearby requests, one's helper profile) write their plain
rows through their serializers (core.fast_rows): the bytes must be the serializers' own on the
objects, and each call (candidates included) must stay within its few queries."""

from datetime import UTC, datetime, time

import pytest
from rest_framework.renderers import JSONRenderer

from accounts.models import Language
from core.fast_rows import rows_data
from matching import selectors
from matching.serializers import HelperProfileOutputSerializer
from matching.vocabulary import Category, Recurrence
from ranking import selectors as ranking_selectors
from ranking.serializers import (
    NearbyRequestSerializer,
)
from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import (
    AvailabilitySlotFactory,
    HelperProfileFactory,
    VerifiedHelperFactory,
)
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

NEARBY_URL = "/api/requests/nearby/"
HELPER_ME_URL = "/api/helpers/me/"


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def varied_requests_around_namur() -> list:
    """Requests at several distances, with and without a start, once and weekly, in 2 zones."""
    return [
        HelpRequestFactory(
            location=point_at(NAMUR, km=1.3),
            starts_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night summer time begins
            description="Courses « bio » à l'épicerie, 2e étage — merci !",
        ),
        HelpRequestFactory(location=point_at(NAMUR, km=2.75, bearing=200), starts_at=None),
        HelpRequestFactory(
            location=point_at(NAMUR, km=4.05, bearing=10),
            category=Category.COMPANY,
            recurrence=Recurrence.WEEKLY,
            starts_at=datetime(2026, 12, 1, 23, 59, 59, 123456, tzinfo=UTC),
        ),
    ]


def test_nearby_requests_are_rendered_as_the_serializer_renders_them():
    helper = VerifiedHelperFactory(location=NAMUR, radius_km=5, weekly_hours=10)
    varied_requests_around_namur()

    rows = ranking_selectors.nearby_request_rows_for(helper_user=helper.user)
    nearby = ranking_selectors.nearby_requests_for(helper_user=helper.user)

    assert len(rows.values) == 3
    assert rendered(rows_data(NearbyRequestSerializer, rows)) == rendered(
        NearbyRequestSerializer(nearby, many=True).data
    )


def test_the_nearby_api_answers_with_the_serializers_bytes():
    helper = VerifiedHelperFactory(location=NAMUR, radius_km=5, weekly_hours=10)
    varied_requests_around_namur()

    response = client_for(helper.user).get(NEARBY_URL)

    nearby = ranking_selectors.nearby_requests_for(helper_user=helper.user)
    assert response.content == rendered(NearbyRequestSerializer(nearby, many=True).data)


def test_nearby_takes_two_queries_for_a_helper_and_one_for_anyone_else(
    django_assert_num_queries,
):
    helper = VerifiedHelperFactory(location=NAMUR)
    HelpRequestFactory.create_batch(3, location=point_at(NAMUR, km=2))
    not_a_helper = UserFactory()

    with django_assert_num_queries(2):
        helped = client_for(helper.user).get(NEARBY_URL)
    with django_assert_num_queries(1):
        refused = client_for(not_a_helper).get(NEARBY_URL)

    assert len(helped.json()) == 3
    assert refused.status_code == 403


def test_an_unverified_helper_has_a_profile_but_nothing_nearby():
    profile = HelperProfileFactory(location=NAMUR)
    HelpRequestFactory(location=point_at(NAMUR, km=1))

    rows = ranking_selectors.nearby_request_rows_for(helper_user=profile.user)
    assert rows is not None and not rows
    assert ranking_selectors.nearby_request_rows_for(helper_user=UserFactory()) is None


def verified_helper_with_slots_stored_out_of_order():
    profile = VerifiedHelperFactory(languages=[Language.DUTCH, Language.FRENCH])
    for weekday, start, end in [(4, 14, 17), (0, 8, 11), (4, 9, 12)]:
        AvailabilitySlotFactory(
            profile=profile, weekday=weekday, start=time(start, 5), end=time(end, 45)
        )
    return profile


@pytest.mark.parametrize(
    "profile_factory",
    [
        pytest.param(
            verified_helper_with_slots_stored_out_of_order,
            id="verified, with slots",
        ),
        pytest.param(
            lambda: HelperProfileFactory(languages=[], active=False), id="unverified, no slots"
        ),
    ],
)
def test_ones_helper_profile_is_rendered_as_the_serializer_renders_it(profile_factory):
    profile = profile_factory()

    rows = selectors.helper_profile_rows(user_id=profile.user_id)

    expected = HelperProfileOutputSerializer(selectors.helper_profile_get(user=profile.user)).data
    assert rendered(rows_data(HelperProfileOutputSerializer, rows)) == rendered([expected])


def test_ones_helper_profile_takes_one_query(django_assert_num_queries):
    profile = AvailabilitySlotFactory().profile

    with django_assert_num_queries(1):
        response = client_for(profile.user).get(HELPER_ME_URL)

    assert response.json()["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]


def test_no_helper_profile_row_without_a_profile():
    assert not selectors.helper_profile_rows(user_id=UserFactory().pk)


def candidates_around(help_request) -> None:
    for km in (0.4, 2.2, 3.9):
        VerifiedHelperFactory(location=point_at(help_request.location, km=km), has_car=km > 2)


def test_candidates_take_two_queries_the_requester_included(django_assert_num_queries):
    # No languages on the request: those wanted are the requester's own, read with the request.
    requester = UserFactory(language=Language.DUTCH)
    help_request = HelpRequestFactory(requester=requester, languages=[])
    candidates_around(help_request)

    with django_assert_num_queries(2):
        response = client_for(requester).get(f"/api/requests/{help_request.pk}/candidates/")

    assert len(response.json()) == 3


def test_the_request_read_for_candidates_carries_its_requesters_language():
    requester = UserFactory(language=Language.GERMAN)
    help_request = HelpRequestFactory(requester=requester, status=RequestStatus.MATCHED)

    found = ranking_selectors.help_request_for_candidates(request_id=help_request.pk)

    assert (found.pk, found.category, found.requester_id) == (
        help_request.pk,
        help_request.category,
        requester.pk,
    )
    assert found.location == help_request.location
    assert found.requester.language == Language.GERMAN
    # Fields it does not read are loaded if asked for.
    assert found.status == RequestStatus.MATCHED
    assert ranking_selectors.help_request_for_candidates(request_id=help_request.pk + 1000) is None
