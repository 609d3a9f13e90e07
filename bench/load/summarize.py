"""Prints the results of bench/load/run.sh as Markdown tables (and writes them to summary.md).

    .venv/bin/python bench/load/summarize.py bench/results/load

Reads steps.tsv (one line per step, written by run.sh: label, users, CSV prefix, duration,
load average before, server errors logged during the step, server CPU % and locust CPU % of
one core) and locust's <prefix>_stats.csv
and <prefix>_failures.csv for each step.
"""

import csv
import sys
from pathlib import Path

TARGET_REQUESTS_PER_SECOND = 150
TARGET_P95_MS = 100


def stats_rows(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        return list(csv.DictReader(stats_file))


def failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as failures_file:
        return list(csv.DictReader(failures_file))


def milliseconds(value: str) -> str:
    return "—" if value in ("", "N/A") else f"{float(value):.0f}"


def main() -> None:
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/load")
    with open(results / "steps.tsv", newline="") as steps_file:
        steps = list(csv.reader(steps_file, delimiter="\t"))

    lines = [
        "| step | users (offered req/s) | requests | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| failures | server errors logged | server CPU % | locust CPU % | load avg before "
        "| target met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    last_mixed = None
    for label, users, prefix, _seconds, load_before, server_errors, server_cpu, locust_cpu in steps:
        total = next(row for row in stats_rows(Path(prefix)) if row["Name"] == "Aggregated")
        rate = float(total["Requests/s"])
        met = ""
        if label == "mixed":
            last_mixed = Path(prefix)
            met = (
                "yes"
                if rate >= TARGET_REQUESTS_PER_SECOND
                and float(total["95%"] or 0) <= TARGET_P95_MS
                and int(total["Failure Count"]) == 0
                and int(server_errors) == 0
                else "no"
            )
        lines.append(
            f"| {label} | {users} | {total['Request Count']} | {rate:.1f} "
            f"| {milliseconds(total['50%'])} | {milliseconds(total['95%'])} "
            f"| {milliseconds(total['99%'])} | {milliseconds(total['Max Response Time'])} "
            f"| {total['Failure Count']} | {server_errors} | {server_cpu} | {locust_cpu} "
            f"| {load_before} | {met} |"
        )

    if last_mixed is not None:
        lines += [
            "",
            f"Per endpoint, last mixed step ({last_mixed.name}):",
            "",
            "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | failures |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in stats_rows(last_mixed):
            if row["Name"] == "Aggregated":
                continue
            lines.append(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} "
                f"| {float(row['Requests/s']):.1f} | {milliseconds(row['50%'])} "
                f"| {milliseconds(row['95%'])} | {milliseconds(row['99%'])} "
                f"| {row['Failure Count']} |"
            )

    failure_lines = []
    for label, users, prefix, *_ in steps:
        by_error: dict[str, list[str]] = {}
        for failure in failures(Path(prefix)):
            by_error.setdefault(failure["Error"], []).append(
                f"{failure['Method']} {failure['Name']} {failure['Occurrences']}"
            )
        for error, where in by_error.items():
            total = sum(int(item.rsplit(" ", 1)[1]) for item in where)
            failure_lines.append(f"- {label} {users} users: {error} × {total} ({'; '.join(where)})")
    if failure_lines:
        lines += ["", "Failures:", *failure_lines]

    text = "\n".join(lines)
    (results / "summary.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
