"""HelpRequest and its companions: weekly load, the approximate place, integrity rules."""

import random
from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from geopy.distance import geodesic

from matching.vocabulary import WEEKLY_LOAD_FACTOR, Recurrence, weekly_load_hours_expression
from requests_app.models import HelpRequest, Offer, OfferStatus, Visit, approximate_point
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def _metres(a: Point, b: Point) -> float:
    return geodesic((a.y, a.x), (b.y, b.x)).m


# --- weekly load (CONTRACT.md: duration_minutes / 60 × f) ----------------------------------


def test_the_factor_table_is_the_contracts():
    assert WEEKLY_LOAD_FACTOR == {
        "once": 1.0,
        "weekly": 1.0,
        "every_two_weeks": 0.5,
        "monthly": 0.25,
    }


@pytest.mark.parametrize(
    ("duration_minutes", "recurrence", "hours"),
    [
        (60, Recurrence.ONCE, 1.0),
        (90, Recurrence.WEEKLY, 1.5),
        (90, Recurrence.EVERY_TWO_WEEKS, 0.75),
        (120, Recurrence.MONTHLY, 0.5),
        (15, Recurrence.MONTHLY, 0.0625),
        (480, Recurrence.WEEKLY, 8.0),
    ],
)
def test_weekly_load_in_python_and_in_the_database(duration_minutes, recurrence, hours):
    help_request = HelpRequestFactory(duration_minutes=duration_minutes, recurrence=recurrence)

    annotated = HelpRequest.objects.annotate(load=weekly_load_hours_expression()).get(
        pk=help_request.pk
    )

    assert help_request.weekly_load_hours == pytest.approx(hours)
    assert annotated.load == pytest.approx(hours)


def test_the_database_expression_reaches_the_request_through_a_relation():
    help_request = HelpRequestFactory(duration_minutes=120, recurrence=Recurrence.EVERY_TWO_WEEKS)
    offer = Offer.objects.create(request=help_request, helper=UserFactory())

    annotated = Offer.objects.annotate(load=weekly_load_hours_expression("request__")).get(
        pk=offer.pk
    )

    assert annotated.load == pytest.approx(1.0)


# --- approximate place ---------------------------------------------------------------------


def test_the_approximate_place_is_500_to_900_metres_from_the_exact_one():
    draw = random.Random(7)
    for _attempt in range(500):
        exact = Point(draw.uniform(2.6, 6.3), draw.uniform(49.6, 51.4), srid=4326)
        blurred = approximate_point(exact=exact, salt=draw.getrandbits(62))
        assert 500 <= _metres(exact, blurred) <= 900


def test_a_saved_request_gets_an_approximate_place_at_least_500_metres_away():
    help_request = HelpRequestFactory()
    help_request.refresh_from_db()

    assert _metres(help_request.location, help_request.approximate_location) >= 500


def test_the_approximate_place_stays_the_same_across_saves():
    help_request = HelpRequestFactory()
    help_request.refresh_from_db()
    first = help_request.approximate_location

    help_request.description = "Autre chose."
    help_request.save()
    help_request.status = "matched"
    help_request.save(update_fields=["status"])
    help_request.refresh_from_db()

    assert help_request.approximate_location.coords == first.coords


def test_two_requests_at_the_same_place_are_blurred_differently():
    first = HelpRequestFactory(location=NAMUR.clone())
    second = HelpRequestFactory(location=NAMUR.clone())

    assert first.location_salt != second.location_salt
    assert _metres(first.approximate_location, second.approximate_location) > 1


def test_moving_the_exact_place_moves_the_approximate_one_with_it():
    help_request = HelpRequestFactory()
    elsewhere = Point(4.3525, 50.8466, srid=4326)

    help_request.location = elsewhere
    help_request.save(update_fields=["location"])
    help_request.refresh_from_db()

    assert 500 <= _metres(elsewhere, help_request.approximate_location) <= 900


# --- integrity -----------------------------------------------------------------------------


def test_a_duration_outside_15_to_480_minutes_is_refused_by_the_database():
    for minutes in (14, 481):
        with pytest.raises(IntegrityError), transaction.atomic():
            HelpRequestFactory(duration_minutes=minutes)


def test_a_helper_offers_once_per_request():
    help_request = HelpRequestFactory()
    helper = UserFactory()
    Offer.objects.create(request=help_request, helper=helper)

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(request=help_request, helper=helper)


def test_the_database_refuses_a_second_accepted_offer_on_one_request():
    help_request = HelpRequestFactory()
    Offer.objects.create(request=help_request, helper=UserFactory(), status=OfferStatus.ACCEPTED)
    Offer.objects.create(request=help_request, helper=UserFactory(), status=OfferStatus.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            request=help_request, helper=UserFactory(), status=OfferStatus.ACCEPTED
        )


def test_a_confirmed_visit_records_when_it_was_confirmed():
    help_request = HelpRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            request=help_request,
            helper=UserFactory(),
            date=date(2026, 3, 2),
            hours="1.5",
            confirmed_by_requester=True,
        )
