"""The batch solver finds the best feasible assignment (ranking/batch.py, solve_assignment)."""

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.batch import (
    CAPACITY_TOLERANCE,
    BatchHelper,
    BatchPlan,
    BatchRequest,
    solve_assignment,
)

LOADS = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0]


def assert_feasible(plan: BatchPlan, requests, helpers, pairs) -> None:
    eligible = {(r, h): s for r, h, s in pairs}
    load = {r.id: r.weekly_load_hours for r in requests}
    spare = {h.id: h.spare_weekly_hours for h in helpers}
    assigned = [a.request for a in plan.assignments]
    assert len(assigned) == len(set(assigned)), "a request got two helpers"
    used: dict[int, float] = {}
    for assignment in plan.assignments:
        assert (assignment.request, assignment.helper) in eligible, "not an eligible pair"
        assert assignment.score == eligible[(assignment.request, assignment.helper)]
        used[assignment.helper] = used.get(assignment.helper, 0.0) + load[assignment.request]
    for helper_id, hours in used.items():
        assert hours <= spare[helper_id] + CAPACITY_TOLERANCE, f"helper {helper_id} overloaded"
    assert sorted(plan.unassigned) == sorted(set(load) - set(assigned))
    assert math.isclose(plan.total_score, sum(a.score for a in plan.assignments), abs_tol=1e-9)


def brute_force_best(requests, helpers, pairs) -> tuple[float, int]:
    """The best total score, and the most requests helped among plans with that score."""
    load = {r.id: r.weekly_load_hours for r in requests}
    spare = {h.id: h.spare_weekly_hours for h in helpers}
    options = {r.id: [None] for r in requests}
    for request_id, helper_id, score in pairs:
        options[request_id].append((helper_id, score))
    best = (0.0, 0)
    for choice in itertools.product(*options.values()):
        used: dict[int, float] = {}
        for request_id, option in zip(options, choice, strict=True):
            if option is not None:
                used[option[0]] = used.get(option[0], 0.0) + load[request_id]
        if any(hours > spare[h] + CAPACITY_TOLERANCE for h, hours in used.items()):
            continue
        taken = [option for option in choice if option is not None]
        total = round(sum(score for _, score in taken), 9)
        best = max(best, (total, len(taken)))
    return best


@st.composite
def instances(draw):
    request_count = draw(st.integers(0, 5))
    helper_count = draw(st.integers(0, 4))
    requests = [
        BatchRequest(id=100 + index, weekly_load_hours=draw(st.sampled_from(LOADS)))
        for index in range(request_count)
    ]
    spare_hours = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]),
        st.floats(0.0, 4.0, allow_nan=False),
    )
    helpers = [
        BatchHelper(id=200 + index, spare_weekly_hours=draw(spare_hours))
        for index in range(helper_count)
    ]
    all_pairs = [(r.id, h.id) for r in requests for h in helpers]
    eligible = draw(st.lists(st.sampled_from(all_pairs), unique=True)) if all_pairs else []
    # Scores at the solver's resolution (1e-4), so "optimal" means exactly the brute-force best.
    pairs = [(r, h, draw(st.integers(0, 10_000)) / 10_000) for r, h in eligible]
    return requests, helpers, pairs


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_plan_is_feasible_and_as_good_as_the_brute_force_optimum(instance):
    requests, helpers, pairs = instance

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)

    assert_feasible(plan, requests, helpers, pairs)
    best_total, most_helped_at_best = brute_force_best(requests, helpers, pairs)
    assert plan.optimal
    assert plan.total_score == pytest.approx(best_total, abs=1e-9)
    # Ties on the score go to the plan that helps the most people.
    assert len(plan.assignments) == most_helped_at_best


@settings(max_examples=50, deadline=None)
@given(instances())
def test_the_order_of_the_input_does_not_change_the_plan(instance):
    requests, helpers, pairs = instance

    forwards = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)
    backwards = solve_assignment(requests=requests[::-1], helpers=helpers[::-1], pairs=pairs[::-1])

    assert forwards == backwards


def test_a_helper_takes_two_small_requests_rather_than_one_big_one():
    requests = [
        BatchRequest(id=1, weekly_load_hours=1.5),
        BatchRequest(id=2, weekly_load_hours=1.0),
        BatchRequest(id=3, weekly_load_hours=1.0),
    ]
    helpers = [BatchHelper(id=10, spare_weekly_hours=2.0)]
    pairs = [(1, 10, 0.9), (2, 10, 0.6), (3, 10, 0.6)]

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)

    # Greedy by score would take request 1 (0.9) and then have no room left.
    assert {(a.request, a.helper) for a in plan.assignments} == {(2, 10), (3, 10)}
    assert plan.total_score == pytest.approx(1.2)
    assert plan.unassigned == (1,)


def test_each_request_goes_to_the_helper_that_leaves_room_for_the_others():
    requests = [BatchRequest(id=1, weekly_load_hours=1.0), BatchRequest(id=2, weekly_load_hours=1)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=1.0), BatchHelper(id=11, spare_weekly_hours=1)]
    # Request 1 scores best with helper 10, but only helper 10 can take request 2.
    pairs = [(1, 10, 0.9), (1, 11, 0.8), (2, 10, 0.5)]

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)

    assert {(a.request, a.helper) for a in plan.assignments} == {(1, 11), (2, 10)}
    assert plan.total_score == pytest.approx(1.3)


def test_without_any_pair_every_request_is_unassigned():
    requests = [BatchRequest(id=3, weekly_load_hours=1.0), BatchRequest(id=1, weekly_load_hours=2)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=4.0)]

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=[])

    assert plan.assignments == ()
    assert plan.total_score == 0
    assert plan.unassigned == (1, 3)
    assert plan.optimal


def test_a_request_longer_than_the_spare_hours_is_never_assigned():
    requests = [BatchRequest(id=1, weekly_load_hours=3.0)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=2.75)]

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=[(1, 10, 1.0)])

    assert plan.assignments == ()
    assert plan.unassigned == (1,)


def test_an_exact_fit_is_allowed():
    requests = [BatchRequest(id=1, weekly_load_hours=0.25), BatchRequest(id=2, weekly_load_hours=3)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=3.25)]

    plan = solve_assignment(requests=requests, helpers=helpers, pairs=[(1, 10, 0.1), (2, 10, 0.1)])

    assert len(plan.assignments) == 2


@pytest.mark.parametrize(
    "pairs, message",
    [
        ([(9, 10, 0.5)], "unknown request"),
        ([(1, 99, 0.5)], "unknown helper"),
        ([(1, 10, -0.1)], "score"),
        ([(1, 10, float("nan"))], "score"),
        ([(1, 10, 0.5), (1, 10, 0.7)], "twice"),
    ],
)
def test_inconsistent_input_is_refused(pairs, message):
    with pytest.raises(ValueError, match=message):
        solve_assignment(
            requests=[BatchRequest(id=1, weekly_load_hours=1.0)],
            helpers=[BatchHelper(id=10, spare_weekly_hours=2.0)],
            pairs=pairs,
        )


def test_when_the_time_limit_stops_the_solver_the_plan_is_still_feasible_but_not_optimal():
    # Many helpers competing for many requests: far more than a microsecond of work.
    requests = [BatchRequest(id=r, weekly_load_hours=LOADS[r % len(LOADS)]) for r in range(300)]
    helpers = [BatchHelper(id=1000 + h, spare_weekly_hours=2.0 + h % 3) for h in range(60)]
    pairs = [
        (r.id, h.id, ((r.id * 7919 + h.id * 104729) % 10_000) / 10_000)
        for r in requests
        for h in helpers
        if (r.id + h.id) % 4 == 0
    ]

    plan = solve_assignment(
        requests=requests, helpers=helpers, pairs=pairs, time_limit_seconds=1e-6
    )

    assert not plan.optimal
    assert_feasible(plan, requests, helpers, pairs)
    assert plan.assignments, "the fallback still assigns what it can"


def objective_units(plan: BatchPlan, request_count: int) -> int:
    """The solver's integral objective of a plan (module docstring of ranking.batch)."""
    return sum(round(a.score / 1e-4) * (request_count + 1) + 1 for a in plan.assignments)


@st.composite
def larger_instances(draw):
    """Up to 40 requests and 15 helpers, sparse pairs: several components, some of them tight."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    requests = [
        BatchRequest(id=100 + index, weekly_load_hours=rng.choice(LOADS))
        for index in range(draw(st.integers(1, 40)))
    ]
    helpers = [
        BatchHelper(id=1000 + index, spare_weekly_hours=rng.choice([0.5, 1.0, 2.0, 3.0, 8.0]))
        for index in range(draw(st.integers(1, 15)))
    ]
    pairs = [
        (r.id, h.id, rng.randint(0, 10_000) / 10_000)
        for r in requests
        for h in helpers
        if rng.random() < 0.15
    ]
    return requests, helpers, pairs


@settings(max_examples=150, deadline=None)
@given(larger_instances())
def test_solving_each_component_alone_gives_the_optimum_of_the_whole(instance):
    requests, helpers, pairs = instance

    whole = solve_assignment(requests=requests, helpers=helpers, pairs=pairs, decompose=False)
    by_component = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)

    assert whole.optimal and by_component.optimal
    assert_feasible(by_component, requests, helpers, pairs)
    assert objective_units(by_component, len(requests)) == objective_units(whole, len(requests))


def best_pairs_and_bounds(pairs, keep: int):
    """Each request's `keep` best pairs, and for each request a bound on those left out."""
    by_request: dict[int, list] = {}
    for pair in pairs:
        by_request.setdefault(pair[0], []).append(pair)
    kept, bounds = [], {}
    for request_id, request_pairs in by_request.items():
        request_pairs.sort(key=lambda pair: (-pair[2], pair[1]))
        kept += request_pairs[:keep]
        if len(request_pairs) > keep:
            bounds[request_id] = request_pairs[keep][2]
    return kept, bounds


@settings(max_examples=150, deadline=None)
@given(larger_instances(), st.integers(1, 3))
def test_with_only_the_best_pairs_a_proof_of_optimality_holds_for_all_pairs(instance, keep):
    requests, helpers, pairs = instance
    kept, bounds = best_pairs_and_bounds(pairs, keep)

    everything = solve_assignment(requests=requests, helpers=helpers, pairs=pairs)
    best_only = solve_assignment(
        requests=requests, helpers=helpers, pairs=kept, omitted_score_bounds=bounds
    )

    assert_feasible(best_only, requests, helpers, pairs)
    achieved = objective_units(best_only, len(requests))
    optimum = objective_units(everything, len(requests))
    if best_only.optimal:
        assert achieved == optimum
    else:
        # The gap is proven: the optimum is within it. A gap of 1 proves nothing (the kept
        # pairs could not place a request the omitted ones might): the caller widens then.
        assert best_only.gap > 0
        if best_only.gap < 1:
            assert optimum <= achieved / (1 - best_only.gap) * (1 + 1e-12) + 1e-6


def test_a_pair_left_out_that_the_optimum_needs_is_not_ruled_out():
    requests = [BatchRequest(id=1, weekly_load_hours=1.0), BatchRequest(id=2, weekly_load_hours=1)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=1.0), BatchHelper(id=11, spare_weekly_hours=1)]
    # Both requests want helper 10; request 1's second choice, helper 11, is left out.
    kept = [(1, 10, 0.9), (2, 10, 0.8)]

    plan = solve_assignment(
        requests=requests, helpers=helpers, pairs=kept, omitted_score_bounds={1: 0.7}
    )

    # Over the pairs given the best is 0.9; over all, 0.8 + 0.7 = 1.5 may exist: no proof.
    assert plan.total_score == pytest.approx(0.9)
    assert not plan.optimal
    assert plan.gap > 0


def test_pairs_left_out_that_cannot_help_are_ruled_out():
    requests = [BatchRequest(id=1, weekly_load_hours=1.0), BatchRequest(id=2, weekly_load_hours=1)]
    helpers = [BatchHelper(id=10, spare_weekly_hours=1.0), BatchHelper(id=11, spare_weekly_hours=1)]
    kept = [(1, 10, 0.9), (2, 11, 0.8)]

    plan = solve_assignment(
        requests=requests, helpers=helpers, pairs=kept, omitted_score_bounds={1: 0.7, 2: 0.8}
    )

    assert plan.optimal
    assert plan.gap == 0.0
    assert plan.total_score == pytest.approx(1.7)
