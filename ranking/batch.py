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

Time limit and fallback
-----------------------
`time_limit_seconds` bounds the HiGHS run. If it is reached, the best feasible solution HiGHS has
found is returned with `optimal=False`; if it has none yet, or if it is worse, a greedy plan
(pairs by descending score, each taken when its request is free and its helper has room) is
returned instead, also with `optimal=False`. Either way the plan is feasible.
"""

from __future__ import annotations

import logging
import math
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
from scipy.optimize import Bounds, LinearConstraint, milp

from core import events
from core.api_errors import Conflict
from core.realtime import notify_user
from matching.models import HelperProfile
from matching.vocabulary import weekly_load_hours_expression
from ranking.models import Proposal, ProposalStatus
from ranking.selectors import scored_pairs_for
from requests_app.models import HelpRequest, Offer, RequestStatus
from requests_app.services import match_confirm, offer_create

logger = logging.getLogger(__name__)

# Scores are compared to this precision (the API shows them with fewer decimals anyway).
SCORE_RESOLUTION = 1e-4
# Slack allowed on a helper's spare hours: loads and spare hours are sums of floats.
CAPACITY_TOLERANCE = 1e-9
DEFAULT_TIME_LIMIT_SECONDS = 30.0


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
    *, requests: Sequence[BatchRequest], chosen: list[tuple[int, int, float]], optimal: bool
) -> BatchPlan:
    assigned = {pair[0] for pair in chosen}
    assignments = tuple(BatchAssignment(request=r, helper=h, score=s) for r, h, s in sorted(chosen))
    return BatchPlan(
        assignments=assignments,
        # math.fsum: the same total whatever the order, to the last bit.
        total_score=math.fsum(a.score for a in assignments),
        unassigned=tuple(sorted(r.id for r in requests if r.id not in assigned)),
        optimal=optimal,
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


def solve_assignment(
    *,
    requests: list[BatchRequest],
    helpers: list[BatchHelper],
    pairs: list[tuple[int, int, float]],
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT_SECONDS,
) -> BatchPlan:
    """The assignment of requests to helpers with the highest total score (see module docstring).

    `pairs` are the eligible (request id, helper id, score) triples; no other pair is ever used.
    Raises ValueError on inconsistent input (unknown ids, duplicates, negative scores or loads).
    `optimal` is False only when the time limit stopped HiGHS before it proved optimality.
    """
    usable = _canonical_pairs(requests=requests, helpers=helpers, pairs=pairs)
    usable = _without_dominated_pairs(requests=requests, helpers=helpers, pairs=usable)
    if not usable:
        return _plan_from_chosen(requests=requests, chosen=[], optimal=True)

    request_row = {request.id: row for row, request in enumerate(requests)}
    helper_row = {helper.id: row for row, helper in enumerate(helpers)}
    load = np.array([r.weekly_load_hours for r in requests])
    pair_count = len(usable)
    columns = np.arange(pair_count)
    pair_requests = np.array([request_row[pair[0]] for pair in usable])
    pair_helpers = np.array([helper_row[pair[1]] for pair in usable])

    one_helper_per_request = sparse.csr_array(
        (np.ones(pair_count), (pair_requests, columns)), shape=(len(requests), pair_count)
    )
    helper_hours = sparse.csr_array(
        (load[pair_requests], (pair_helpers, columns)), shape=(len(helpers), pair_count)
    )
    spare = np.array([h.spare_weekly_hours for h in helpers]) + CAPACITY_TOLERANCE
    constraints = [
        LinearConstraint(one_helper_per_request, -np.inf, 1.0),
        LinearConstraint(helper_hours, -np.inf, spare),
    ]
    weight = len(requests) + 1
    objective = np.array([_score_units(pair[2]) * weight + 1 for pair in usable], dtype=float)
    options: dict = {"mip_rel_gap": 0.0, "presolve": True}
    if time_limit_seconds is not None:
        options["time_limit"] = float(time_limit_seconds)
    result = milp(
        -objective,  # milp minimises
        integrality=np.ones(pair_count),
        bounds=Bounds(0, 1),
        constraints=constraints,
        options=options,
    )

    if result.status == 0:
        chosen = [usable[i] for i in np.flatnonzero(result.x > 0.5)]
        chosen = _repair(requests=requests, helpers=helpers, chosen=chosen)
        return _plan_from_chosen(requests=requests, chosen=chosen, optimal=True)

    # Time limit (status 1) or a solver failure: fall back to the best feasible plan we have.
    logger.warning("batch solver stopped without proof of optimality: %s", result.message)
    greedy = _greedy(requests=requests, helpers=helpers, pairs=usable)
    best = greedy
    if result.x is not None:
        incumbent = _repair(
            requests=requests,
            helpers=helpers,
            chosen=[usable[i] for i in np.flatnonzero(result.x > 0.5)],
        )
        if math.fsum(p[2] for p in incumbent) >= math.fsum(p[2] for p in greedy):
            best = incumbent
    return _plan_from_chosen(requests=requests, chosen=best, optimal=False)


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


def batch_plan(
    *,
    request_ids: Sequence[int] | None = None,
    time_limit_seconds: float | None = DEFAULT_TIME_LIMIT_SECONDS,
) -> BatchPlan:
    """The best assignment of open requests (all, or those of `request_ids`) to helpers.

    Eligibility and scores are those of the candidates list (ranking.selectors.scored_pairs_for);
    a helper's capacity is its spare weekly hours (weekly_hours - committed_weekly_hours).
    Raises django ValidationError {"request_ids": [...]} if an id is not an open request.
    Reads only: nothing is written.
    """
    requests = _open_requests(request_ids=request_ids)
    if not requests:
        return _plan_from_chosen(requests=[], chosen=[], optimal=True)
    pairs = scored_pairs_for(help_request_ids=[request.id for request in requests])
    helper_user_ids = {pair[1] for pair in pairs}
    helpers = [
        BatchHelper(id=user_id, spare_weekly_hours=max(spare, 0.0))
        for user_id, spare in HelperProfile.objects.filter(user_id__in=helper_user_ids)
        .annotate(spare=F("weekly_hours") - F("committed_weekly_hours"))
        .values_list("user_id", "spare")
    ]
    return solve_assignment(
        requests=requests, helpers=helpers, pairs=pairs, time_limit_seconds=time_limit_seconds
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
