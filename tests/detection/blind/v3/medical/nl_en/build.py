#!/usr/bin/env python3
"""Shuffle, assign ids, validate and write descriptions.jsonl for the hand-written NL and EN sets."""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data_nl import DATA as DATA_NL  # noqa: E402
from data_en import DATA as DATA_EN  # noqa: E402

KEYS = ["id", "language", "category", "recurrence", "for_someone_else", "relationship",
        "cared_for_age", "care_hours_per_week", "description", "medical", "kind"]
CATEGORIES = {"shopping", "meals", "administration", "transport", "company", "gardening",
              "odd_jobs", "household", "digital"}
RECURRENCES = {"once", "weekly", "every_two_weeks", "monthly"}
RELATIONSHIPS = {"spouse", "partner", "parent", "child", "grandparent", "sibling",
                 "other_family", "friend", "neighbour"}
DATA_KEYS = KEYS[2:]


def build(lang, data):
    for d in data:
        assert list(d.keys()) == DATA_KEYS, (lang, list(d.keys()))
    items = list(data)
    random.Random(f"20261208-{lang}").shuffle(items)
    out = []
    for i, d in enumerate(items, 1):
        rec = {"id": f"medical3-{lang}-{i:03d}", "language": lang}
        rec.update(d)
        out.append({k: rec[k] for k in KEYS})
    return out


def validate(lang, recs):
    assert len(recs) == 66, (lang, len(recs))
    pos = sum(r["medical"] is True for r in recs)
    neg = sum(r["medical"] is False for r in recs)
    assert pos == 33 and neg == 33, (lang, pos, neg)
    seen = set()
    for r in recs:
        assert list(r.keys()) == KEYS
        assert r["language"] == lang
        assert r["category"] in CATEGORIES, r
        assert r["recurrence"] in RECURRENCES, r
        assert isinstance(r["for_someone_else"], bool), r
        if r["for_someone_else"]:
            assert r["relationship"] in RELATIONSHIPS, r
            assert r["cared_for_age"] is None or (isinstance(r["cared_for_age"], int) and 0 <= r["cared_for_age"] <= 120), r
            assert r["care_hours_per_week"] is None or (isinstance(r["care_hours_per_week"], (int, float)) and 0 <= r["care_hours_per_week"] <= 168), r
        else:
            assert r["relationship"] is None and r["cared_for_age"] is None and r["care_hours_per_week"] is None, r
        desc = r["description"]
        assert isinstance(desc, str) and 1 <= len(desc) <= 1000, r
        assert desc not in seen, ("duplicate", desc)
        seen.add(desc)
        assert isinstance(r["medical"], bool)
        k = r["kind"]
        assert k.startswith("positive:" if r["medical"] else "negative:"), r
    return pos, neg


def main():
    all_recs = []
    for lang, data in (("nl", DATA_NL), ("en", DATA_EN)):
        recs = build(lang, data)
        pos, neg = validate(lang, recs)
        print(f"{lang}: {len(recs)} records, medical true={pos}, false={neg}, "
              f"max len={max(len(r['description']) for r in recs)}")
        all_recs.extend(recs)
    descs = [r["description"] for r in all_recs]
    assert len(set(descs)) == len(descs)
    path = os.path.join(HERE, "descriptions.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in all_recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(all_recs)} lines to {path}")


if __name__ == "__main__":
    main()
