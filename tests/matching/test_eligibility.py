"""Who may be matched with a request (CONTRACT.md "Requests and matching"), rule by rule.

Each rule is checked through both ways the engine asks the question: the ORM queryset
(eligible_helpers_for, used to accept offers) and the SQL join of the batch and candidates
(scored_pairs_for). They must agree.
"""

import pytest
from django.db import IntegrityError, transaction

from matching.models import VerificationState
from matching.selectors import eligible_helpers_for, helper_is_eligible_for
from matching.vocabulary import Category, Recurrence
from ranking.selectors import scored_pairs_for
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def eligible_user_ids(help_request) -> set[int]:
    through_orm = set(
        eligible_helpers_for(help_request=help_request).values_list("user_id", flat=True)
    )
    through_sql = {
        helper_id
        for _request, helper_id, _score in scored_pairs_for(help_request_ids=[help_request.pk])
    }
    assert through_orm == through_sql, "the ORM and the SQL eligibility disagree"
    return through_orm


def test_an_active_verified_helper_around_the_corner_is_eligible():
    helper = VerifiedHelperFactory()
    help_request = HelpRequestFactory()

    assert eligible_user_ids(help_request) == {helper.user_id}
    assert helper_is_eligible_for(helper_user=helper.user, help_request=help_request)


def test_an_inactive_helper_is_not():
    helper = VerifiedHelperFactory(active=False)
    help_request = HelpRequestFactory()

    assert eligible_user_ids(help_request) == set()
    assert not helper_is_eligible_for(helper_user=helper.user, help_request=help_request)


@pytest.mark.parametrize("state", [VerificationState.UNVERIFIED, VerificationState.REJECTED])
def test_a_helper_not_verified_is_not(state):
    HelperProfileFactory(verification_state=state)

    assert eligible_user_ids(HelpRequestFactory()) == set()


def test_a_deactivated_account_is_not():
    helper = VerifiedHelperFactory()
    helper.user.is_active = False
    helper.user.save()

    assert eligible_user_ids(HelpRequestFactory()) == set()


@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_the_helpers_own_radius_decides_geodesically(bearing):
    helper = VerifiedHelperFactory(location=NAMUR, radius_km=5)
    # The covered disc is a polygon inscribed in the circle, within 0.2 % of it (matching/models).
    just_inside = HelpRequestFactory(location=point_at(NAMUR, km=4.98, bearing=bearing))
    just_outside = HelpRequestFactory(location=point_at(NAMUR, km=5.02, bearing=bearing))

    assert eligible_user_ids(just_inside) == {helper.user_id}
    assert eligible_user_ids(just_outside) == set()


def test_each_helper_has_their_own_radius():
    far_reaching = VerifiedHelperFactory(location=NAMUR, radius_km=20)
    VerifiedHelperFactory(location=NAMUR, radius_km=10)
    help_request = HelpRequestFactory(location=point_at(NAMUR, km=15, bearing=200))

    assert eligible_user_ids(help_request) == {far_reaching.user_id}


def test_a_helper_must_offer_the_category():
    VerifiedHelperFactory(categories=[Category.GARDENING])
    meals = VerifiedHelperFactory(categories=[Category.MEALS, Category.SHOPPING])

    assert eligible_user_ids(HelpRequestFactory(category=Category.MEALS)) == {meals.user_id}


@pytest.mark.parametrize(
    ("duration_minutes", "recurrence", "eligible"),
    [
        (60, Recurrence.ONCE, True),  # load 1 h = spare 1 h
        (75, Recurrence.ONCE, False),  # load 1.25 h > spare
        (60, Recurrence.WEEKLY, True),
        (120, Recurrence.EVERY_TWO_WEEKS, True),  # 2 h × 0.5
        (135, Recurrence.EVERY_TWO_WEEKS, False),  # 1.125 h
        (240, Recurrence.MONTHLY, True),  # 4 h × 0.25
        (255, Recurrence.MONTHLY, False),  # 1.0625 h
    ],
)
def test_spare_weekly_hours_must_cover_the_weekly_load(duration_minutes, recurrence, eligible):
    helper = VerifiedHelperFactory(weekly_hours=4, committed_weekly_hours=3)
    help_request = HelpRequestFactory(duration_minutes=duration_minutes, recurrence=recurrence)

    assert eligible_user_ids(help_request) == ({helper.user_id} if eligible else set())


def test_the_requester_is_never_their_own_helper():
    helper = VerifiedHelperFactory()
    own_request = HelpRequestFactory(requester=helper.user)

    assert eligible_user_ids(own_request) == set()
    assert not helper_is_eligible_for(helper_user=helper.user, help_request=own_request)


def test_a_request_of_an_erased_account_still_finds_helpers():
    helper = VerifiedHelperFactory()
    help_request = HelpRequestFactory()
    help_request.requester = None
    help_request.save()

    assert eligible_user_ids(help_request) == {helper.user_id}


def test_someone_without_a_profile_is_not_eligible(personas):
    assert not helper_is_eligible_for(
        helper_user=personas.outsider, help_request=personas.help_request
    )


@pytest.mark.parametrize(
    ("committed", "allowed"), [(0, True), (4, True), (4.5, False), (-1, False)]
)
def test_the_database_keeps_committed_hours_within_weekly_hours(committed, allowed):
    helper = VerifiedHelperFactory(weekly_hours=4)
    helper.committed_weekly_hours = committed

    if allowed:
        helper.save()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            helper.save()
