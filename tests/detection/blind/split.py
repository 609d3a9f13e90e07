"""Splits each blind set 50/50 into a development half and a held-out half (issue 16, item 3).

Run once when a version of the sets is frozen: `python tests/detection/blind/split.py` for
version 1 (the sets at the top of this folder), `python tests/detection/blind/split.py v2` for
the sets in v2/ (a version folder holds some or all of carer/, medical/ and orientation/: v3
has no orientation/, and only the sets present are dealt). Deterministic and
stratified: within each (language, label) group the descriptions are ordered by the SHA-256 of
their id and dealt alternately, so both halves keep the set's balance, and nobody chose which
description went where. Detectors are tuned on development.jsonl only; held_out.jsonl is read by
the evaluation alone (detection/evaluation.py) and its figures are the ones reported.
"""

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent

# The label a description is stratified by, per set.
LABEL = {
    "carer": lambda row: row["likely_carer"],
    "medical": lambda row: row["medical"],
    "orientation": lambda row: bool(row["needs"]),
}


def split(name: str, version_directory: Path = HERE) -> tuple[int, int]:
    """Deals one set of a version into its two halves; the sizes of the halves."""
    directory = version_directory / name
    rows = [json.loads(line) for line in (directory / "descriptions.jsonl").open() if line.strip()]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["language"], LABEL[name](row))].append(row)
    halves: dict[str, list[dict]] = {"development": [], "held_out": []}
    for key in sorted(groups, key=str):
        ordered = sorted(groups[key], key=lambda row: hashlib.sha256(row["id"].encode()).digest())
        for index, row in enumerate(ordered):
            halves["development" if index % 2 == 0 else "held_out"].append(row)
    for half, half_rows in halves.items():
        half_rows.sort(key=lambda row: row["id"])
        with (directory / f"{half}.jsonl").open("w") as out:
            for row in half_rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(halves["development"]), len(halves["held_out"])


if __name__ == "__main__":
    version_directory = HERE / sys.argv[1] if len(sys.argv) > 1 else HERE
    for name in LABEL:
        if (version_directory / name / "descriptions.jsonl").is_file():
            print(name, *split(name, version_directory))
