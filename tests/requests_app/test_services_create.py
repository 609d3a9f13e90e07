"""help_request_create: the place, the medical guard, the blur salt, requests made on behalf."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from geopy.distance import geodesic

from core.api_errors import DomainError
from requests_app.models import HelpRequest, RequestStatus
from requests_app.services import help_request_create
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.geo.factories import NAMUR, point_at

pytestmark = pytest.mark.django_db

NAMUR_LOCATION = {"lat": NAMUR.y, "lon": NAMUR.x}


def create(requester, **fields):
    defaults = {
        "requester": requester,
        "created_by": requester,
        "category": "shopping",
        "description": "Courses au marché le samedi.",
        "duration_minutes": 60,
        "recurrence": "weekly",
    }
    return help_request_create(**{**defaults, **fields})


@pytest.fixture
def person():
    return UserFactory(postcode="5000")


def test_a_location_is_used_as_the_exact_place(person):
    help_request = create(person, location=NAMUR_LOCATION)

    assert help_request.status == RequestStatus.OPEN
    assert (help_request.location.x, help_request.location.y) == (NAMUR.x, NAMUR.y)
    assert help_request.created_by == person


def test_a_postcode_gives_its_point_and_is_kept(person):
    help_request = create(person, postcode="5000")

    assert help_request.postcode == "5000"
    assert geodesic((help_request.location.y, help_request.location.x), (NAMUR.y, NAMUR.x)).km < 10


def test_the_approximate_place_is_at_least_500_metres_away(person):
    help_request = create(person, location=NAMUR_LOCATION)

    exact, approximate = help_request.location, help_request.approximate_location
    assert geodesic((exact.y, exact.x), (approximate.y, approximate.x)).m >= 500


@pytest.mark.parametrize(
    "location",
    [{"lat": 48.8566, "lon": 2.3522}, {"lat": 51.4416, "lon": 5.4697}, {"lat": 0, "lon": 0}],
    ids=["paris", "eindhoven", "null-island"],
)
def test_a_place_outside_belgium_is_refused(person, location):
    with pytest.raises(ValidationError) as error:
        create(person, location=location)

    assert "location" in error.value.message_dict
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("postcode", ["0000", "9999", "75001", "abcd"])
def test_an_unknown_postcode_is_refused(person, postcode):
    with pytest.raises(ValidationError) as error:
        create(person, postcode=postcode)

    assert "postcode" in error.value.message_dict


def test_without_postcode_or_place_it_is_refused(person):
    with pytest.raises(ValidationError) as error:
        create(person)

    assert "location" in error.value.message_dict


def test_the_medical_guard_runs_before_anything_else(person):
    # Also the place is missing and the duration absurd: the medical refusal comes first.
    with pytest.raises(DomainError) as error:
        create(person, description="Faire une piqûre d'insuline", duration_minutes=100000)

    assert error.value.code == "medical_task"
    assert error.value.status_code == 400
    assert error.value.extra["services"]
    assert not HelpRequest.objects.exists()


def test_every_invalid_field_is_named_at_once(person):
    with pytest.raises(ValidationError) as error:
        create(
            person,
            postcode="5000",
            category="nursing",
            duration_minutes=5,
            recurrence="daily",
            languages=["fr", "xx"],
            relationship="boss",
            cared_for_age=131,
            care_hours_per_week=169,
        )

    assert set(error.value.message_dict) == {
        "category",
        "duration_minutes",
        "recurrence",
        "languages",
        "relationship",
        "cared_for_age",
        "care_hours_per_week",
    }


def test_a_start_in_the_past_is_refused(person):
    with pytest.raises(ValidationError) as error:
        create(person, postcode="5000", starts_at=timezone.now() - datetime.timedelta(days=1))

    assert "starts_at" in error.value.message_dict


# --- Privacy: repeated requests from one home share one blur -----------------------------------


def test_repeated_requests_from_the_same_place_share_their_approximate_place(person):
    first = create(person, location=NAMUR_LOCATION)
    second = create(person, location=NAMUR_LOCATION, category="company")
    third = create(person, location=NAMUR_LOCATION, category="gardening")

    # Averaging them would find the home if each had its own random offset; they have one.
    assert first.location_salt == second.location_salt == third.location_salt
    assert first.approximate_location.coords == second.approximate_location.coords
    assert first.approximate_location.coords == third.approximate_location.coords


def test_gps_jitter_a_few_metres_away_keeps_the_same_blur(person):
    first = create(person, location=NAMUR_LOCATION)
    nearby = point_at(NAMUR, km=0.02)
    second = create(person, location={"lat": nearby.y, "lon": nearby.x})

    assert second.location_salt == first.location_salt


def test_another_place_of_the_same_person_gets_its_own_blur(person):
    first = create(person, location=NAMUR_LOCATION)
    elsewhere = point_at(NAMUR, km=3)
    second = create(person, location={"lat": elsewhere.y, "lon": elsewhere.x})

    assert second.location_salt != first.location_salt


def test_another_person_at_the_same_point_gets_another_blur(person):
    first = create(person, location=NAMUR_LOCATION)
    second = create(UserFactory(), location=NAMUR_LOCATION)

    assert second.location_salt != first.location_salt


# --- On someone's behalf -----------------------------------------------------------------------


def test_a_coordinator_creates_a_request_for_a_person(person):
    coordinator = CoordinatorFactory()

    help_request = create(person, created_by=coordinator, postcode="5000")

    assert help_request.requester == person
    assert help_request.created_by == coordinator


def test_nobody_else_creates_a_request_for_a_person(person):
    with pytest.raises(DomainError) as error:
        create(person, created_by=UserFactory(), postcode="5000")

    assert error.value.status_code == 403


def test_a_likely_hidden_carer_opens_one_referral_with_consent_pending(person):
    from carers.models import Referral

    help_request = create(
        person,
        postcode="5000",
        category="company",
        description=(
            "Depuis l'AVC de mon mari, je ne peux plus le laisser seul. Quelqu'un pourrait "
            "lui tenir compagnie le mardi pour que je fasse mes courses ?"
        ),
        for_someone_else=True,
        relationship="spouse",
        cared_for_age=81,
        care_hours_per_week=30,
    )

    referral = Referral.objects.get(help_request=help_request)
    assert referral.source == "request"
    assert referral.consent == "pending"
    assert referral.person == person


def test_an_ordinary_request_opens_no_referral(person):
    from carers.models import Referral

    create(person, postcode="5000", description="Arroser les plantes de ma voisine en juillet.")

    assert not Referral.objects.exists()
