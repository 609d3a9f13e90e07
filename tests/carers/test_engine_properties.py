"""Properties of the assessment that must hold for every set of answers (issue 5, acceptance).

- Answering a missing question never turns `unlikely` into `likely` — nor any decided status
  into another: decided statuses are final.
- `likely` never comes with a missing answer that could change it.
- `missing` is exact: it lists an unanswered question if and only if some answer to it (with
  some answers to the other open questions) changes a status — checked by brute force.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from carers.engine import EMPLOYMENT_CHOICES, KATZ_PACKAGES, QUESTION_PATHS, evaluate_flat
from carers.engine.questions import BOOLEAN, QUESTION_KINDS

DECIDED = {"likely", "unlikely"}


def _numbers(edges, low, high, integer=True):
    spread = st.integers(low, high) if integer else st.floats(low, high, allow_nan=False)
    return st.one_of(st.sampled_from(edges), spread)


# Every answer's domain, with the rules' edges drawn often.
VALUES = {
    "carer.hours_per_month": _numbers([0, 49, 49.5, 50, 744], 0, 744, integer=False),
    "carer.hours_per_year": _numbers([0, 599, 600, 8784], 0, 8784, integer=False),
    "carer.employment": st.sampled_from(EMPLOYMENT_CHOICES),
    "cared_for.age": _numbers([0, 17, 18, 20, 21, 130], 0, 130),
    "cared_for.permanent_residential_care_days": _numbers([0, 90, 91], 0, 47580),
    "cared_for.recognised_carers": _numbers([0, 2, 3], 0, 100),
    "cared_for.indicators.autonomy_points": _numbers([11, 12], 0, 100),
    "cared_for.indicators.bel_scale_points": _numbers([34, 35], 0, 100),
    "cared_for.indicators.belrai_screener_score": _numbers([12, 13], 0, 100),
    "cared_for.indicators.belrai_adl_iadl_points": _numbers([5, 6], 0, 100),
    "cared_for.indicators.avq_cps_score": _numbers([14, 15], 0, 100),
    "cared_for.indicators.child_scale_points": _numbers([11, 12], 0, 100),
    "cared_for.indicators.child_pillar3_points": _numbers([5, 6], 0, 18),
    "cared_for.indicators.katz_package": st.sampled_from(KATZ_PACKAGES),
}
for _path, _kind in QUESTION_KINDS.items():
    if _kind == BOOLEAN:
        VALUES[_path] = st.booleans()
assert set(VALUES) == set(QUESTION_PATHS)

# Small domains that still fall on both sides of every threshold (ages: under 18, 18–20, 21+).
REPRESENTATIVE = {
    "carer.hours_per_month": [0, 50],
    "carer.hours_per_year": [0, 600],
    "carer.employment": ["employee", "self_employed"],
    "cared_for.age": [10, 19, 30],
    "cared_for.permanent_residential_care_days": [0, 91],
    "cared_for.recognised_carers": [0, 3],
    "cared_for.indicators.autonomy_points": [0, 12],
    "cared_for.indicators.bel_scale_points": [0, 35],
    "cared_for.indicators.belrai_screener_score": [0, 13],
    "cared_for.indicators.belrai_adl_iadl_points": [0, 6],
    "cared_for.indicators.avq_cps_score": [0, 15],
    "cared_for.indicators.child_scale_points": [0, 12],
    "cared_for.indicators.child_pillar3_points": [0, 6],
    "cared_for.indicators.katz_package": ["A", "B"],
}
for _path, _kind in QUESTION_KINDS.items():
    if _kind == BOOLEAN:
        REPRESENTATIVE[_path] = [True, False]


@st.composite
def partial_answers(draw):
    """Some questions answered (often the ones that favour recognition), others not."""
    answers = {}
    for path in QUESTION_PATHS:
        if draw(st.booleans()):
            value = draw(VALUES[path])
            # Lean yes/no answers towards "yes" so that likely outcomes are common too.
            if QUESTION_KINDS[path] == BOOLEAN and draw(st.integers(0, 3)) > 0:
                value = True
            answers[path] = value
    return answers


def statuses(answers):
    outcome = evaluate_flat(answers)
    return outcome.general.status, outcome.social_rights.status


@settings(max_examples=400, deadline=None)
@given(answers=partial_answers(), data=st.data())
def test_answering_a_missing_question_never_changes_a_decided_status(answers, data):
    unanswered = [path for path in QUESTION_PATHS if path not in answers]
    if not unanswered:
        return
    path = data.draw(st.sampled_from(unanswered))
    value = data.draw(VALUES[path])
    before = statuses(answers)
    after = statuses({**answers, path: value})
    for old, new in zip(before, after, strict=True):
        assert not (old == "unlikely" and new == "likely")
        if old in DECIDED:
            assert new == old


@settings(max_examples=400, deadline=None)
@given(answers=partial_answers())
def test_missing_lists_only_unanswered_questions_and_only_while_a_status_is_open(answers):
    outcome = evaluate_flat(answers)
    missing = set(outcome.missing)
    assert not missing & set(answers)
    open_statuses = {outcome.general.status, outcome.social_rights.status} - DECIDED
    # likely (or unlikely) never comes with a missing answer; incomplete always names one.
    assert bool(missing) == bool(open_statuses)


@settings(max_examples=200, deadline=None)
@given(answers=partial_answers(), data=st.data())
def test_likely_stays_likely_whatever_the_missing_answers_are(answers, data):
    before = statuses(answers)
    completed = dict(answers)
    for path in QUESTION_PATHS:
        if path not in completed:
            completed[path] = data.draw(VALUES[path])
    after = statuses(completed)
    assert "incomplete" not in after  # every question answered settles everything
    for old, new in zip(before, after, strict=True):
        if old in DECIDED:
            assert new == old


# The answers that let the other rules matter: without leaning towards them, a random set of
# nine yes/no answers almost always fails general recognition and settles everything.
FAVOURABLE = {path: True for path, kind in QUESTION_KINDS.items() if kind == BOOLEAN}
FAVOURABLE.update(
    {
        "carer.hours_per_month": 50,
        "cared_for.permanent_residential_care_days": 0,
        "cared_for.recognised_carers": 0,
    }
)


@st.composite
def complete_answers_with_gaps(draw):
    answers = {}
    for path, values in REPRESENTATIVE.items():
        choices = values + [FAVOURABLE[path]] * 6 if path in FAVOURABLE else values
        answers[path] = draw(st.sampled_from(choices))
    dropped = draw(st.lists(st.sampled_from(QUESTION_PATHS), max_size=3, unique=True))
    for path in dropped:
        del answers[path]
    return answers, dropped


def relevant_by_brute_force(answers, dropped):
    """The dropped questions whose answer changes a status for some answers to the others."""
    relevant = set()
    for path in dropped:
        others = [other for other in dropped if other != path]
        for other_values in itertools.product(*(REPRESENTATIVE[o] for o in others)):
            base = {**answers, **dict(zip(others, other_values, strict=True))}
            results = {statuses({**base, path: value}) for value in REPRESENTATIVE[path]}
            if len(results) > 1:
                relevant.add(path)
                break
    return relevant


@settings(max_examples=400, deadline=None)
@given(case=complete_answers_with_gaps())
def test_missing_is_exactly_the_questions_that_could_change_a_status(case):
    answers, dropped = case
    assert set(evaluate_flat(answers).missing) == relevant_by_brute_force(answers, dropped)
