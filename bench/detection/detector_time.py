"""Time of the three text detectors per description, over every blind-set text (issue 16).

    .venv/bin/python bench/detection/detector_time.py [--rounds 5]

What POST /api/requests/ adds for detection is the medical guard (requests_app.services) and, when
the request is read back, the carer signal and the orientation needs (requests_app.selectors).
This runs the three on each description of every version of the blind sets in
tests/detection/blind/ (each set, both halves), after one warm-up pass (the stemmer's cache
filled as it is in a running process), `--rounds` times, and prints the p50, p95 and max of the
per-description time in microseconds (each description's median over the rounds), per detector
and for the three together. The cache of folded texts (detection.text) is emptied before each
description, since a request's text is new; the stemmer's cache of words stays warm. The issue's
budget for the whole request is 2 ms.

A benchmark, not a test: bench/ is outside pytest's testpaths. No database is needed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from detection.carer_situation import carer_signal_for_request
    from detection.evaluation import SETS, available_versions, load_cases
    from detection.medical_tasks import medical_check
    from detection.orientation import orientation_needs
    from detection.text import folded_text

    clear_folded = getattr(folded_text, "cache_clear", lambda: None)

    cases = [
        case
        for version in available_versions()
        for set_name in SETS
        if set_name in available_versions()[version]
        for case in load_cases(set_name, "all", version)
    ]

    def carer(case):
        return carer_signal_for_request(
            description=case["description"],
            for_someone_else=case.get("for_someone_else", False),
            relationship=case.get("relationship", ""),
            cared_for_age=case.get("cared_for_age"),
            care_hours_per_week=case.get("care_hours_per_week"),
            language="en",
        )

    detectors = {
        "medical": lambda case: medical_check(case["description"]),
        "carer": carer,
        "orientation": lambda case: orientation_needs(case["description"]),
    }
    for run in detectors.values():
        for case in cases:
            run(case)
    timings: dict[str, list[list[float]]] = {name: [[] for _ in cases] for name in detectors}
    for _round in range(arguments.rounds):
        for name, run in detectors.items():
            for index, case in enumerate(cases):
                # Each description arrives new: the cache of folded texts is emptied (the
                # stemmer's cache of words stays warm, as in a running process).
                clear_folded()
                start = time.perf_counter_ns()
                run(case)
                timings[name][index].append((time.perf_counter_ns() - start) / 1000)
    per_case = {name: [statistics.median(t) for t in rows] for name, rows in timings.items()}
    per_case["all three"] = [sum(values) for values in zip(*per_case.values(), strict=True)]
    print(f"{len(cases)} descriptions, {arguments.rounds} rounds (µs per description)")
    print(f"{'detector':12} {'p50':>8} {'p95':>8} {'max':>8}")
    for name, values in per_case.items():
        print(
            f"{name:12} {_percentile(values, 0.5):8.0f} {_percentile(values, 0.95):8.0f}"
            f" {max(values):8.0f}"
        )


if __name__ == "__main__":
    main()
