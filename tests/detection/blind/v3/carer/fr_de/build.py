"""Shuffle, assign ids, validate and write descriptions.jsonl (FR + DE)."""
import json
import random
from pathlib import Path

import data_de
import data_fr

HERE = Path(__file__).resolve().parent
CATEGORIES = {"shopping", "meals", "administration", "transport", "company",
              "gardening", "odd_jobs", "household", "digital"}
RECURRENCES = {"once", "weekly", "every_two_weeks", "monthly"}
RELATIONSHIPS = {"spouse", "partner", "parent", "child", "grandparent", "sibling",
                 "other_family", "friend", "neighbour"}
IN_KEYS = ["category", "recurrence", "for_someone_else", "relationship", "cared_for_age",
           "care_hours_per_week", "description", "likely_carer", "kind"]
OUT_KEYS = ["id", "language", "category", "recurrence", "for_someone_else", "relationship",
            "cared_for_age", "care_hours_per_week", "description", "likely_carer", "kind"]


def validate_item(it, where):
    assert list(it.keys()) == IN_KEYS, (where, list(it.keys()))
    assert it["category"] in CATEGORIES, where
    assert it["recurrence"] in RECURRENCES, where
    assert isinstance(it["for_someone_else"], bool), where
    assert isinstance(it["likely_carer"], bool), where
    if it["for_someone_else"]:
        assert it["relationship"] is None or it["relationship"] in RELATIONSHIPS, where
        assert it["cared_for_age"] is None or (isinstance(it["cared_for_age"], int) and 0 <= it["cared_for_age"] <= 120), where
        h = it["care_hours_per_week"]
        assert h is None or (isinstance(h, (int, float)) and 0 <= h <= 168), where
    else:
        assert it["relationship"] is None and it["cared_for_age"] is None and it["care_hours_per_week"] is None, where
    d = it["description"]
    assert isinstance(d, str) and 1 <= len(d) <= 1000, (where, len(d))
    prefix = "positive:" if it["likely_carer"] else "negative:"
    assert it["kind"].startswith(prefix) and len(it["kind"]) > len(prefix) + 1, where


def build(lang, data):
    assert len(data) == 66, (lang, len(data))
    for i, it in enumerate(data):
        validate_item(it, (lang, i))
    pos = sum(it["likely_carer"] for it in data)
    assert pos == 33 and len(data) - pos == 33, (lang, pos)
    descs = [it["description"] for it in data]
    assert len(set(descs)) == len(descs), f"duplicate description in {lang}"
    items = list(data)
    random.Random(f"20261208-{lang}").shuffle(items)
    out = []
    for n, it in enumerate(items, 1):
        rec = {"id": f"carer3-{lang}-{n:03d}", "language": lang}
        rec.update({k: it[k] for k in IN_KEYS})
        rec = {k: rec[k] for k in OUT_KEYS}
        assert list(rec.keys()) == OUT_KEYS
        out.append(rec)
    return out


def main():
    rows = build("fr", data_fr.DATA) + build("de", data_de.DATA)
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["description"] for r in rows}) == len(rows)
    with open(HERE / "descriptions.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for lang in ("fr", "de"):
        sub = [r for r in rows if r["language"] == lang]
        print(lang, len(sub), "pos", sum(r["likely_carer"] for r in sub),
              "neg", sum(not r["likely_carer"] for r in sub))
    print("wrote", HERE / "descriptions.jsonl", len(rows), "lines")


if __name__ == "__main__":
    main()
