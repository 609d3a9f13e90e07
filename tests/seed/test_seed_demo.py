"""`manage.py seed_demo`: deterministic, idempotent, realistic Belgian demo data."""

import time
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from geopy.distance import geodesic
from rest_framework.test import APIClient

from accounts.models import Role, User
from geo.models import Postcode, Region
from matching.models import AvailabilitySlot, HelperProfile, VerificationState
from requests_app.demo.content import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    DESCRIPTIONS,
    FIRST_NAMES,
    GERMAN_SPEAKING_POSTCODES,
    HELPPER_EMAIL,
    HELPPIE_EMAIL,
    SURNAMES,
)
from requests_app.models import HelpRequest, RequestStatus
from tests.accounts.factories import UserFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("places", "debug_mode")]

DEMO = "@demo.tandem.invalid"


@pytest.fixture
def debug_mode(settings):
    # pytest-django turns DEBUG off; the command only seeds on a development set-up.
    settings.DEBUG = True


def seed(*arguments: str) -> str:
    output = StringIO()
    call_command("seed_demo", *arguments, stdout=output, stderr=output)
    return output.getvalue()


def snapshot() -> dict:
    """Everything the seed decides, keyed by stable things (emails), not database ids."""

    def local_start(help_request):
        if help_request.starts_at is None:
            return None
        return help_request.starts_at.weekday(), help_request.starts_at.hour

    return {
        "users": list(
            User.objects.filter(email__endswith=DEMO)
            .order_by("email")
            .values_list("email", "display_name", "language", "postcode", "roles")
        ),
        "profiles": list(
            HelperProfile.objects.order_by("user__email").values_list(
                "user__email",
                "location",
                "radius_km",
                "categories",
                "weekly_hours",
                "languages",
                "has_car",
                "active",
                "verification_state",
                "verified_by__email",
            )
        ),
        "slots": list(
            AvailabilitySlot.objects.order_by("profile__user__email", "weekday").values_list(
                "profile__user__email", "weekday", "start", "end"
            )
        ),
        "requests": [
            (
                help_request.requester.email,
                help_request.created_by.email,
                help_request.category,
                help_request.description,
                help_request.location.coords,
                help_request.approximate_location.coords,
                help_request.postcode,
                help_request.duration_minutes,
                help_request.recurrence,
                help_request.languages,
                help_request.status,
                local_start(help_request),
            )
            for help_request in HelpRequest.objects.select_related(
                "requester", "created_by"
            ).order_by("requester__email", "description")
        ],
    }


def test_the_same_seed_gives_the_same_data():
    seed("--helpers", "25", "--requests", "8", "--seed", "7")
    first = snapshot()

    seed("--helpers", "25", "--requests", "8", "--seed", "7")

    assert snapshot() == first
    assert len(first["profiles"]) == 25
    assert len(first["requests"]) == 8


def test_another_seed_gives_other_data():
    seed("--helpers", "25", "--requests", "8", "--seed", "7")
    first = snapshot()

    seed("--helpers", "25", "--requests", "8", "--seed", "8")
    second = snapshot()

    assert second["users"] != first["users"]
    assert second["profiles"] != first["profiles"]
    assert second["requests"] != first["requests"]


def test_running_twice_replaces_the_demo_data_and_leaves_real_accounts_alone():
    real_person = UserFactory(email="real.person@example.be")
    real_request = HelpRequestFactory(requester=real_person)

    seed()
    counts = (User.objects.count(), HelperProfile.objects.count(), HelpRequest.objects.count())
    seed()

    assert (
        User.objects.count(),
        HelperProfile.objects.count(),
        HelpRequest.objects.count(),
    ) == counts
    assert counts == (1 + 60 + 12 + 1, 60, 12 + 1)  # + the demo helppie and coordinator
    assert User.objects.filter(pk=real_person.pk).exists()
    assert HelpRequest.objects.filter(pk=real_request.pk, requester=real_person).exists()


@pytest.mark.parametrize("email", [HELPPIE_EMAIL, HELPPER_EMAIL, COORDINATOR_EMAIL])
def test_the_three_demo_logins_sign_in_with_the_printed_password(email):
    output = seed("--print-logins")

    answer = APIClient().post(
        "/api/auth/token/", {"email": email, "password": DEMO_PASSWORD}, format="json"
    )

    assert email in output
    assert DEMO_PASSWORD in output
    assert answer.status_code == 200, answer.content
    assert answer.json()["token"]
    validate_password(DEMO_PASSWORD, user=User.objects.get(email=email))


def test_the_demo_roles():
    seed()

    assert User.objects.get(email=HELPPIE_EMAIL).roles == [Role.HELPPIE]
    assert User.objects.get(email=HELPPER_EMAIL).roles == [Role.HELPPER]
    assert User.objects.get(email=COORDINATOR_EMAIL).is_coordinator


def test_the_demo_helpper_is_a_verified_neighbour_who_can_take_the_helppies_request():
    seed()
    helppie_request = HelpRequest.objects.get(requester__email=HELPPIE_EMAIL)
    profile = HelperProfile.objects.get(user__email=HELPPER_EMAIL)

    assert helppie_request.status == RequestStatus.OPEN
    assert profile.verification_state == VerificationState.VERIFIED
    assert profile.verified_by.email == COORDINATOR_EMAIL
    assert profile.active
    assert HelperProfile.objects.filter(
        pk=profile.pk, coverage__covers=helppie_request.location
    ).exists()
    assert helppie_request.category in profile.categories
    assert helppie_request.weekly_load_hours <= profile.weekly_hours
    assert set(helppie_request.languages) <= set(profile.languages)


def test_places_are_real_postcodes_across_the_three_regions():
    seed()
    demo_users = User.objects.filter(email__endswith=DEMO)
    postcodes = set(demo_users.values_list("postcode", flat=True))
    postcodes |= set(HelpRequest.objects.values_list("postcode", flat=True))

    assert Postcode.objects.filter(code__in=postcodes).count() == len(postcodes)
    helper_regions = set(
        Postcode.objects.filter(
            code__in=HelperProfile.objects.values_list("postcode", flat=True)
        ).values_list("municipality__region", flat=True)
    )
    request_regions = set(
        Postcode.objects.filter(code__in=HelpRequest.objects.values("postcode")).values_list(
            "municipality__region", flat=True
        )
    )
    assert helper_regions == request_regions == {Region.BRUSSELS, Region.FLANDERS, Region.WALLONIA}


def test_homes_are_a_few_hundred_metres_from_their_postcode():
    seed()
    points = dict(Postcode.objects.values_list("code", "location"))

    for profile in HelperProfile.objects.all():
        place = points[profile.postcode]
        metres = geodesic((place.y, place.x), (profile.location.y, profile.location.x)).m
        assert 50 < metres < 1500, profile.user.email


def test_names_and_languages_fit_the_region():
    seed("--helpers", "120")
    region_of = dict(Postcode.objects.values_list("code", "municipality__region"))
    dutch_first_names = set(FIRST_NAMES["nl"])

    for user in User.objects.filter(email__endswith=DEMO).exclude(roles=[Role.COORDINATOR]):
        first_name = user.display_name.split()[0]
        if int(user.postcode) in GERMAN_SPEAKING_POSTCODES:
            assert user.language == "de" and first_name in FIRST_NAMES["de"], user.email
        elif region_of[user.postcode] == Region.FLANDERS:
            assert user.language == "nl" and first_name in dutch_first_names, user.email
        elif region_of[user.postcode] == Region.WALLONIA:
            assert user.language == "fr" and first_name in FIRST_NAMES["fr"], user.email
    assert User.objects.filter(email__endswith=DEMO, language="de").exists()
    for profile in HelperProfile.objects.select_related("user"):
        assert profile.user.language in profile.languages


def test_the_german_speaking_postcodes_are_those_of_the_nine_municipalities():
    # DOMAIN.md lists them; the place data names them in Dutch as in German.
    nine = {
        "Eupen",
        "Kelmis",
        "Lontzen",
        "Raeren",
        "Amel",
        "Büllingen",
        "Burg-Reuland",
        "Bütgenbach",
        "Sankt Vith",
    }
    in_range = Postcode.objects.filter(
        code__gte=f"{GERMAN_SPEAKING_POSTCODES.start}",
        code__lt=f"{GERMAN_SPEAKING_POSTCODES.stop}",
    )

    assert set(in_range.values_list("municipality__name_nl", flat=True)) == nine
    assert (
        not Postcode.objects.filter(municipality__name_nl__in=nine)
        .exclude(pk__in=in_range)
        .exists()
    )


def test_helper_profiles_stay_in_the_brief():
    seed()

    for profile in HelperProfile.objects.prefetch_related("availability_slots"):
        profile.full_clean()
        assert 2 <= profile.radius_km <= 15
        assert 2 <= profile.weekly_hours <= 8
        assert profile.categories
        assert profile.availability_slots.exists()
        assert ("transport" not in profile.categories) or profile.has_car
    states = list(HelperProfile.objects.values_list("verification_state", flat=True))
    assert states.count(VerificationState.VERIFIED) > len(states) / 2
    assert VerificationState.UNVERIFIED in states


def test_requests_are_open_valid_and_written_in_the_requesters_language():
    seed()

    for help_request in HelpRequest.objects.select_related("requester"):
        help_request.full_clean()
        language = help_request.requester.language
        assert help_request.status == RequestStatus.OPEN
        assert help_request.languages == [language]
        assert help_request.description in DESCRIPTIONS[help_request.category][language]


def test_most_requests_have_a_verified_helper_who_covers_them():
    seed()
    covered = [
        HelperProfile.objects.filter(
            coverage__covers=help_request.location,
            categories__contains=[help_request.category],
            verification_state=VerificationState.VERIFIED,
            active=True,
        ).exists()
        for help_request in HelpRequest.objects.all()
    ]

    assert sum(covered) >= 0.75 * len(covered)


def test_the_default_demo_is_built_in_a_few_seconds():
    started = time.monotonic()
    seed()

    assert time.monotonic() - started < 5


def test_bad_counts_are_refused():
    with pytest.raises(CommandError):
        seed("--requests", "0")
    with pytest.raises(CommandError):
        seed("--helpers", "-1")


def test_with_debug_off_it_warns_and_creates_nothing(settings):
    settings.DEBUG = False

    output = seed()

    assert "no demo data was created" in output
    assert not User.objects.filter(email__endswith=DEMO).exists()


def test_the_name_lists_have_no_duplicates():
    for group in FIRST_NAMES:
        assert len(set(FIRST_NAMES[group])) == len(FIRST_NAMES[group]), group
        assert len(set(SURNAMES[group])) == len(SURNAMES[group]), group
