#!/usr/bin/env python3
"""Build descriptions.jsonl from the hand-written data_*.py files.
Shuffles within each language with a fixed seed, assigns ids, validates."""
import json, random, sys, os
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
SEED = 20261207
CODES = {"i": "isolation", "d": "distress", "m": "money", "h": "housing"}
CATS = {"shopping","meals","administration","transport","company","gardening","odd_jobs","household","digital"}
RECS = {"once","weekly","every_two_weeks","monthly"}
RELS = {"spouse","partner","parent","child","grandparent","sibling","other_family","friend","neighbour"}
KEYS = ["id","language","category","recurrence","for_someone_else","relationship","cared_for_age",
        "care_hours_per_week","description","needs","kind"]
ORDER = ["isolation","distress","money","housing"]

def build():
    out, errors = [], []
    for lang in ["fr","nl","de","en"]:
        items = list(__import__("data_"+lang).ITEMS)
        rng = random.Random(f"{SEED}-{lang}")
        rng.shuffle(items)
        for n, (cat, rec, fse, rel, age, hrs, needs, kind, desc) in enumerate(items, 1):
            rec_ = {"id": f"orientation2-{lang}-{n:03d}", "language": lang, "category": cat,
                    "recurrence": rec, "for_someone_else": fse, "relationship": rel,
                    "cared_for_age": age, "care_hours_per_week": hrs, "description": desc,
                    "needs": sorted({CODES[c] for c in needs}, key=ORDER.index), "kind": kind}
            out.append(rec_)
    # validation
    ids = [r["id"] for r in out]
    if len(ids) != len(set(ids)): errors.append("duplicate ids")
    descs = [r["description"] for r in out]
    if len(descs) != len(set(descs)): errors.append("duplicate descriptions")
    for r in out:
        if list(r.keys()) != KEYS: errors.append(f"{r['id']}: keys")
        if r["category"] not in CATS: errors.append(f"{r['id']}: category {r['category']}")
        if r["recurrence"] not in RECS: errors.append(f"{r['id']}: recurrence")
        if not isinstance(r["for_someone_else"], bool): errors.append(f"{r['id']}: fse type")
        if r["for_someone_else"]:
            if r["relationship"] not in RELS: errors.append(f"{r['id']}: relationship")
        else:
            if r["relationship"] != "" or r["cared_for_age"] is not None or r["care_hours_per_week"] is not None:
                errors.append(f"{r['id']}: care fields set without for_someone_else")
        if r["cared_for_age"] is not None and not isinstance(r["cared_for_age"], int): errors.append(f"{r['id']}: age")
        if r["care_hours_per_week"] is not None and not isinstance(r["care_hours_per_week"], (int, float)): errors.append(f"{r['id']}: hours")
        if len(r["description"]) > 1000: errors.append(f"{r['id']}: >1000 chars")
        w = len(r["description"].split())
        if not 8 <= w <= 120: errors.append(f"{r['id']}: {w} words")
        if any(c not in ORDER for c in r["needs"]): errors.append(f"{r['id']}: bad code")
        k = r["kind"].lower()
        if r["needs"] and not k.startswith("positive"): errors.append(f"{r['id']}: kind/needs mismatch")
        if not r["needs"] and not (k.startswith("hard negative") or k.startswith("plain negative")): errors.append(f"{r['id']}: kind/needs mismatch")
    table = {}
    for lang in ["fr","nl","de","en"]:
        rs = [r for r in out if r["language"] == lang]
        pos = [r for r in rs if r["needs"]]
        neg = [r for r in rs if not r["needs"]]
        hard = [r for r in neg if r["kind"].lower().startswith("hard")]
        codes = Counter(c for r in rs for c in r["needs"])
        two = sum(1 for r in rs if len(r["needs"]) >= 2)
        table[lang] = dict(total=len(rs), positive=len(pos), negative=len(neg), hard_negative=len(hard),
                           two_codes=two, **{c: codes[c] for c in ORDER})
        if len(rs) != 66: errors.append(f"{lang}: {len(rs)} items")
        if len(pos) != 26: errors.append(f"{lang}: {len(pos)} positives")
        if len(neg) != 40: errors.append(f"{lang}: {len(neg)} negatives")
        if len(hard) < 26: errors.append(f"{lang}: {len(hard)} hard negatives")
        if not 4 <= two <= 5: errors.append(f"{lang}: {two} two-code items")
        for c in ORDER:
            if not 6 <= codes[c] <= 9: errors.append(f"{lang}: {c}={codes[c]}")
    return out, table, errors

if __name__ == "__main__":
    out, table, errors = build()
    for lang, t in table.items(): print(lang, t)
    if errors:
        print("ERRORS:"); [print(" ", e) for e in errors]; sys.exit(1)
    with open(os.path.join(HERE, "descriptions.jsonl"), "w", encoding="utf-8") as f:
        for r in out: f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote", len(out), "records")
