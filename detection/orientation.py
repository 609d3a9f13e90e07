"""Needs beyond the task in a help request: isolation, distress, money and housing trouble
(issue 16, item 4).

Seed 002 asks the platform to point people, from their first request, to the right body (the
CPAS/OCMW/ÖSHZ, their GP, a psychologist), because the care system fails at detection: people
mention their loneliness, their debts or their mouldy flat in passing while asking for something
else. This detector finds those mentions; what it finds is shown to the person who asked, with
where to turn, never to anyone else, and it never blocks or delays the request.

Precision comes first (an ordinary request must never be told it looks like distress), so a need
is found only by words that name it, from sourced lexicons (detection/lexicons/orientation.json,
each entry with its source: loneliness and distress scales, WHO ICD-11, the Belgian debt and
housing texts, seed 002), matched on Snowball stems in the description's language, or by two parts
together in one clause:

- isolation: a loneliness word ("eenzaam", "isolé"), or *nobody* with a verb of social contact
  ("personne ne passe", "niemand komt", "no one visits");
- distress: a distress word (K6, PHQ-9, ICD-11: hopeless, not sleeping, burn-out, panic attacks);
- money: a debt word (bailiff, arrears), a lack of income, or *cannot* with *paying* (not when
  the clause is about how to pay: by card, online);
- housing: an unhealthy-home word (mould, no heating, a leaking roof), eviction, or *the
  landlord* with a refusal or a notice to leave ("damp" alone is left out: a cellar after the
  rain).

A need word just after a negation ("pas seul du tout", "not lonely") does not count, nor does any
need in a sentence where the writer says they are fine ("je vais bien maintenant", "all good").
"""

from __future__ import annotations

from detection.carer_structure import text_language
from detection.lexicons import (
    LANGUAGES,
    clauses_of,
    find_terms,
    load_lexicon,
    sentence_numbers,
    stem,
)

# No compound matching here: "einsam" is the tail of "gemeinsam".
LEXICON = load_lexicon("orientation")
NEEDS = ("isolation", "distress", "money", "housing")
# Parts that make a need only together, in one clause: need -> (first part, second parts).
PAIRS = (
    ("isolation", "nobody", ("contact",)),
    ("money", "inability", ("pay",)),
    # Not enough, of money or of what it buys ("reicht es nicht mal mehr für Lebensmittel").
    ("money", "shortfall", ("means",)),
    ("housing", "landlord", ("refusal", "notice")),
)
# A negation this many words before a need word, in its clause, denies it.
NEGATION_WINDOW = 3
_NEGATION = {language: LEXICON.stems_of("negation", language) for language in LANGUAGES}
_NEGATION_SHORT = {language: LEXICON.stems_of("negation_short", language) for language in LANGUAGES}
# Dutch and German put the negation after the verb, so after a need word fronted for emphasis
# ("Einsam bin ich überhaupt nicht", "Isoliert fühle ich mich nicht"): a negation this many
# words after it, with no coordinating word between, denies it too.
NEGATION_AFTER_WINDOW = 5
NEGATION_AFTER_LANGUAGES = frozenset({"nl", "de"})
_COORDINATORS = frozenset({"en", "maar", "want", "und", "aber", "denn", "oder", "of"})


def _negated_after(words: list[str], end: int, language: str) -> bool:
    """Whether a negation follows a need term ending before `end` closely, in its clause (nl,
    de only)."""
    if language not in NEGATION_AFTER_LANGUAGES:
        return False
    for word in words[end : end + NEGATION_AFTER_WINDOW]:
        if word in _COORDINATORS:
            return False
        if stem(language, word) in _NEGATION[language]:
            return True
    return False


def orientation_needs(description: str) -> list[str]:
    """The needs beyond the task a description shows, among NEEDS, in NEEDS order ([] if none)."""
    text = description or ""
    clauses = clauses_of(text)
    if not clauses:
        return []
    language = text_language([word for clause in clauses for word in clause])
    sentences = sentence_numbers(text)
    found = find_terms(LEXICON, clauses, language)
    # "Je vais bien" reassures; "Mir geht es gar nicht gut" does not (a negation in its clause).
    reassured = {
        sentences[item.clause]
        for item in found
        if item.term.part == "reassurance"
        and not _NEGATION[language].intersection(clauses[item.clause][: item.start])
        and not _NEGATION[language].intersection(
            clauses[item.clause][item.start : item.start + NEGATION_WINDOW + 2]
        )
    }
    parts_by_clause: dict[int, set[str]] = {}
    needs: set[str] = set()
    for item in found:
        if sentences[item.clause] in reassured:
            continue
        part = item.term.part
        parts_by_clause.setdefault(item.clause, set()).add(part)
        if part in NEEDS:
            words = [
                stem(language, word)
                for word in clauses[item.clause][max(0, item.start - NEGATION_WINDOW) : item.start]
            ]
            single = len(item.term.stems) == 1
            if (
                not _NEGATION[language].intersection(words)
                and not (single and _NEGATION_SHORT[language].intersection(words))
                and not _negated_after(
                    clauses[item.clause], item.start + len(item.term.stems), language
                )
            ):
                needs.add(part)
    for parts in parts_by_clause.values():
        if {"modal", "negation"} <= parts:
            parts.add("inability")
        if "payment_means" in parts:
            parts.discard("inability")
        for need, first, seconds in PAIRS:
            if first in parts and parts.intersection(seconds):
                needs.add(need)
    return [need for need in NEEDS if need in needs]
