"""Deterministic demo data: people, helper profiles and open requests across Belgium.

Every demo account has an email at DEMO_EMAIL_DOMAIN; replacing the demo data deletes those
accounts (and the requests they made or were made for them) and builds them again from the seed,
so running it twice with the same seed gives the same data and never touches real accounts.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from geopy.distance import geodesic, great_circle

from accounts.models import Language, Role, User
from geo.models import Postcode, Region
from matching.models import (
    AvailabilitySlot,
    HelperProfile,
    IdDocumentType,
    VerificationState,
    VettingChange,
)
from matching.vocabulary import Category, Recurrence
from requests_app.demo.content import (
    COORDINATOR_EMAIL,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DESCRIPTIONS,
    FIRST_NAMES,
    GERMAN_SPEAKING_POSTCODES,
    HELPPER_EMAIL,
    HELPPIE_EMAIL,
    NEIGHBOURHOOD_ANCHORS,
    NEIGHBOURHOOD_RADIUS_KM,
    SURNAMES,
)
from requests_app.models import HelpRequest, RequestStatus, approximate_point

BRUSSELS_TIME = ZoneInfo("Europe/Brussels")
# The fixed helppie and helpper live in the neighbourhood of this postcode.
FIXED_LOGINS_POSTCODE = "1000"


class DemoDataError(Exception):
    """The demo data cannot be built (for example: no places loaded yet)."""


@dataclass(frozen=True)
class DemoSummary:
    helpers: int
    requests: int
    users: int


@dataclass(frozen=True)
class _Place:
    postcode: str
    region: str
    point: Point

    @property
    def language_group(self) -> str:
        """Which name list and language fit the place ("other" is drawn later, in Brussels)."""
        if int(self.postcode) in GERMAN_SPEAKING_POSTCODES:
            return "de"
        return {Region.FLANDERS: "nl", Region.WALLONIA: "fr"}.get(self.region, "brussels")


@dataclass
class _Person:
    user: User
    place: _Place
    point: Point
    name_group: str


def demo_user_filter() -> Q:
    """Selects exactly the demo accounts."""
    return Q(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_data_delete() -> int:
    """Delete every demo account and the requests made by or for them; the accounts deleted."""
    demo_users = User.objects.filter(demo_user_filter())
    # Requests outlive their requester's account (SET_NULL), so they go first, explicitly.
    HelpRequest.objects.filter(Q(requester__in=demo_users) | Q(created_by__in=demo_users)).delete()
    deleted, by_model = demo_users.delete()
    return by_model.get(User._meta.label, 0)


def demo_data_replace(*, helper_count: int, request_count: int, seed: int) -> DemoSummary:
    """Replace the demo data with the one `seed` describes.

    Creates three fixed logins (helppie, helpper, coordinator: content.DEMO_PASSWORD), the
    helppie's open request that the helpper's profile covers, and more helpers and open requests
    up to `helper_count` and `request_count` in all. Needs the places (`manage.py load_places`).
    """
    if helper_count < 1 or request_count < 1:
        raise DemoDataError("Need at least one helper and one request (the demo logins' own).")
    draw = random.Random(seed)
    with transaction.atomic():
        demo_data_delete()
        neighbourhoods = _neighbourhood_rotation()
        builder = _Builder(draw=draw, password_hash=make_password(DEMO_PASSWORD))
        coordinator = builder.fixed_coordinator()
        helppie, helpper = builder.fixed_pair(coordinator=coordinator)
        helpers = [helpper]
        for index in range(1, helper_count):
            place = draw.choice(neighbourhoods[(index - 1) % len(neighbourhoods)])
            helpers.append(builder.helper(index=index, place=place, coordinator=coordinator))
        requesters = [helppie]
        for index in range(1, request_count):
            # From the second neighbourhood on: the first (Brussels) has the helppie's request.
            place = draw.choice(neighbourhoods[index % len(neighbourhoods)])
            requesters.append(builder.requester(index=index, place=place))
        builder.save_people()

        requests = [builder.fixed_request(helppie=helppie)]
        for index, requester in enumerate(requesters[1:], start=1):
            # One in four is taken by a coordinator on the phone for someone offline.
            created_by = coordinator.user if index % 4 == 0 else requester.user
            requests.append(builder.request(requester=requester, created_by=created_by))
        builder.save_requests(requests)
    return DemoSummary(helpers=len(helpers), requests=len(requests), users=len(builder.people))


def _neighbourhood_rotation() -> list[list[_Place]]:
    """The places of each neighbourhood, repeated by weight, in the order people are spread.

    Every neighbourhood comes once before any comes twice, so even a small demo reaches all
    of them (and so all three regions); then the heavier ones come again, in proportion.
    """
    neighbourhoods = []
    for anchor_code, weight in NEIGHBOURHOOD_ANCHORS:
        anchor = Postcode.objects.filter(code=anchor_code).values_list("location").first()
        if anchor is None:
            continue
        rows = (
            Postcode.objects.filter(location__dwithin=(anchor[0], D(km=NEIGHBOURHOOD_RADIUS_KM)))
            .order_by("code")
            .values_list("code", "municipality__region", "location")
        )
        neighbourhoods.append((weight, [_Place(*row) for row in rows]))
    if not neighbourhoods:
        raise DemoDataError("No places loaded: run `python manage.py load_places` first.")
    heaviest = max(weight for weight, _places in neighbourhoods)
    return [
        places
        for round_number in range(heaviest)
        for weight, places in neighbourhoods
        if weight > round_number
    ]


def _moved(point: Point, *, metres: float, bearing: float) -> Point:
    destination = geodesic(meters=metres).destination((point.y, point.x), bearing)
    # Rounded to about 1 cm, so that the same seed gives byte-identical points everywhere.
    return Point(round(destination.longitude, 7), round(destination.latitude, 7), srid=4326)


def _ordered(values: set[str], order: list[str]) -> list[str]:
    return [value for value in order if value in values]


class _Builder:
    """Draws people and requests in a fixed order from one random generator."""

    def __init__(self, *, draw: random.Random, password_hash: str) -> None:
        self.draw = draw
        self.password_hash = password_hash
        self.people: list[_Person] = []
        self.profiles: dict[int, tuple[HelperProfile, list[AvailabilitySlot]]] = {}
        self.today: date = timezone.localdate()
        # (latitude, longitude, radius_km, categories) of the helpers who can be matched.
        self._available_helpers: list[tuple[float, float, float, list[str]]] | None = None

    # --- people ---------------------------------------------------------------------------

    def _user(self, *, email: str, display_name: str, language: str, postcode: str, role: str):
        return User(
            email=email,
            display_name=display_name,
            language=language,
            postcode=postcode,
            roles=[role],
            password=self.password_hash,
        )

    def _person(self, *, email: str, role: str, place: _Place) -> _Person:
        group = place.language_group
        if group == "brussels":
            group = self.draw.choices(["fr", "nl", "other"], weights=[5, 3, 2])[0]
        first_name = self.draw.choice(FIRST_NAMES[group])
        surname = self.draw.choice(SURNAMES[group])
        language = group if group != "other" else self.draw.choice(["fr", "fr", "en"])
        # Homes are a few hundred metres from the postcode's point, never exactly on it.
        point = _moved(
            place.point, metres=self.draw.uniform(100, 600), bearing=self.draw.uniform(0, 360)
        )
        user = self._user(
            email=email,
            display_name=f"{first_name} {surname[0]}.",
            language=language,
            postcode=place.postcode,
            role=role,
        )
        person = _Person(user=user, place=place, point=point, name_group=group)
        self.people.append(person)
        return person

    def helper(self, *, index: int, place: _Place, coordinator: _Person) -> _Person:
        person = self._person(
            email=f"helpper-{index:03d}@{DEMO_EMAIL_DOMAIN}", role=Role.HELPPER, place=place
        )
        draw = self.draw
        categories = set(draw.sample(Category.values, k=draw.randint(2, 5)))
        has_car = draw.random() < 0.35
        if not has_car:
            categories.discard(Category.TRANSPORT)  # driving people needs a car
            categories = categories or {Category.COMPANY}
        verified = draw.random() < 0.85
        profile = HelperProfile(
            location=person.point,
            postcode=place.postcode,
            radius_km=float(draw.choice([2, 3, 4, 5, 6, 8, 10, 12, 15])),
            categories=_ordered(categories, Category.values),
            weekly_hours=float(draw.randint(2, 8)),
            languages=self._helper_languages(person),
            has_car=has_car,
            active=draw.random() < 0.95,
        )
        if verified:
            self._verify(profile, coordinator=coordinator)
        slots = []
        for weekday in sorted(draw.sample(range(7), k=draw.randint(1, 3))):
            start_hour = draw.choice([9, 10, 14, 16, 18])
            end_hour = min(start_hour + draw.choice([2, 3, 4]), 21)
            slots.append(
                AvailabilitySlot(weekday=weekday, start=time(start_hour), end=time(end_hour))
            )
        self.profiles[id(person)] = (profile, slots)
        return person

    def _helper_languages(self, person: _Person) -> list[str]:
        draw = self.draw
        spoken = {person.user.language}
        extra_chances = {
            "nl": {"en": 0.5, "fr": 0.4},
            "fr": {"en": 0.4, "nl": 0.2},
            "de": {"fr": 0.7, "en": 0.3},
            "other": {"fr": 0.9, "en": 0.5, "nl": 0.2},
        }[person.name_group]
        for language, chance in extra_chances.items():
            if draw.random() < chance:
                spoken.add(language)
        return _ordered(spoken, Language.values)

    def _verify(self, profile: HelperProfile, *, coordinator: _Person) -> None:
        profile.verification_state = VerificationState.VERIFIED
        profile.verified_by = coordinator.user
        profile.verified_at = timezone.now()

    def requester(self, *, index: int, place: _Place) -> _Person:
        return self._person(
            email=f"helppie-{index:03d}@{DEMO_EMAIL_DOMAIN}", role=Role.HELPPIE, place=place
        )

    def fixed_coordinator(self) -> _Person:
        place = self._fixed_place()
        user = self._user(
            email=COORDINATOR_EMAIL,
            display_name="Nadia Coordination",
            language=Language.FRENCH,
            postcode=place.postcode,
            role=Role.COORDINATOR,
        )
        person = _Person(user=user, place=place, point=place.point, name_group="fr")
        self.people.append(person)
        return person

    def fixed_pair(self, *, coordinator: _Person) -> tuple[_Person, _Person]:
        """The demo helppie and a verified helpper 1.6 km away whose 5 km radius covers her."""
        place = self._fixed_place()
        helppie = _Person(
            user=self._user(
                email=HELPPIE_EMAIL,
                display_name="Simone Lambert",
                language=Language.FRENCH,
                postcode=place.postcode,
                role=Role.HELPPIE,
            ),
            place=place,
            point=_moved(place.point, metres=400, bearing=270),
            name_group="fr",
        )
        helpper = _Person(
            user=self._user(
                email=HELPPER_EMAIL,
                display_name="Thomas Peeters",
                language=Language.FRENCH,
                postcode=place.postcode,
                role=Role.HELPPER,
            ),
            place=place,
            point=_moved(place.point, metres=1200, bearing=90),
            name_group="nl",
        )
        self.people += [helppie, helpper]
        profile = HelperProfile(
            location=helpper.point,
            postcode=place.postcode,
            radius_km=5.0,
            categories=[
                Category.SHOPPING,
                Category.ADMINISTRATION,
                Category.COMPANY,
                Category.DIGITAL,
            ],
            weekly_hours=6.0,
            languages=[Language.FRENCH, Language.DUTCH, Language.ENGLISH],
            has_car=False,
            active=True,
        )
        self._verify(profile, coordinator=coordinator)
        slots = [
            AvailabilitySlot(weekday=1, start=time(9), end=time(12)),
            AvailabilitySlot(weekday=3, start=time(14), end=time(17)),
            AvailabilitySlot(weekday=5, start=time(10), end=time(12)),
        ]
        self.profiles[id(helpper)] = (profile, slots)
        return helppie, helpper

    def _fixed_place(self) -> _Place:
        row = (
            Postcode.objects.filter(code=FIXED_LOGINS_POSTCODE)
            .values_list("code", "municipality__region", "location")
            .first()
        )
        if row is None:
            raise DemoDataError("No places loaded: run `python manage.py load_places` first.")
        return _Place(*row)

    def save_people(self) -> None:
        User.objects.bulk_create([person.user for person in self.people])
        profiles, slots = [], []
        for person in self.people:
            if id(person) not in self.profiles:
                continue
            profile, person_slots = self.profiles[id(person)]
            profile.user = person.user
            # bulk_create skips save(), which is where the covered areas are normally derived.
            profile.derive_places()
            profiles.append(profile)
            for slot in person_slots:
                slot.profile = profile
            slots += person_slots
        HelperProfile.objects.bulk_create(profiles)
        for slot in slots:
            slot.profile_id = slot.profile.pk
        AvailabilitySlot.objects.bulk_create(slots)
        # Their vetting history: the one change a coordinator made (docs/VETTING.md).
        VettingChange.objects.bulk_create(
            VettingChange(
                profile=profile,
                previous_state=VerificationState.UNVERIFIED,
                state=VerificationState.VERIFIED,
                changed_by=profile.verified_by,
                reason="Demo data: identity card seen, interview at the office.",
                id_document=IdDocumentType.IDENTITY_CARD,
                interview_on=profile.verified_at.date(),
                interviewed_by=profile.verified_by,
            )
            for profile in profiles
            if profile.verification_state == VerificationState.VERIFIED
        )

    # --- requests -------------------------------------------------------------------------

    def _starts_at(self, *, weekday: int, hour: int, weeks_ahead: int = 1) -> datetime:
        # The next such weekday after today (never today itself), then whole weeks later.
        days = ((weekday - self.today.weekday()) % 7 or 7) + 7 * (weeks_ahead - 1)
        day = self.today + timedelta(days=days)
        return datetime.combine(day, time(hour), tzinfo=BRUSSELS_TIME)

    def fixed_request(self, *, helppie: _Person) -> HelpRequest:
        return HelpRequest(
            requester=helppie.user,
            created_by=helppie.user,
            category=Category.SHOPPING,
            description=DESCRIPTIONS[Category.SHOPPING]["fr"][0],
            location=helppie.point,
            location_salt=self.draw.getrandbits(62),
            postcode=helppie.place.postcode,
            duration_minutes=60,
            recurrence=Recurrence.WEEKLY,
            # Tuesday morning: inside the demo helpper's availability.
            starts_at=self._starts_at(weekday=1, hour=10),
            languages=[Language.FRENCH],
        )

    def request(self, *, requester: _Person, created_by: User) -> HelpRequest:
        draw = self.draw
        category = self._category_someone_nearby_offers(requester.point)
        language = requester.user.language
        starts_at = None
        if draw.random() < 0.5:
            starts_at = self._starts_at(
                weekday=draw.randrange(7),
                hour=draw.choice([10, 14, 16]),
                weeks_ahead=draw.randint(1, 2),
            )
        return HelpRequest(
            requester=requester.user,
            created_by=created_by,
            category=category,
            description=draw.choice(DESCRIPTIONS[category][language]),
            location=requester.point,
            location_salt=draw.getrandbits(62),
            postcode=requester.place.postcode,
            duration_minutes=draw.choice([30, 45, 60, 60, 90, 120]),
            recurrence=draw.choice(Recurrence.values),
            starts_at=starts_at,
            languages=[language],
        )

    def _category_someone_nearby_offers(self, point: Point) -> str:
        """A category that at least one verified, active helper covering `point` offers, so that
        the demo shows candidates; any category when nobody covers the place."""
        if self._available_helpers is None:
            self._available_helpers = [
                (profile.location.y, profile.location.x, profile.radius_km, profile.categories)
                for profile, _slots in self.profiles.values()
                if profile.active and profile.is_verified
            ]
        latitude, longitude = point.y, point.x
        offered = set()
        for helper_latitude, helper_longitude, radius_km, categories in self._available_helpers:
            # Cheap rejection first: in Belgium a degree is over 110 km north-south and over
            # 69 km east-west.
            if abs(helper_latitude - latitude) * 110 > radius_km:
                continue
            if abs(helper_longitude - longitude) * 69 > radius_km:
                continue
            # The spherical distance is within 0.5 % of the geodesic one, and fast; the margin
            # covers that and the polygon's straight edges.
            distance_km = great_circle(
                (latitude, longitude), (helper_latitude, helper_longitude)
            ).km
            if distance_km <= radius_km * 0.98:
                offered.update(categories)
        return self.draw.choice(_ordered(offered, Category.values) or Category.values)

    def save_requests(self, requests: list[HelpRequest]) -> None:
        for help_request in requests:
            help_request.status = RequestStatus.OPEN
            # bulk_create skips save(), which is where the approximate place is normally derived.
            help_request.approximate_location = approximate_point(
                exact=help_request.location, salt=help_request.location_salt
            )
        HelpRequest.objects.bulk_create(requests)
