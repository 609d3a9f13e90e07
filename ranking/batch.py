"""Batch assignment: give open requests to helpers so that the total score is as high as possible.

Two layers:

- `solve_assignment()` is pure (no database): requests with a weekly load, helpers with spare
  weekly hours, and the eligible (request, helper, score) pairs in; a `BatchPlan` out.
- `batch_plan()` and `batch_run()` gather those inputs from the database and, for a real run,
  turn the plan into proposals the helpers can accept (matching.models.Proposal).

The problem
-----------
Each request goes to at most one helper, and the weekly loads of the requests a helper gets must
fit in that helper's spare hours. Loads are fractional hours (duration × recurrence factor, e.g.
0.25 h or 1.5 h), so this is a *generalised assignment problem* (GAP): every helper is a
knapsack. It is NP-hard in general (it contains the knapsack problem), and we solve it exactly as
a mixed-integer linear programme with HiGHS (scipy.optimize.milp):

    maximise    sum_p  c_p x_p                      over eligible pairs p = (request, helper)
    subject to  sum_{p of request r} x_p <= 1       for every request r
                sum_{p of helper h} load_r x_p <= spare_h   for every helper h
                x_p in {0, 1}

Why not a min-cost flow? A flow network (source → helpers → requests → sink) has integral optimal
flows only because its constraint matrix is totally unimodular, which needs every coefficient to be
0 or ±1, i.e. every request to use *one unit* of a helper's capacity. Here a request uses
`load_r` hours: the helper rows carry weights such as 0.25 and 1.5, the matrix is no longer totally
unimodular, and the best flow splits requests. Example: a helper with 2 spare hours and requests of
1.5 h (score 0.9) and 1 h, 1 h (score 0.6 each): the flow sends 1.5 h and half of a 1 h request;
rounding it gives 0.9 whereas the optimum is 1.2 (the two 1 h requests). Counting capacity in
"requests" instead of hours would be exact for the flow but wrong for the helpers (it ignores how
long the tasks are). Hence the MILP.

Objective and ties
------------------
Scores (0–1) are rounded to `SCORE_RESOLUTION` and the objective is made of integers:
`c_p = units(score_p) × (R + 1) + 1`, with R the number of requests. The `+ 1` can add at most
R < R + 1 to a plan, i.e. less than one score unit, so it never overrides a higher score; among
plans of equal total score it prefers the one that helps the most people. Integral coefficients let
HiGHS prove optimality exactly (a relative gap of 0 and an absolute gap far below 1). Remaining ties
(same score, same number of assignments) are decided deterministically: the pairs are deduplicated
and sorted by (request id, helper id) before the model is built, so the model, and HiGHS's
deterministic search, depend only on the input set, never on the order it came in.

Components, and a proof from the best pairs only
------------------------------------------------
The problem is separable over the connected components of the request–helper graph of the
pairs: each is solved alone (those where no helper can run out of hours by giving each request
its best pair, the others in HiGHS runs of whole components), and the union of their optima is
the optimum. With `omitted_score_bounds` only the best pairs are given, with a bound on the
others' scores; prices on the helpers' hours from the LP relaxation then give an upper bound
over every eligible pair (LP duality, _upper_bound), and since the objective is integral a bound
less than one unit above the plan proves it optimal. docs/MATCHING.md ("At province scale").

Time limit and fallback
-----------------------
`time_limit_seconds` bounds the HiGHS run. If it is reached, the best feasible solution HiGHS has
found is returned with `optimal=False`; if it has none yet, or if it is worse, a greedy plan
(pairs by descending score, each taken when its request is free and its helper has room) is
returned instead, also with `optimal=False`. Either way the plan is feasible.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from core import events
from core.api_errors import Conflict
from core.realtime import notify_user
from matching.models import NEAR_SHARES, HelperProfile
from matching.vocabulary import weekly_load_hours_expression
from ranking.models import Proposal, ProposalStatus
from ranking.selectors import best_near_pairs_for, scored_pairs_for
from requests_app.models import HelpRequest, Offer, RequestStatus
from requests_app.services import match_confirm, offer_create

logger = logging.getLogger(__name__)

# Scores are compared to this precision (the API shows them with fewer decimals anyway).
SCORE_RESOLUTION = 1e-4
# Slack allowed on a helper's spare hours: loads and spare hours are sums of floats.
CAPACITY_TOLERANCE = 1e-9
DEFAULT_TIME_LIMIT_SECONDS = 30.0
# Components are solved together up to this many pairs per HiGHS run (a run costs a few ms).
BUNDLE_COLUMNS = 20_000
# How many of its best near pairs each request starts with in batch_plan (near_first).
BEST_PAIRS_KEPT = 20


@dataclass(frozen=True)
class BatchRequest:
    id: int
    weekly_load_hours: float


@dataclass(frozen=True)
class BatchHelper:
    # The helper's user id, as everywhere in the API.
    id: int
    spare_weekly_hours: float


@dataclass(frozen=True)
class BatchAssignment:
    request: int
    helper: int
    score: float


@dataclass(frozen=True)
class BatchPlan:
    assignments: tuple[BatchAssignment, ...]
    total_score: float
    unassigned: tuple[int, ...]
    optimal: bool
    # The relative gap between the plan's objective and the best upper bound proven for it
    # (HiGHS's bound, or the LP bound over omitted pairs): 0.0 when optimal. Not in the API.
    gap: float = 0.0

    # With omitted pairs (solve_assignment's omitted_score_bounds): the requests whose bound
    # stood in the way of a proof; more of their pairs may improve the plan. Not in the API.
    unproven: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        """The plan in the API's shape (CONTRACT.md, POST /api/matching/batch/)."""
        return {
            "assignments": [
                {"request": a.request, "helper": a.helper, "score": a.score}
                for a in self.assignments
            ],
            "total_score": self.total_score,
            "unassigned": list(self.unassigned),
            "optimal": self.optimal,
        }


def _score_units(score: float) -> int:
    return round(score / SCORE_RESOLUTION)


def _canonical_pairs(
    *,
    requests: Sequence[BatchRequest],
    helpers: Sequence[BatchHelper],
    pairs: Iterable[tuple[int, int, float]],
) -> list[tuple[int, int, float]]:
    """The usable pairs, validated, sorted by (request, helper).

    A pair whose request alone does not fit in the helper's spare hours can never be chosen and is
    dropped here, which keeps the model small.
    """
    load = {r.id: r.weekly_load_hours for r in requests}
    spare = {h.id: h.spare_weekly_hours for h in helpers}
    if len(load) != len(requests):
        raise ValueError("duplicate request id")
    if len(spare) != len(helpers):
        raise ValueError("duplicate helper id")
    for request in requests:
        if not (math.isfinite(request.weekly_load_hours) and request.weekly_load_hours > 0):
            raise ValueError(f"request {request.id}: weekly load must be a positive number")
    for helper in helpers:
        if not math.isfinite(helper.spare_weekly_hours):
            raise ValueError(f"helper {helper.id}: spare hours must be a number")
    seen: set[tuple[int, int]] = set()
    usable = []
    for request_id, helper_id, score in pairs:
        if request_id not in load:
            raise ValueError(f"pair names unknown request {request_id}")
        if helper_id not in spare:
            raise ValueError(f"pair names unknown helper {helper_id}")
        if not (math.isfinite(score) and score >= 0):
            raise ValueError(f"pair ({request_id}, {helper_id}): score must be >= 0")
        if (request_id, helper_id) in seen:
            raise ValueError(f"pair ({request_id}, {helper_id}) given twice")
        seen.add((request_id, helper_id))
        if load[request_id] <= spare[helper_id] + CAPACITY_TOLERANCE:
            usable.append((request_id, helper_id, float(score)))
    usable.sort(key=lambda pair: (pair[0], pair[1]))
    return usable


def _without_dominated_pairs(
    *,
    requests: Sequence[BatchRequest],
    helpers: Sequence[BatchHelper],
    pairs: list[tuple[int, int, float]],
) -> list[tuple[int, int, float]]:
    """The pairs an optimal plan may need; an exact reduction, repeated until nothing changes.

    Call a helper *unconstrained* when their spare hours hold every request they are paired
    with: their capacity can never bind. If request r's best helper so far is unconstrained
    (u), any pair of r with a helper ranked below u (score <= u's) is dominated: moving r from
    that helper to u keeps the plan feasible (u has room for all their requests, the other
    helper only gets lighter), helps as many people and loses no score. So an optimal plan
    exists without those pairs. Dropping them lightens other helpers, who may then become
    unconstrained in turn. In the usual case (far more spare hours than requests) most
    requests keep one or two pairs, and the MILP shrinks from every eligible pair to the few
    that compete.
    """
    load = {request.id: request.weekly_load_hours for request in requests}
    spare = {helper.id: helper.spare_weekly_hours for helper in helpers}
    by_request: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for pair in pairs:
        by_request[pair[0]].append(pair)
    for request_pairs in by_request.values():
        request_pairs.sort(key=lambda pair: (-pair[2], pair[1]))
    while True:
        demand: dict[int, float] = defaultdict(float)
        for request_pairs in by_request.values():
            for request_id, helper_id, _score in request_pairs:
                demand[helper_id] += load[request_id]
        unconstrained = {
            helper_id
            for helper_id, hours in demand.items()
            if hours <= spare[helper_id] + CAPACITY_TOLERANCE
        }
        changed = False
        for request_id, request_pairs in by_request.items():
            for rank, (_request, helper_id, _score) in enumerate(request_pairs):
                if helper_id in unconstrained:
                    if rank + 1 < len(request_pairs):
                        by_request[request_id] = request_pairs[: rank + 1]
                        changed = True
                    break
        if not changed:
            break
    kept = [pair for request_pairs in by_request.values() for pair in request_pairs]
    kept.sort(key=lambda pair: (pair[0], pair[1]))
    return kept


def _plan_from_chosen(
    *,
    requests: Sequence[BatchRequest],
    chosen: list[tuple[int, int, float]],
    optimal: bool,
    gap: float = 0.0,
) -> BatchPlan:
    assigned = {pair[0] for pair in chosen}
    assignments = tuple(BatchAssignment(request=r, helper=h, score=s) for r, h, s in sorted(chosen))
    return BatchPlan(
        assignments=assignments,
        # math.fsum: the same total whatever the order, to the last bit.
        total_score=math.fsum(a.score for a in assignments),
        unassigned=tuple(sorted(r.id for r in requests if r.id not in assigned)),
        optimal=optimal,
        gap=gap,
    )


def _greedy(
    *, requests: Sequence[BatchRequest], helpers: Sequence[BatchHelper], pairs
) -> list[tuple[int, int, float]]:
    """A feasible plan, not necessarily the best: highest scores first (the fallback)."""
    load = {r.id: r.weekly_load_hours for r in requests}
    room = {h.id: h.spare_weekly_hours for h in helpers}
    taken: set[int] = set()
    chosen = []
    for request_id, helper_id, score in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if request_id in taken or load[request_id] > room[helper_id] + CAPACITY_TOLERANCE:
            continue
        taken.add(request_id)
        room[helper_id] -= load[request_id]
        chosen.append((request_id, helper_id, score))
    return chosen


def _repair(
    *, requests: Sequence[BatchRequest], helpers: Sequence[BatchHelper], chosen
) -> list[tuple[int, int, float]]:
    """Drop the weakest assignments of any helper over capacity (solver tolerances), if any."""
    load = {r.id: r.weekly_load_hours for r in requests}
    spare = {h.id: h.spare_weekly_hours for h in helpers}
    by_helper: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for pair in chosen:
        by_helper[pair[1]].append(pair)
    kept = []
    for helper_id, helper_pairs in by_helper.items():
        helper_pairs.sort(key=lambda p: (-p[2], p[0]))
        used = 0.0
        for pair in helper_pairs:
            if used + load[pair[0]] <= spare[helper_id] + CAPACITY_TOLERANCE:
                used += load[pair[0]]
                kept.append(pair)
    return kept


def _component_labels(*, pair_requests, pair_helpers, request_count: int, helper_count: int):
    """The connected component of each pair in the graph of requests and helpers it joins."""
    node_count = request_count + helper_count
    graph = sparse.coo_array(
        (np.ones(len(pair_requests)), (pair_requests, request_count + pair_helpers)),
        shape=(node_count, node_count),
    )
    _count, labels = connected_components(graph, directed=False)
    return labels[pair_requests]


def _bundles(columns, labels) -> list:
    """`columns` grouped by component, whole components packed up to BUNDLE_COLUMNS each."""
    columns = columns[np.argsort(labels[columns], kind="stable")]
    components = np.split(columns, np.flatnonzero(np.diff(labels[columns])) + 1)
    bundles, current, size = [], [], 0
    for component in components:
        if current and size + len(component) > BUNDLE_COLUMNS:
            bundles.append(np.concatenate(current))
            current, size = [], 0
        current.append(component)
        size += len(component)
    if current:
        bundles.append(np.concatenate(current))
    return bundles


def _bundle_matrices(*, columns, pair_requests, pair_helpers, load, spare):
    """The constraint rows of a bundle: one per request (<= 1), one per helper (<= spare)."""
    requests_here, local_requests = np.unique(pair_requests[columns], return_inverse=True)
    helpers_here, local_helpers = np.unique(pair_helpers[columns], return_inverse=True)
    count = len(columns)
    positions = np.arange(count)
    one_helper_per_request = sparse.csr_array(
        (np.ones(count), (local_requests, positions)), shape=(len(requests_here), count)
    )
    helper_hours = sparse.csr_array(
        (load[pair_requests[columns]], (local_helpers, positions)),
        shape=(len(helpers_here), count),
    )
    return one_helper_per_request, helper_hours, helpers_here, spare[helpers_here]


def _helper_prices(*, bundles, pair_requests, pair_helpers, load, spare, objective, helper_count):
    """The LP relaxation's dual value of every helper's hours (0 for the helpers with room).

    Any prices >= 0 give an upper bound of the optimum (see _upper_bound); those of the LP
    relaxation give the tightest such bound.
    """
    prices = np.zeros(helper_count)
    for columns in bundles:
        one_helper_per_request, helper_hours, helpers_here, capacity = _bundle_matrices(
            columns=columns,
            pair_requests=pair_requests,
            pair_helpers=pair_helpers,
            load=load,
            spare=spare,
        )
        result = linprog(
            -objective[columns],
            A_ub=sparse.vstack([one_helper_per_request, helper_hours]).tocsr(),
            b_ub=np.concatenate([np.ones(one_helper_per_request.shape[0]), capacity]),
            bounds=(0, 1),
            method="highs",
        )
        if result.status == 0:
            marginals = result.ineqlin.marginals[one_helper_per_request.shape[0] :]
            prices[helpers_here] = np.maximum(-marginals, 0.0)
    return prices


def _upper_bound(
    *, prices, pair_requests, pair_helpers, load, spare, objective, request_floor
) -> float:
    """An upper bound of the objective over every eligible pair, from prices on helpers' hours.

    LP duality: with any prices v_h >= 0 on the helpers' hours, a plan's objective is at most
    sum_h v_h spare_h + sum_r max(0, max over r's pairs p of (c_p - load_r v_h)). The pairs not
    given to the solver enter through `request_floor`: for each request, an objective no pair of
    it left out can exceed (their scores are bounded by the caller); since v_h >= 0, their
    c_p - load_r v_h is at most that.
    """
    best = np.zeros(len(request_floor))
    np.maximum.at(best, pair_requests, objective - load[pair_requests] * prices[pair_helpers])
    # The requests for which a pair left out could still be worth more than the ones given.
    unproven = np.flatnonzero(request_floor > best + 0.5)
    best = np.maximum(best, request_floor)
    bound = math.fsum(np.maximum(best, 0.0).tolist()) + math.fsum(
        (prices * (spare + CAPACITY_TOLERANCE)).tolist()
    )
    return bound, unproven


def solve_assignment(
    *,
    requests: list[BatchRequest],
    helpers: list[BatchHelper],
    pairs: list[tuple[int, int, float]],
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT_SECONDS,
    omitted_score_bounds: dict[int, float] | None = None,
    decompose: bool = True,
) -> BatchPlan:
    """The assignment of requests to helpers with the highest total score (see module docstring).

    `pairs` are eligible (request id, helper id, score) triples; no other pair is ever used.
    By default they are all the eligible pairs. With `omitted_score_bounds`, they may be only
    the best ones: for each request id in it, every eligible pair of that request left out
    scores at most that bound. The plan is then optimal over the pairs given, and `optimal`
    says whether it is proven optimal over all the eligible pairs (`gap`: how far from proven).
    Raises ValueError on inconsistent input (unknown ids, duplicates, negative scores or loads).
    `optimal` is False when the time limit stopped HiGHS before it proved optimality, or when
    the omitted pairs could not be ruled out.

    `decompose=False` solves everything in one HiGHS run (the tests compare both ways).
    """
    known = _canonical_pairs(requests=requests, helpers=helpers, pairs=pairs)
    usable = _without_dominated_pairs(requests=requests, helpers=helpers, pairs=known)
    request_row = {request.id: row for row, request in enumerate(requests)}
    helper_row = {helper.id: row for row, helper in enumerate(helpers)}
    load = np.array([r.weekly_load_hours for r in requests], dtype=float)
    spare = np.array([h.spare_weekly_hours for h in helpers], dtype=float)
    weight = len(requests) + 1

    def arrays(some_pairs):
        return (
            np.array([request_row[pair[0]] for pair in some_pairs], dtype=np.int64),
            np.array([helper_row[pair[1]] for pair in some_pairs], dtype=np.int64),
            np.array([_score_units(pair[2]) * weight + 1 for pair in some_pairs], dtype=float),
        )

    pair_requests, pair_helpers, objective = arrays(usable)
    deadline = None if time_limit_seconds is None else time.monotonic() + time_limit_seconds

    # A component none of whose helpers can run out of hours (they hold every request they are
    # paired with) is solved by giving each request its best pair; the others go to HiGHS.
    demand = np.bincount(pair_helpers, weights=load[pair_requests], minlength=len(helpers))
    helper_has_room = demand <= spare + CAPACITY_TOLERANCE
    if decompose and len(usable):
        labels = _component_labels(
            pair_requests=pair_requests,
            pair_helpers=pair_helpers,
            request_count=len(requests),
            helper_count=len(helpers),
        )
        short = np.bincount(labels, weights=~helper_has_room[pair_helpers])
        easy = short[labels] == 0
    else:
        labels = np.zeros(len(usable), dtype=np.int64)
        easy = np.zeros(len(usable), dtype=bool)

    chosen_columns: list[np.ndarray] = []
    bound = 0.0
    optimal = True
    easy_columns = np.flatnonzero(easy)
    if easy_columns.size:
        # By request, then best objective, then helper id (the pairs are sorted by helper).
        ordered = easy_columns[
            np.lexsort((easy_columns, -objective[easy_columns], pair_requests[easy_columns]))
        ]
        first = np.ones(len(ordered), dtype=bool)
        first[1:] = pair_requests[ordered][1:] != pair_requests[ordered][:-1]
        chosen_columns.append(ordered[first])
        bound += math.fsum(objective[ordered[first]].tolist())

    hard_columns = np.flatnonzero(~easy)
    bundles = _bundles(hard_columns, labels) if hard_columns.size else []
    for columns in bundles:
        remaining = None if deadline is None else deadline - time.monotonic()
        one_helper_per_request, helper_hours, _helpers, capacity = _bundle_matrices(
            columns=columns,
            pair_requests=pair_requests,
            pair_helpers=pair_helpers,
            load=load,
            spare=spare,
        )
        options: dict = {"mip_rel_gap": 0.0, "presolve": True}
        if remaining is not None:
            options["time_limit"] = max(remaining, 1e-6)
        result = milp(
            -objective[columns],  # milp minimises
            integrality=np.ones(len(columns)),
            bounds=Bounds(0, 1),
            constraints=[
                LinearConstraint(one_helper_per_request, -np.inf, 1.0),
                LinearConstraint(helper_hours, -np.inf, capacity + CAPACITY_TOLERANCE),
            ],
            options=options,
        )
        if result.status == 0:
            picked = columns[result.x > 0.5]
            chosen_columns.append(picked)
            bound += math.fsum(objective[picked].tolist())
            continue
        # Time limit (status 1) or a solver failure: the best feasible plan we have for this
        # bundle, and the bound HiGHS proved (or, without one, every request's best pair).
        logger.warning("batch solver stopped without proof of optimality: %s", result.message)
        optimal = False
        bundle_pairs = [usable[i] for i in columns]
        best = _greedy(requests=requests, helpers=helpers, pairs=bundle_pairs)
        if result.x is not None:
            incumbent = _repair(
                requests=requests,
                helpers=helpers,
                chosen=[usable[i] for i in columns[result.x > 0.5]],
            )
            if math.fsum(p[2] for p in incumbent) >= math.fsum(p[2] for p in best):
                best = incumbent
        position = {pair: index for index, pair in enumerate(usable)}
        chosen_columns.append(np.array(sorted(position[p] for p in best), dtype=np.int64))
        dual_bound = getattr(result, "mip_dual_bound", None)
        if dual_bound is not None and math.isfinite(dual_bound):
            bound += -dual_bound
        else:
            best_of_request = np.zeros(len(requests))
            np.maximum.at(best_of_request, pair_requests[columns], objective[columns])
            bound += math.fsum(best_of_request.tolist())

    picked = np.concatenate(chosen_columns) if chosen_columns else np.array([], dtype=np.int64)
    chosen = _repair(requests=requests, helpers=helpers, chosen=[usable[i] for i in picked])
    achieved = math.fsum(_score_units(p[2]) * weight + 1 for p in chosen)

    if omitted_score_bounds:
        # Only the best pairs were given: the optimum over them is proven optimal over all the
        # eligible pairs when the LP bound over all of them, omitted ones included, leaves no
        # room for a better integral objective.
        request_floor = np.full(len(requests), 0.0)
        for request_id, score in omitted_score_bounds.items():
            if request_id not in request_row:
                raise ValueError(f"omitted score bound for unknown request {request_id}")
            request_floor[request_row[request_id]] = _score_units(score) * weight + 1
        prices = _helper_prices(
            bundles=bundles,
            pair_requests=pair_requests,
            pair_helpers=pair_helpers,
            load=load,
            spare=spare,
            objective=objective,
            helper_count=len(helpers),
        )
        known_requests, known_helpers, known_objective = arrays(known)
        bound, unproven_rows = _upper_bound(
            prices=prices,
            pair_requests=known_requests,
            pair_helpers=known_helpers,
            load=load,
            spare=spare,
            objective=known_objective,
            request_floor=request_floor,
        )
        # The objective is integral: a bound less than one unit above is a proof.
        optimal = optimal and bound < achieved + 1
        unproven = tuple(sorted(requests[row].id for row in unproven_rows))
    else:
        unproven = ()
    gap = 0.0 if optimal else max(0.0, bound - achieved) / max(bound, 1.0)
    plan = _plan_from_chosen(requests=requests, chosen=chosen, optimal=optimal, gap=gap)
    return dataclasses.replace(plan, unproven=unproven) if unproven else plan


# --- Django side: gather the inputs, turn a plan into proposals -------------------------------


@dataclass(frozen=True)
class BatchRun:
    plan: BatchPlan
    # None for a dry run.
    batch_id: uuid.UUID | None
    proposals: tuple | None


def _open_requests(*, request_ids: Sequence[int] | None) -> list[BatchRequest]:
    open_requests = HelpRequest.objects.filter(status=RequestStatus.OPEN)
    if request_ids is not None:
        open_requests = open_requests.filter(id__in=set(request_ids))
    rows = open_requests.annotate(load=weekly_load_hours_expression()).values_list("id", "load")
    found = [BatchRequest(id=request_id, weekly_load_hours=load) for request_id, load in rows]
    if request_ids is not None:
        not_open = sorted(set(request_ids) - {request.id for request in found})
        if not_open:
            raise ValidationError(
                {
                    "request_ids": [
                        _("These requests do not exist or are not open: %(ids)s")
                        % {"ids": ", ".join(map(str, not_open))}
                    ]
                }
            )
    return found


def _helpers_of(pairs) -> list[BatchHelper]:
    helper_user_ids = {pair[1] for pair in pairs}
    return [
        BatchHelper(id=user_id, spare_weekly_hours=max(spare, 0.0))
        for user_id, spare in HelperProfile.objects.filter(user_id__in=helper_user_ids)
        .annotate(spare=F("weekly_hours") - F("committed_weekly_hours"))
        .values_list("user_id", "spare")
    ]


def batch_plan(
    *,
    request_ids: Sequence[int] | None = None,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT_SECONDS,
    near_first: bool = True,
    max_gap: float = 0.0,
) -> BatchPlan:
    """The best assignment of open requests (all, or those of `request_ids`) to helpers.

    Eligibility and scores are those of the candidates list (ranking.selectors.scored_pairs_for);
    a helper's capacity is its spare weekly hours (weekly_hours - committed_weekly_hours).
    Raises django ValidationError {"request_ids": [...]} if an id is not an open request.
    Reads only: nothing is written.

    With `near_first` (the default), each request starts with only its BEST_PAIRS_KEPT best
    pairs among the helpers living within a quarter of their radius (selectors.
    best_near_pairs_for), with a bound on the others' scores; the solver proves the plan
    optimal over every eligible pair or names the requests in the way, which get their pairs
    within half the radius, then all their pairs. If no proof comes, every pair of every
    request is used, as with `near_first=False`: the plan is optimal either way. `max_gap` > 0
    accepts instead a plan from the near pairs whose proven relative gap (plan.gap) is at most
    that, with `optimal: false` (the benchmark's --batch-max-gap; the API keeps 0).
    """
    requests = _open_requests(request_ids=request_ids)
    if not requests:
        return _plan_from_chosen(requests=[], chosen=[], optimal=True)
    all_ids = [request.id for request in requests]
    if near_first:
        pairs_of: dict[int, list] = {}
        bounds: dict[int, float] = {}
        widening = list(NEAR_SHARES) + [None]
        asked = all_ids
        for share in widening:
            if share is None:
                found = scored_pairs_for(help_request_ids=asked)
                found_bounds: dict[int, float] = {}
            else:
                found, found_bounds = best_near_pairs_for(
                    help_request_ids=asked, near_share=share, keep=BEST_PAIRS_KEPT
                )
            for request_id in asked:
                pairs_of[request_id] = []
                bounds.pop(request_id, None)
            for pair in found:
                pairs_of[pair[0]].append(pair)
            bounds.update(found_bounds)
            pairs = [pair for request_pairs in pairs_of.values() for pair in request_pairs]
            plan = solve_assignment(
                requests=requests,
                helpers=_helpers_of(pairs),
                pairs=pairs,
                time_limit_seconds=time_limit_seconds,
                omitted_score_bounds=bounds,
            )
            logger.info(
                "batch, near share %s: %d requests asked, %d pairs, optimal=%s, gap=%.2e,"
                " %d requests unproven",
                share,
                len(asked),
                len(pairs),
                plan.optimal,
                plan.gap,
                len(plan.unproven),
            )
            if plan.optimal or not plan.unproven:
                break
            asked = list(plan.unproven)
        if plan.optimal or plan.gap <= max_gap:
            return plan
    pairs = scored_pairs_for(help_request_ids=all_ids)
    return solve_assignment(
        requests=requests,
        helpers=_helpers_of(pairs),
        pairs=pairs,
        time_limit_seconds=time_limit_seconds,
    )


def _notify_proposal(proposal) -> None:
    # A notification is a nicety: a Redis outage must never undo
    # the proposals (notify_user itself sends on commit).
    try:
        notify_user(
            user_id=proposal.helper_id,
            event={
                "type": "proposal.created",
                "proposal": proposal.id,
                "request": proposal.request_id,
            },
        )
    except Exception:
        logger.exception(
            "could not notify helper %s of proposal %s", proposal.helper_id, proposal.id
        )


def batch_run(
    *,
    coordinator,
    dry_run: bool,
    request_ids: Sequence[int] | None = None,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT_SECONDS,
) -> BatchRun:
    """Plan a batch; unless `dry_run`, propose each assignment to its helper.

    A real run supersedes the open proposals of every request it considered (one open proposal
    per request), then creates one proposal per assignment whose request is still open, all
    with one new batch id, and notifies each helper once the transaction commits. The plan is
    computed before the transaction, so no lock is held while the solver runs.
    """

    plan = batch_plan(request_ids=request_ids, time_limit_seconds=time_limit_seconds)
    if dry_run:
        return BatchRun(plan=plan, batch_id=None, proposals=None)

    considered = sorted({a.request for a in plan.assignments} | set(plan.unassigned))
    batch_id = uuid.uuid4()
    with transaction.atomic():
        # Locking the requests in id order serialises two runs over the same requests (and an
        # accept racing with a run), so the second sees the first's proposals, never a
        # half-written batch; a request matched meanwhile is left out.
        still_open = set(
            HelpRequest.objects.select_for_update()
            .filter(id__in=considered, status=RequestStatus.OPEN)
            .order_by("id")
            .values_list("id", flat=True)
        )
        Proposal.objects.filter(request_id__in=considered, status=ProposalStatus.PROPOSED).update(
            status=ProposalStatus.SUPERSEDED, decided_at=timezone.now()
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    request_id=a.request,
                    helper_id=a.helper,
                    score=a.score,
                    batch_id=batch_id,
                    created_by=coordinator,
                )
                for a in plan.assignments
                if a.request in still_open
            ]
        )
        for proposal in proposals:
            _notify_proposal(proposal)
        events.proposals_created.send(proposals=proposals)
    return BatchRun(plan=plan, batch_id=batch_id, proposals=tuple(proposals))


def proposals_of_helper(*, helper_user, status: str | None = None):
    """The helper's own proposals, newest first, with their requests.

    Each carries `effective_status`: its status, except that an open proposal whose request is
    no longer open (matched through an offer, cancelled, expired) reads as superseded, since it
    can no longer be accepted. `status` filters on that.
    """
    proposals = (
        Proposal.objects.filter(helper=helper_user)
        .select_related("request")
        .annotate(
            effective_status=Case(
                When(
                    Q(status=ProposalStatus.PROPOSED) & ~Q(request__status=RequestStatus.OPEN),
                    then=Value(ProposalStatus.SUPERSEDED.value),
                ),
                default=F("status"),
                output_field=CharField(),
            )
        )
    )
    if status is not None:
        proposals = proposals.filter(effective_status=status)
    return proposals


def proposal_accept(*, proposal_id: int, helper_user):
    """The helper takes the proposed request: their offer on it is accepted, the request matched.

    Reuses the helper's offer on the request if there is one, else makes one
    (requests_app.services.offer_create), then confirms the match through
    requests_app.services.match_confirm, which checks that the request is open, the helper
    eligible and with room, under locks. Returns the conversation match_confirm opens.
    Raises Proposal.DoesNotExist for someone else's proposal, Conflict if it is no longer open.
    """
    request_id = (
        Proposal.objects.filter(id=proposal_id, helper=helper_user)
        .values_list("request_id", flat=True)
        .get()
    )
    with transaction.atomic():
        # Request first, then proposal: the order batch_run locks them in, so the two never
        # deadlock.
        help_request = HelpRequest.objects.select_for_update().get(id=request_id)
        proposal = Proposal.objects.select_for_update().get(id=proposal_id)
        if proposal.status != ProposalStatus.PROPOSED:
            raise Conflict("proposal_not_open", _("This proposal is no longer open."))
        if help_request.status != RequestStatus.OPEN:
            raise Conflict("request_not_open", _("This request is no longer open."))
        offer = Offer.objects.filter(request=help_request, helper=helper_user).first()
        if offer is None:
            offer = offer_create(help_request=help_request, helper_user=helper_user)
        conversation = match_confirm(offer=offer)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
    return conversation


def proposal_decline(*, proposal_id: int, helper_user) -> None:
    """The helper says no. Raises Proposal.DoesNotExist (not theirs), Conflict (not open)."""

    declined = Proposal.objects.filter(
        id=proposal_id, helper=helper_user, status=ProposalStatus.PROPOSED
    ).update(status=ProposalStatus.DECLINED, decided_at=timezone.now())
    if declined == 0:
        Proposal.objects.filter(id=proposal_id, helper=helper_user).get()
        raise Conflict("proposal_not_open", _("This proposal is no longer open."))
