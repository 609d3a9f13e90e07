"""Prints the results of bench/load/run.sh as Markdown tables (and writes them to summary.md).

    .venv/bin/python bench/load/summarize.py bench/results/load

Reads steps.tsv (one line per step, written by run.sh: label, users, CSV prefix, duration,
load average before, server errors logged during the step, server CPU % and locust CPU % of
one core, the chat traffic's JSON or "-", load average after) and locust's <prefix>_stats.csv
and <prefix>_failures.csv for each step, and bench/load/ws_traffic.py's JSON.

A mixed step meets the target (issue 17) when HTTP does ≥ 300 requests/s with p95 ≤ 100 ms, the
chat messages of the same step reach the other person with p95 ≤ 100 ms, and nothing failed:
no HTTP failure, no error logged by the server, no chat error (a socket refused or dropped, an
error frame, a message not acknowledged, not delivered, delivered twice, a missing notification).
"""

import csv
import json
import sys
from pathlib import Path

TARGET_REQUESTS_PER_SECOND = 300
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


def milliseconds(value) -> str:
    return "—" if value in ("", "N/A", None) else f"{float(value):.0f}"


def chat_rows(ws: dict, load_before: str, load_after: str) -> list[str]:
    """Two rows under a mixed step: the chat messages and the notifications they caused."""
    rows = []
    for name, key in (
        ("chat: message delivered", "message"),
        ("chat: notification", "notification"),
    ):
        figures = ws[key]
        errors = ws["error_count"] if key == "message" else "″"
        client_cpu = f"{ws['client_cpu_percent']} (chat client)" if key == "message" else "″"
        rows.append(
            f"| ↳ {name} | {ws['people']} people, {ws['sockets']} sockets "
            f"| {figures['count']} | {ws['delivered_per_second'] if key == 'message' else '—'} "
            f"| {milliseconds(figures['p50_ms'])} | {milliseconds(figures['p95_ms'])} "
            f"| {milliseconds(figures['p99_ms'])} | {milliseconds(figures['max_ms'])} "
            f"| {errors} | ″ | ″ | {client_cpu} "
            f"| {load_before} → {load_after} | ″ |"
        )
    return rows


def main() -> None:
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/load")
    with open(results / "steps.tsv", newline="") as steps_file:
        steps = list(csv.reader(steps_file, delimiter="\t"))

    lines = [
        "| step | users (offered req/s) | requests / messages | req/s / msg/s | p50 ms | p95 ms "
        "| p99 ms | max ms | failures / chat errors | server errors logged | server CPU % "
        "| locust CPU % | load avg before → after | target met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    last_mixed = None
    chat_errors: list[str] = []
    for step in steps:
        label, users, prefix, _seconds, load_before, server_errors, server_cpu, locust_cpu = step[
            :8
        ]
        ws_json, load_after = (step[8], step[9]) if len(step) >= 10 else ("-", "")
        ws = json.loads(Path(ws_json).read_text()) if ws_json != "-" else None
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
                and (
                    ws is None
                    or (
                        ws["error_count"] == 0
                        and ws["message"]["p95_ms"] is not None
                        and ws["message"]["p95_ms"] <= TARGET_P95_MS
                    )
                )
                else "no"
            )
        lines.append(
            f"| {label} | {users} | {total['Request Count']} | {rate:.1f} "
            f"| {milliseconds(total['50%'])} | {milliseconds(total['95%'])} "
            f"| {milliseconds(total['99%'])} | {milliseconds(total['Max Response Time'])} "
            f"| {total['Failure Count']} | {server_errors} | {server_cpu} | {locust_cpu} "
            f"| {load_before}{' → ' + load_after if load_after else ''} | {met} |"
        )
        if ws is not None:
            lines += chat_rows(ws, load_before, load_after)
            for error, count in ws["errors"].items():
                chat_errors.append(f"- {label} {users} users, chat: {error} × {count}")

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
    if chat_errors:
        lines += ["", "Chat errors:", *chat_errors]

    text = "\n".join(lines)
    (results / "summary.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
