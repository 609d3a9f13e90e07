"""Build descriptions.jsonl from the hand-written data files."""
import json
import random
from pathlib import Path

from data_fr import DATA_FR
from data_de import DATA_DE

HERE = Path(__file__).resolve().parent
KEYS = ["id", "language", "category", "recurrence", "for_someone_else", "relationship",
        "cared_for_age", "care_hours_per_week", "description", "medical", "kind"]
CATEGORIES = {"shopping", "meals", "administration", "transport", "company", "gardening",
              "odd_jobs", "household", "digital"}
RECURRENCES = {"once", "weekly", "every_two_weeks", "monthly"}
RELATIONSHIPS = {"spouse", "partner", "parent", "child", "grandparent", "sibling",
                 "other_family", "friend", "neighbour"}


def validate(rows, lang):
    assert len(rows) == 66, (lang, len(rows))
    pos = sum(1 for r in rows if r["medical"] is True)
    neg = sum(1 for r in rows if r["medical"] is False)
    assert pos == 33 and neg == 33, (lang, pos, neg)
    descs = set()
    for r in rows:
        assert list(r.keys()) == KEYS, r
        assert r["language"] == lang, r
        assert r["category"] in CATEGORIES, r
        assert r["recurrence"] in RECURRENCES, r
        assert isinstance(r["for_someone_else"], bool), r
        if r["for_someone_else"]:
            assert r["relationship"] in RELATIONSHIPS, r
            assert r["cared_for_age"] is None or (isinstance(r["cared_for_age"], int) and 0 <= r["cared_for_age"] <= 120), r
            assert r["care_hours_per_week"] is None or (isinstance(r["care_hours_per_week"], (int, float)) and 0 <= r["care_hours_per_week"] <= 168), r
        else:
            assert r["relationship"] is None and r["cared_for_age"] is None and r["care_hours_per_week"] is None, r
        d = r["description"]
        assert isinstance(d, str) and 1 <= len(d) <= 1000, r
        assert d not in descs, ("duplicate", d)
        descs.add(d)
        assert isinstance(r["medical"], bool), r
        k = r["kind"]
        assert k.startswith("positive:" if r["medical"] else "negative:"), r


def build(data, lang):
    rows = [dict(x) for x in data]
    random.Random(f"20261208-{lang}").shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        row = {"id": f"medical3-{lang}-{i:03d}"}
        for k in KEYS[1:]:
            row[k] = r[k]
        assert set(r.keys()) == set(KEYS[1:]), r
        out.append(row)
    validate(out, lang)
    return out


def main():
    all_rows = build(DATA_FR, "fr") + build(DATA_DE, "de")
    ids = [r["id"] for r in all_rows]
    assert len(set(ids)) == len(ids)
    with open(HERE / "descriptions.jsonl", "w", encoding="utf-8") as f:
        for r in all_rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for lang in ("fr", "de"):
        rows = [r for r in all_rows if r["language"] == lang]
        print(lang, len(rows), "medical", sum(r["medical"] for r in rows),
              "not", sum(not r["medical"] for r in rows),
              "len", min(len(r["description"]) for r in rows), max(len(r["description"]) for r in rows))
    print("wrote", HERE / "descriptions.jsonl", len(all_rows), "lines")


if __name__ == "__main__":
    main()
