"""Properties of the matching score, on pairs drawn by hypothesis (issue 6, scope item 2).

The score exists only in SQL (ranking/scoring.py). Its module docstring defines it as a table of
six factors; `documented_score` below is that table written in plain Python, and the first
property is that the SQL of the candidates list computes exactly it, whatever the pair. The
others are what people rely on when they read a ranking: the score stays in 0–1, and a helper who
is closer, has more spare hours or speaks the requester's language never scores lower than one
who differs only in not being so. The same query twice gives the same list, and the batch's
query scores each pair as the candidates list does.

Not repeated here: each factor with hand-picked values (tests/matching/test_scoring.py), the fast
queries against the plain reference query on random data (tests/matching/test_fast_path.py).

Each example is built and rolled back inside a savepoint, so examples never see each other's
helpers. max_examples is kept small: every example writes a few rows and runs the query.
"""

import dataclasses
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.vocabulary import WEEKLY_LOAD_FACTOR, Category, Recurrence
from ranking import scoring
from ranking.selectors import candidates_for, scored_pairs_for
from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import AvailabilitySlotFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
LANGUAGES = ["fr", "nl", "de", "en"]
# Within this share of its radius a point is inside the helper's coverage polygon whatever the
# bearing (the polygon is inscribed in the circle: ranking.scoring.COVERAGE_INNER_SHARE).
INSIDE_SHARE = 0.99
# The score is in float8; the distances are geodesic in PostGIS and in geopy (millimetres apart).
TOLERANCE = 1e-5

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # The `db` fixture is per test on purpose: each example rolls its own rows back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclasses.dataclass(frozen=True)
class Slot:
    weekday: int
    start_hour: int
    end_hour: int


@dataclasses.dataclass(frozen=True)
class HelperSpec:
    distance_km: float
    bearing: float
    radius_km: float
    weekly_hours: float
    committed_hours: float
    languages: tuple[str, ...]
    has_car: bool
    slots: tuple[Slot, ...]
    helped_before: bool


@dataclasses.dataclass(frozen=True)
class RequestSpec:
    category: str
    duration_minutes: int
    recurrence: str
    languages: tuple[str, ...]
    requester_language: str
    starts_at: datetime | None

    @property
    def weekly_load(self) -> float:
        return self.duration_minutes / 60 * WEEKLY_LOAD_FACTOR[self.recurrence]


slots = st.builds(
    lambda weekday, start, length: Slot(weekday, start, min(24, start + length)),
    st.integers(0, 6),
    st.integers(0, 22),
    st.integers(1, 6),
)

requests = st.builds(
    RequestSpec,
    category=st.sampled_from([Category.SHOPPING, Category.TRANSPORT]),
    duration_minutes=st.integers(15, 480),
    recurrence=st.sampled_from(Recurrence.values),
    languages=st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True).map(tuple),
    requester_language=st.sampled_from(LANGUAGES),
    # A week of March 2026 (Monday 2 to Sunday 8), on the quarter hour, Brussels time.
    starts_at=st.none()
    | st.builds(
        lambda minutes: datetime(2026, 3, 2, tzinfo=BRUSSELS) + timedelta(minutes=15 * minutes),
        st.integers(0, 7 * 24 * 4 - 1),
    ),
)


@st.composite
def helpers(draw, request: RequestSpec) -> HelperSpec:
    """A helper eligible for `request`: in range, offering its category, with room for it."""
    radius_km = draw(st.floats(0.5, 50))
    weekly_hours = draw(st.floats(max(1.0, request.weekly_load), 40))
    return HelperSpec(
        distance_km=draw(st.floats(0, INSIDE_SHARE)) * radius_km,
        bearing=draw(st.floats(0, 359)),
        radius_km=radius_km,
        weekly_hours=weekly_hours,
        committed_hours=draw(st.floats(0, weekly_hours - request.weekly_load)),
        languages=tuple(draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, unique=True))),
        has_car=draw(st.booleans()),
        # One slot per weekday and start time (the model's unique constraint).
        slots=tuple(
            draw(
                st.lists(slots, max_size=3, unique_by=lambda slot: (slot.weekday, slot.start_hour))
            )
        ),
        helped_before=draw(st.booleans()),
    )


@st.composite
def pairs(draw) -> tuple[RequestSpec, HelperSpec]:
    request = draw(requests)
    return request, draw(helpers(request))


def documented_factors(request: RequestSpec, helper: HelperSpec) -> dict[str, float]:
    """The factors as ranking/scoring.py's docstring defines them, in plain Python."""
    wanted = request.languages or (request.requester_language,)
    if request.starts_at is None:
        availability = scoring.NEUTRAL
    else:
        local = request.starts_at.astimezone(BRUSSELS)
        availability = max(
            (
                1.0 if time(slot.start_hour) <= local.time() < _end(slot) else scoring.SAME_WEEKDAY
                for slot in helper.slots
                if slot.weekday == local.weekday()
            ),
            default=0.0,
        )
    spare = helper.weekly_hours - helper.committed_hours - request.weekly_load
    return {
        "distance": max(0.0, 1 - helper.distance_km / helper.radius_km),
        "language": 1.0 if set(helper.languages) & set(wanted) else 0.0,
        "availability": availability,
        "capacity": min(1.0, max(0.0, spare / helper.weekly_hours)),
        "continuity": 1.0 if helper.helped_before else 0.0,
        "car": (1.0 if helper.has_car else 0.0)
        if request.category == Category.TRANSPORT
        else scoring.NEUTRAL,
    }


def documented_score(request: RequestSpec, helper: HelperSpec) -> float:
    factors = documented_factors(request, helper)
    return sum(scoring.WEIGHTS[name] * factors[name] for name in scoring.FACTORS)


def _end(slot: Slot) -> time:
    # A slot ending at 24:00 ends with the day.
    return time.max if slot.end_hour == 24 else time(slot.end_hour)


def create_request(spec: RequestSpec):
    requester = UserFactory(language=spec.requester_language)
    return HelpRequestFactory(
        requester=requester,
        created_by=requester,
        category=spec.category,
        duration_minutes=spec.duration_minutes,
        recurrence=spec.recurrence,
        languages=list(spec.languages),
        starts_at=spec.starts_at,
    )


def create_helper(spec: HelperSpec, help_request) -> int:
    """The helper of `spec` for `help_request`; returns their user id."""
    profile = VerifiedHelperFactory(
        location=point_at(NAMUR, km=spec.distance_km, bearing=spec.bearing),
        radius_km=spec.radius_km,
        weekly_hours=spec.weekly_hours,
        committed_weekly_hours=spec.committed_hours,
        languages=list(spec.languages),
        has_car=spec.has_car,
        categories=[Category.SHOPPING, Category.TRANSPORT],
    )
    for slot in spec.slots:
        AvailabilitySlotFactory(
            profile=profile, weekday=slot.weekday, start=time(slot.start_hour), end=_end(slot)
        )
    if spec.helped_before:
        HelpRequestFactory(
            requester=help_request.requester,
            created_by=help_request.requester,
            status=RequestStatus.COMPLETED,
            matched_helper=profile.user,
        )
    return profile.user_id


def scores_of(help_request) -> dict[int, float]:
    return {
        candidate.helper_id: candidate.score
        for candidate in candidates_for(help_request=help_request, limit=50)
    }


class RolledBack(Exception):
    """Raised to leave an example's savepoint: nothing it wrote is kept."""


def in_savepoint(check):
    try:
        with transaction.atomic():
            check()
            raise RolledBack
    except RolledBack:
        pass


# --- The SQL computes the documented formula, within 0–1 --------------------------------------


@PROPERTY_SETTINGS
@given(pair=pairs())
def test_the_sql_score_is_the_documented_formula_and_within_zero_to_one(db, pair):
    request_spec, helper_spec = pair

    def check():
        help_request = create_request(request_spec)
        helper_id = create_helper(helper_spec, help_request)

        [candidate] = candidates_for(help_request=help_request, limit=50)

        assert candidate.helper_id == helper_id
        expected = documented_factors(request_spec, helper_spec)
        for name in scoring.FACTORS:
            assert 0.0 <= candidate.factors[name] <= 1.0
            assert candidate.factors[name] == pytest.approx(expected[name], abs=TOLERANCE), name
        assert 0.0 <= candidate.score <= 1.0
        assert candidate.score == pytest.approx(
            documented_score(request_spec, helper_spec), abs=TOLERANCE
        )

    in_savepoint(check)


# --- Better in one respect, never lower -------------------------------------------------------


@st.composite
def closer(draw, pair):
    request, helper = pair
    return dataclasses.replace(helper, distance_km=draw(st.floats(0, helper.distance_km)))


@st.composite
def more_spare_hours(draw, pair):
    request, helper = pair
    if helper.weekly_hours >= 40:
        return dataclasses.replace(helper, committed_hours=helper.committed_hours / 2)
    return dataclasses.replace(helper, weekly_hours=draw(st.floats(helper.weekly_hours, 40)))


@st.composite
def speaking_the_language(draw, pair):
    request, helper = pair
    wanted = draw(st.sampled_from(request.languages or (request.requester_language,)))
    return dataclasses.replace(helper, languages=tuple(sorted({*helper.languages, wanted})))


BETTER = {
    "closer": closer,
    "more spare hours": more_spare_hours,
    "speaking a language of the request": speaking_the_language,
}


@pytest.mark.parametrize("better", list(BETTER))
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_helper_better_in_one_respect_never_scores_lower(db, better, data):
    pair = data.draw(pairs(), label="pair")
    request_spec, helper_spec = pair
    better_spec = data.draw(BETTER[better](pair), label=better)

    def check():
        help_request = create_request(request_spec)
        # Continuity is per helper: give both the same history with this requester.
        helper_id = create_helper(helper_spec, help_request)
        better_id = create_helper(better_spec, help_request)

        scores = scores_of(help_request)

        assert scores[better_id] >= scores[helper_id] - TOLERANCE

    in_savepoint(check)


# --- Deterministic, and the same in the batch ---------------------------------------------------


@PROPERTY_SETTINGS
@given(request_spec=requests, data=st.data())
def test_the_ranking_is_deterministic_and_the_batch_scores_the_same(db, request_spec, data):
    helper_specs = data.draw(st.lists(helpers(request_spec), min_size=2, max_size=5), "helpers")

    def check():
        help_request = create_request(request_spec)
        for spec in helper_specs:
            create_helper(spec, help_request)

        first = candidates_for(help_request=help_request, limit=50)
        again = candidates_for(help_request=help_request, limit=50)
        batch = scored_pairs_for(help_request_ids=[help_request.pk])

        assert first == again
        assert [candidate.score for candidate in first] == sorted(
            (candidate.score for candidate in first), reverse=True
        )
        assert {helper_id: score for _request, helper_id, score in batch} == pytest.approx(
            {candidate.helper_id: candidate.score for candidate in first}, abs=TOLERANCE
        )

    in_savepoint(check)
