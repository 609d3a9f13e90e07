"""Shuffle, assign ids, validate and write descriptions.jsonl (blind set carer3)."""
import json
import random
from pathlib import Path

import data_en
import data_nl

HERE = Path(__file__).resolve().parent
DATA_KEYS = ["category", "recurrence", "for_someone_else", "relationship", "cared_for_age",
             "care_hours_per_week", "description", "likely_carer", "kind"]
OUT_KEYS = ["id", "language"] + DATA_KEYS
CATEGORIES = {"shopping", "meals", "administration", "transport", "company", "gardening",
              "odd_jobs", "household", "digital"}
RECURRENCES = {"once", "weekly", "every_two_weeks", "monthly"}
RELATIONSHIPS = {"spouse", "partner", "parent", "child", "grandparent", "sibling",
                 "other_family", "friend", "neighbour"}


def validate(lang, rows):
    assert len(rows) == 66, (lang, len(rows))
    pos = sum(1 for r in rows if r["likely_carer"] is True)
    neg = sum(1 for r in rows if r["likely_carer"] is False)
    assert pos == 33 and neg == 33, (lang, pos, neg)
    seen = set()
    for i, r in enumerate(rows):
        where = f"{lang}[{i}]"
        assert list(r.keys()) == DATA_KEYS, (where, list(r.keys()))
        assert r["category"] in CATEGORIES, where
        assert r["recurrence"] in RECURRENCES, where
        assert isinstance(r["for_someone_else"], bool), where
        assert isinstance(r["likely_carer"], bool), where
        if not r["for_someone_else"]:
            assert r["relationship"] is None and r["cared_for_age"] is None \
                and r["care_hours_per_week"] is None, where
        else:
            assert r["relationship"] is None or r["relationship"] in RELATIONSHIPS, where
            a = r["cared_for_age"]
            assert a is None or (isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= 120), where
            h = r["care_hours_per_week"]
            assert h is None or (isinstance(h, (int, float)) and not isinstance(h, bool) and 0 <= h <= 168), where
        d = r["description"]
        assert isinstance(d, str) and 1 <= len(d) <= 1000, (where, len(d))
        assert d.strip() == d, where
        assert d not in seen, ("duplicate", where)
        seen.add(d)
        k = r["kind"]
        prefix = "positive:" if r["likely_carer"] else "negative:"
        assert k.startswith(prefix) and len(k) > len(prefix) + 1, (where, k)


def main():
    out = []
    all_desc = set()
    for lang, mod in (("nl", data_nl), ("en", data_en)):
        rows = [dict(r) for r in mod.DATA]
        validate(lang, rows)
        random.Random(f"20261208-{lang}").shuffle(rows)
        for n, r in enumerate(rows, 1):
            rec = {"id": f"carer3-{lang}-{n:03d}", "language": lang}
            rec.update(r)
            assert list(rec.keys()) == OUT_KEYS
            assert rec["description"] not in all_desc
            all_desc.add(rec["description"])
            out.append(rec)
    with open(HERE / "descriptions.jsonl", "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    for lang in ("nl", "en"):
        rs = [r for r in out if r["language"] == lang]
        print(lang, len(rs), "positives", sum(r["likely_carer"] for r in rs),
              "negatives", sum(not r["likely_carer"] for r in rs),
              "max_len", max(len(r["description"]) for r in rs))
    print("wrote", HERE / "descriptions.jsonl", len(out), "lines")


if __name__ == "__main__":
    main()
