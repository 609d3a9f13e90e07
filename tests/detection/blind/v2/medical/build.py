#!/usr/bin/env python3
"""Shuffle the hand-written items per language with a fixed seed, assign ids,
validate and write descriptions.jsonl."""
import json, random, sys, os
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
SEED = 20261207
LANGS = ["fr", "nl", "de", "en"]
CATS = {"shopping","meals","administration","transport","company","gardening","odd_jobs","household","digital"}
RECS = {"once","weekly","every_two_weeks","monthly"}
RELS = {"spouse","partner","parent","child","grandparent","sibling","other_family","friend","neighbour"}
KEYS = ["id","language","category","recurrence","for_someone_else","relationship","cared_for_age",
        "care_hours_per_week","description","medical","kind"]

def main():
    out, ids, descs = [], set(), set()
    for lang in LANGS:
        items = list(__import__("data_" + lang).ITEMS)
        assert len(items) == 66, (lang, len(items))
        assert sum(1 for it in items if it[7]) == 33, lang
        rng = random.Random(f"{SEED}-{lang}")
        rng.shuffle(items)
        for n, (cat, rec, fse, rel, age, hrs, desc, med, kind) in enumerate(items, 1):
            assert cat in CATS and rec in RECS, (lang, n, cat, rec)
            assert isinstance(fse, bool) and isinstance(med, bool)
            if fse:
                assert rel in RELS, (lang, desc[:40])
                assert age is None or (isinstance(age, int) and 0 <= age <= 110)
                assert hrs is None or (isinstance(hrs, (int, float)) and 0 <= hrs <= 168)
            else:
                assert rel == "" and age is None and hrs is None, (lang, desc[:40])
            assert 0 < len(desc) <= 1000, (lang, len(desc))
            assert desc not in descs, desc[:40]; descs.add(desc)
            assert kind.startswith(("positive", "hard negative", "plain negative"))
            assert kind.startswith("positive") == med, (lang, kind)
            rid = f"medical2-{lang}-{n:03d}"
            assert rid not in ids; ids.add(rid)
            rec_obj = dict(id=rid, language=lang, category=cat, recurrence=rec, for_someone_else=fse,
                           relationship=rel, cared_for_age=age, care_hours_per_week=hrs,
                           description=desc, medical=med, kind=kind)
            assert list(rec_obj) == KEYS
            out.append(rec_obj)
    with open(os.path.join(HERE, "descriptions.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # report
    print("total", len(out))
    for lang in LANGS:
        rows = [r for r in out if r["language"] == lang]
        t = sum(r["medical"] for r in rows)
        hard = sum(r["kind"].startswith("hard") for r in rows)
        plain = sum(r["kind"].startswith("plain") for r in rows)
        wc = [len(r["description"].split()) for r in rows]
        print(f"{lang}: n={len(rows)} true={t} false={len(rows)-t} (hard={hard}, plain={plain}) words {min(wc)}-{max(wc)}")
    cc = Counter((r["category"], r["medical"]) for r in out)
    for c in sorted(CATS):
        print(f"  {c:15s} true={cc[(c,True)]:3d} false={cc[(c,False)]:3d}")
    fc = Counter((r["for_someone_else"], r["medical"]) for r in out)
    print("  for_someone_else", dict(fc))

if __name__ == "__main__":
    main()
