#!/usr/bin/env python3
"""Build descriptions.jsonl from the hand-written data_<lang>.py files.
Shuffles each language with a fixed seed, assigns ids, validates, prints balance stats."""
import json, random, sys, os
from collections import Counter
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data_fr, data_nl, data_de, data_en

SEED = 20261207
LANGS = [("fr", data_fr.ROWS), ("nl", data_nl.ROWS), ("de", data_de.ROWS), ("en", data_en.ROWS)]
CATS = {"shopping", "meals", "administration", "transport", "company", "gardening", "odd_jobs", "household", "digital"}
RECS = {"once", "weekly", "every_two_weeks", "monthly"}
RELS = {"", "spouse", "partner", "parent", "child", "grandparent", "sibling", "other_family", "friend", "neighbour"}
KEYS = ["id", "language", "category", "recurrence", "for_someone_else", "relationship", "cared_for_age",
        "care_hours_per_week", "description", "likely_carer", "kind"]

def build():
    out = []
    for lang, rows in LANGS:
        rows = list(rows)
        random.Random(f"{SEED}-{lang}").shuffle(rows)
        for i, r in enumerate(rows, 1):
            cat, rec, fse, rel, age, hrs, label, kind, desc = r
            out.append({"id": f"carer2-{lang}-{i:03d}", "language": lang, "category": cat, "recurrence": rec,
                        "for_someone_else": fse, "relationship": rel, "cared_for_age": age,
                        "care_hours_per_week": hrs, "description": desc, "likely_carer": label, "kind": kind})
    return out

def validate(recs):
    errs = []
    ids = [r["id"] for r in recs]
    if len(ids) != len(set(ids)): errs.append("duplicate ids")
    descs = [r["description"] for r in recs]
    if len(descs) != len(set(descs)): errs.append("duplicate descriptions")
    for r in recs:
        if list(r.keys()) != KEYS: errs.append(f"{r['id']}: keys")
        if r["category"] not in CATS: errs.append(f"{r['id']}: category {r['category']}")
        if r["recurrence"] not in RECS: errs.append(f"{r['id']}: recurrence")
        if r["relationship"] not in RELS: errs.append(f"{r['id']}: relationship")
        if not isinstance(r["for_someone_else"], bool) or not isinstance(r["likely_carer"], bool): errs.append(f"{r['id']}: bool")
        if not r["for_someone_else"] and (r["relationship"] or r["cared_for_age"] is not None or r["care_hours_per_week"] is not None):
            errs.append(f"{r['id']}: form fields set while for_someone_else=false")
        if r["cared_for_age"] is not None and not isinstance(r["cared_for_age"], int): errs.append(f"{r['id']}: age type")
        if r["care_hours_per_week"] is not None and not isinstance(r["care_hours_per_week"], (int, float)): errs.append(f"{r['id']}: hours type")
        if not (1 <= len(r["description"]) <= 1000): errs.append(f"{r['id']}: description length {len(r['description'])}")
        if not r["kind"].startswith(("positive", "hard negative", "plain negative")): errs.append(f"{r['id']}: kind")
        if r["kind"].startswith("positive") != r["likely_carer"]: errs.append(f"{r['id']}: kind/label mismatch")
    c = Counter((r["language"], r["likely_carer"]) for r in recs)
    for lang, _ in LANGS:
        if c[(lang, True)] != 33 or c[(lang, False)] != 33: errs.append(f"{lang}: balance {c[(lang, True)]}/{c[(lang, False)]}")
    if len(recs) != 264: errs.append(f"total {len(recs)}")
    return errs

def stats(recs):
    print("lang label n fse_true rel_set hours_given age_given hard_neg plain_neg mean_len min_len max_len")
    for lang, _ in LANGS:
        for lab in (True, False):
            s = [r for r in recs if r["language"] == lang and r["likely_carer"] == lab]
            L = [len(r["description"]) for r in s]
            print(lang, lab, len(s), sum(r["for_someone_else"] for r in s), sum(bool(r["relationship"]) for r in s),
                  sum(r["care_hours_per_week"] is not None for r in s), sum(r["cared_for_age"] is not None for r in s),
                  sum(r["kind"].startswith("hard") for r in s), sum(r["kind"].startswith("plain") for r in s),
                  round(sum(L) / len(L)), min(L), max(L))
    for lab in (True, False):
        s = [r for r in recs if r["likely_carer"] == lab]
        print("category", lab, dict(Counter(r["category"] for r in s)))
        print("recurrence", lab, dict(Counter(r["recurrence"] for r in s)))
        print("relationship", lab, dict(Counter(r["relationship"] for r in s)))

if __name__ == "__main__":
    recs = build()
    errs = validate(recs)
    if errs:
        print("\n".join(errs)); sys.exit(1)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "descriptions.jsonl"), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("OK", len(recs), "records written")
    stats(recs)
