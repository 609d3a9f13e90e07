"""How well the detectors do on the blind labelled sets (issue 16, item 3).

The sets are in tests/detection/blind/ (its README says how they were written, blind, from the
legal definitions only), in versions: version 1 at the top (tests/detection/blind/<set>/), every
later one in its own folder (tests/detection/blind/v<N>/<set>/; a version may hold only some of
the sets, e.g. carer/ and medical/ without orientation/). Each set is split into a `development`
half, which tuning may look at, and a `held_out` half, scored once for the reported figures.

Which halves may be read is decided here, in one place (`readable_halves`): a version whose
held-out half has been spent (SPENT_VERSIONS: scored and looked at, so tuned against since) is
development entirely; any other version present (in practice the newest) keeps its held-out
half sealed, so a version folder added later (v3) is sealed as soon as it lands, with nothing
else to change.

For each set and language: the counts of true and false positives and negatives, precision,
recall and F1 (and accuracy), each rate with its 95 % Wilson score interval (Wilson 1927; it
stays inside [0, 1] and behaves on the small counts of 33 cases per language and half).

`manage.py detection_evaluate` prints these tables.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from detection.carer_situation import carer_signal_for_request
from detection.medical_tasks import medical_check
from detection.orientation import orientation_needs

BLIND_SETS = Path(__file__).resolve().parent.parent / "tests" / "detection" / "blind"
SETS = ("carer", "medical", "orientation")
HALVES = ("development", "held_out", "all")
# Versions whose held-out half has been spent, with when: all of them is development now
# (tests/detection/blind/README.md). Version 1 was looked at twice in the first two rounds;
# version 2's held-out half was scored once on 7 December 2026 and became development on
# 8 December 2026; version 3's held-out half was scored once on 8 December 2026 (01:26 UTC,
# docs/CARER_SIGNALS.md and docs/REQUESTS.md) and is development from then on. Add a version
# here only after its one reported look.
SPENT_VERSIONS = {1: "2026-12-07", 2: "2026-12-08", 3: "2026-12-08"}
_VERSION_FOLDER = re.compile(r"^v([2-9]|[1-9][0-9]+)$")
LANGUAGES = ("fr", "nl", "de", "en")
# z for a two-sided 95 % interval.
Z_95 = 1.959964


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion `successes / total` (0–1 each end).

    With no trials the proportion is unknown: (0.0, 1.0).
    """
    if total == 0:
        return (0.0, 1.0)
    proportion = successes / total
    denominator = 1 + z * z / total
    centre = (proportion + z * z / (2 * total)) / denominator
    half_width = z * math.sqrt(proportion * (1 - proportion) / total + z * z / (4 * total * total))
    half_width /= denominator
    return (max(0.0, centre - half_width), min(1.0, centre + half_width))


@dataclass(frozen=True)
class Scores:
    """Counts of one detector against the labels, and the rates derived from them."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def total(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )

    def _rate(self, numerator: int, denominator: int) -> float | None:
        return numerator / denominator if denominator else None

    @property
    def precision(self) -> float | None:
        return self._rate(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float | None:
        return self._rate(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def accuracy(self) -> float | None:
        return self._rate(self.true_positives + self.true_negatives, self.total)

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.true_positives + self.false_positives + self.false_negatives
        return self._rate(2 * self.true_positives, denominator)

    def interval(self, measure: str) -> tuple[float, float]:
        """The 95 % Wilson interval of `precision`, `recall` or `accuracy`."""
        tp, fp, fn, tn = (
            self.true_positives,
            self.false_positives,
            self.false_negatives,
            self.true_negatives,
        )
        successes, total = {
            "precision": (tp, tp + fp),
            "recall": (tp, tp + fn),
            "accuracy": (tp + tn, self.total),
            # F1 has no binomial interval of its own; the Dice form 2TP/(2TP+FP+FN) is used.
            "f1": (2 * tp, 2 * tp + fp + fn),
        }[measure]
        return wilson_interval(successes, total)


def scores_of(pairs: Iterable[tuple[bool, bool]]) -> Scores:
    """Scores of (expected, predicted) pairs."""
    counts = {(True, True): 0, (False, True): 0, (True, False): 0, (False, False): 0}
    for expected, predicted in pairs:
        counts[(bool(expected), bool(predicted))] += 1
    return Scores(
        true_positives=counts[(True, True)],
        false_positives=counts[(False, True)],
        false_negatives=counts[(True, False)],
        true_negatives=counts[(False, False)],
    )


def _version_directories() -> dict[int, Path]:
    """Each version present and its folder: 1 at the top, v<N>/ for the later ones."""
    directories = {1: BLIND_SETS}
    for path in BLIND_SETS.iterdir():
        if path.is_dir() and (match := _VERSION_FOLDER.match(path.name)):
            directories[int(match.group(1))] = path
    return dict(sorted(directories.items()))


def available_versions() -> dict[int, tuple[str, ...]]:
    """Each version present, with the sets it holds (those with a development half)."""
    return {
        version: tuple(name for name in SETS if (directory / name / "development.jsonl").is_file())
        for version, directory in _version_directories().items()
    }


def sealed_versions() -> frozenset[int]:
    """The versions whose held-out half is sealed: every version present that is not spent, in
    practice the newest (v3 as soon as its folder is added)."""
    return frozenset(set(_version_directories()) - set(SPENT_VERSIONS))


def readable_halves(version: int) -> frozenset[str]:
    """The halves of `version` whose cases and errors may be read: every half of a spent
    version, only the development half of a sealed one."""
    if version in sealed_versions():
        return frozenset({"development"})
    return frozenset(HALVES)


def set_directory(set_name: str, version: int = 1) -> Path:
    """Where one version of a blind set is: version 1 at the top, later ones under v<N>/."""
    if set_name not in SETS or set_name not in available_versions().get(version, ()):
        raise ValueError(f"unknown set or version: {set_name!r}, {version!r}")
    return _version_directories()[version] / set_name


def load_cases(set_name: str, half: str, version: int = 1) -> list[dict]:
    """The labelled cases of one half of one blind set ("all": both halves)."""
    if half not in HALVES:
        raise ValueError(f"unknown half: {half!r}")
    directory = set_directory(set_name, version)
    halves = ("development", "held_out") if half == "all" else (half,)
    return [
        json.loads(line)
        for name in halves
        for line in (directory / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]


def _carer_prediction(case: dict) -> bool:
    return carer_signal_for_request(
        description=case["description"],
        for_someone_else=case["for_someone_else"],
        relationship=case["relationship"],
        cared_for_age=case["cared_for_age"],
        care_hours_per_week=case["care_hours_per_week"],
        language="en",
    ).likely_carer


def _medical_prediction(case: dict) -> bool:
    return medical_check(case["description"]).is_medical


def _orientation_prediction(case: dict) -> bool:
    return bool(orientation_needs(case["description"]))


# Per set: what the label is, and how the detector answers the same question.
_QUESTIONS: dict[str, tuple[Callable[[dict], bool], Callable[[dict], bool]]] = {
    "carer": (lambda case: case["likely_carer"], _carer_prediction),
    "medical": (lambda case: case["medical"], _medical_prediction),
    "orientation": (lambda case: bool(case["needs"]), _orientation_prediction),
}


def predictions(set_name: str, half: str, version: int = 1) -> list[tuple[dict, bool, bool]]:
    """Each case of a half with (case, expected, predicted)."""
    expected_of, predicted_of = _QUESTIONS[set_name]
    return [
        (case, expected_of(case), predicted_of(case))
        for case in load_cases(set_name, half, version)
    ]


def evaluate(set_name: str, half: str, version: int = 1) -> dict[str, Scores]:
    """Scores per language of one half of one set, and "all" for every language together."""
    results = predictions(set_name, half, version)
    by_language = {
        language: scores_of(
            (expected, predicted)
            for case, expected, predicted in results
            if case["language"] == language
        )
        for language in LANGUAGES
    }
    by_language["all"] = scores_of((expected, predicted) for _c, expected, predicted in results)
    return by_language
