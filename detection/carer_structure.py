"""The hidden-carer situation by its structure (issue 16, item 1).

The law describes an informal carer by three things together (seed 004, law of 12 May 2014,
art. 2–3; seed 001): a *relationship* of trust or proximity with the person helped (family,
friend, neighbour), a *dependency* of that person (illness, disability, loss of autonomy with
age), and help given *continuously or regularly*. This module looks for each part in a
description, with the request form's answers standing in for a part when given (the
relationship field; the care hours a week for regular help):

- words come from the lexicons in detection/lexicons/carer.json, each entry with its source,
  matched on Snowball stems (detection.lexicons), in the language the description is written in
  (guessed from its function words, since people do not always write in their interface's);
- a dependency preceded by a negation in its clause ("n'a pas d'Alzheimer") does not count;
- regular help counts only when the writer is its subject ("je", "ik", "ich", "I"): in its
  clause, or carried over from earlier in the sentence when no other subject came in between
  ("Wir haben sie zu uns geholt und pflegen sie"); or when the form gives care hours. "My mother
  looks after my father" describes somebody else's care (a third-party statement), not the
  writer's. Continuous presence ("day and night", "24/7") counts without a subject, unless
  somebody else is named as the carer;
- Dutch and German compounds and hyphenated words are matched by their parts ("longkanker",
  "MS-centrum", detection.lexicons);
- a person the writer's help goes to, named by a pronoun ("je fais tout pour elle"), is the
  person helped: the relationship of proximity the law asks for;
- somebody who cannot be left alone (with a denial anywhere in the clause) is both a dependency
  and a continuous presence; with no condition named, regular help to a person of 85 or more (the
  form's age) stands for the loss of autonomy with age;
- counter-evidence the law gives: the writer helps as a paid professional (art. 3 § 3, 1°), the
  person lives in a care home, has died, or needs help for days or weeks (said of the person,
  not of the writer's own absence); a pet's illness is no person's dependency; somebody else's
  regular help ("my sister looks after mum") is a third-party statement.

`carer_parts` answers which parts were found; carer_situation combines them with its other
evidence and turns them into reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detection.lexicons import (
    LANGUAGES,
    clauses_of,
    find_terms,
    load_lexicon,
    sentence_numbers,
    stem,
    words_of,
)

LEXICON = load_lexicon("carer", compound_parts=frozenset({"dependency"}))

# Function words that tell the four languages apart (the most frequent words of each; not
# detection evidence, only which stemmer and lexicon to use).
_LANGUAGE_MARKERS = {
    "fr": frozenset(
        "le la les et je j est pour une un des il elle qui que mon ma mes du au".split()
    ),
    "nl": frozenset(
        "het een en ik is van voor niet mijn met dat zijn naar ze hij wie ook maar heeft ben bij"
        " wil iemand graag moet".split()
    ),
    "de": frozenset(
        "der die das und ich ist nicht mit ein eine meine mein zu sie er wer den bin hat bei"
        " jemand auch mir muss".split()
    ),
    "en": frozenset("the and i is to my a of for with she he her his who can it".split()),
}

_FIRST_PERSON = {language: LEXICON.stems_of("first_person", language) for language in LANGUAGES}
_POSSESSIVE = {language: LEXICON.stems_of("possessive", language) for language in LANGUAGES}
_NEGATION = {language: LEXICON.stems_of("negation", language) for language in LANGUAGES}
_RELATIVE = {language: LEXICON.stems_of("relative_pronoun", language) for language in LANGUAGES}
_THIRD_PERSON = {language: LEXICON.stems_of("third_person", language) for language in LANGUAGES}
_DENIAL = {language: LEXICON.stems_of("denial", language) for language in LANGUAGES}
# The writer as the subject of a sentence ("je", "ik", "ich", "I"; not "me", "uns").
_FIRST_PERSON_SUBJECT = {
    language: frozenset(stem(language, word) for word in words)
    for language, words in {
        "fr": ("je", "j"),
        "nl": ("ik",),
        "de": ("ich",),
        "en": ("i",),
    }.items()
}
# Conditions and care homes written in capitals ("ALS", "MRS"), matched case-sensitively on the
# text as written, whatever its language (lexicon parts "<part>_acronym").
_ACRONYMS = {
    part: re.compile(
        r"(?<![A-Za-z0-9])(?:"
        + "|".join(
            sorted(
                (re.escape(term.text) for term in LEXICON.terms if term.part == f"{part}_acronym"),
                key=len,
                reverse=True,
            )
        )
        + r")(?![A-Za-z0-9])"
    )
    for part in ("dependency", "residential")
}
# Words opening an infinitive clause ("um sie zu pflegen", "pour la soigner", "om voor haar te
# zorgen"): its pronouns are objects, its subject is the main clause's.
_INFINITIVE_MARKERS = frozenset({"um", "om", "pour", "afin"})
_INFINITIVE_MARKERS_STEMS = {
    language: frozenset(stem(language, word) for word in _INFINITIVE_MARKERS)
    for language in LANGUAGES
}
# The lexicon's source of frequencies and durations ("every day", "for years"), as opposed to
# acts of help ("I look after", "I wash her").
FREQUENCY_SOURCE = "law-art2-45"
_SENTENCE_END = re.compile(r"[.!?\n]+")
# From this age (the form's "age of the person helped"), regular help from the writer is taken
# to answer a loss of autonomy with age (seed 001) when the text names no condition.
AGE_OF_DEPENDENCY = 85
# A negation this many words before a dependency term, in its clause, denies it.
NEGATION_WINDOW = 3
# A relation counts when the writer's possessive stands this many words before it at most
# ("my best friend", "mon voisin").
POSSESSIVE_WINDOW = 2


@dataclass(frozen=True)
class CarerParts:
    """The parts of a carer's situation found in a request, and the language read."""

    language: str
    relationship: bool
    dependency: bool
    regular_help: bool
    relationship_terms: tuple[str, ...] = ()
    dependency_terms: tuple[str, ...] = ()
    regular_help_terms: tuple[str, ...] = ()
    # Somebody else is named as the one who cares, and the writer gives no regular help of
    # their own (no first-person help in the text, no care hours in the form).
    third_party_only: bool = False
    # Somebody else is named as the one who cares ("my sister looks after mum").
    third_party: bool = False
    # The writer's own help includes an act of help (not only a frequency, "I call every day").
    writer_help_act: bool = False
    # The writer helps as a professional (law art. 3 § 3, 1°: the carer's help is not
    # professional): counter-evidence.
    professional: bool = False
    # The person helped has died (the care has ended): counter-evidence.
    care_ended: bool = False
    # The person lives in a care home, cared for by its staff: counter-evidence.
    residential: bool = False
    # A period of days or weeks said of the person helped (not of the writer's absence).
    temporary: bool = False
    # An animal is named (its illness or age is not a person's dependency).
    animal: bool = False

    @property
    def complete(self) -> bool:
        return self.relationship and self.dependency and self.regular_help


def text_language(words: list[str]) -> str:
    """The most likely of fr/nl/de/en for these folded words (English when nothing tells)."""
    counts = {
        language: sum(word in markers for word in words)
        for language, markers in _LANGUAGE_MARKERS.items()
    }
    best = max(counts.values())
    if best == 0:
        return "en"
    return next(language for language in ("fr", "nl", "de", "en") if counts[language] == best)


def text_languages(words: list[str]) -> tuple[str, ...]:
    """The language of these folded words, or all four when no function word tells ("piqûre
    de maman 8h"): a short note is then read in each language."""
    if not any(word in markers for markers in _LANGUAGE_MARKERS.values() for word in words):
        return LANGUAGES
    return (text_language(words),)


def carer_parts(
    *,
    description: str,
    relationship: str,
    care_hours_per_week: float | None,
    cared_for_age: int | None = None,
) -> CarerParts:
    """Which of relationship, dependency and regular help a request shows (module docstring)."""
    clauses = clauses_of(description or "")
    language = text_language([word for clause in clauses for word in clause])
    found = find_terms(LEXICON, clauses, language)
    stems = [[stem(language, word) for word in clause] for clause in clauses]

    sentences = sentence_numbers(description or "")
    relation_terms = []
    dependency_terms = []
    help_terms = []
    helped_clauses = set()
    third_party = False
    professional = False
    residential = False
    temporary_sentences: set[int] = set()
    dependency_sentences: list[int] = []
    animal_sentences = {sentences[item.clause] for item in found if item.term.part == "animal"}
    relation_sentences = set()
    relation_items = []
    help_acts = []
    deaths = []
    for item in found:
        clause = stems[item.clause]
        before = clause[max(0, item.start - NEGATION_WINDOW) : item.start]
        part = item.term.part
        if part == "relation":
            near = clause[max(0, item.start - POSSESSIVE_WINDOW) : item.start]
            # "my wife", or a relation opening the text's clause ("Wife bedridden, I do...").
            if _POSSESSIVE[language].intersection(near) or item.start == 0:
                relation_terms.append(item.term.text)
                relation_sentences.add(sentences[item.clause])
                relation_items.append(item)
        elif part == "relation_alone":
            relation_terms.append(item.term.text)
            relation_sentences.add(sentences[item.clause])
            relation_items.append(item)
        elif part == "dependency":
            if not _NEGATION[language].intersection(before):
                dependency_terms.append(item.term.text)
                dependency_sentences.append(sentences[item.clause])
        elif part == "third_party_care":
            third_party = True
        elif part == "care_ended":
            deaths.append(item)
        elif part == "residential":
            residential = True
        elif part == "temporary":
            temporary_sentences.add(sentences[item.clause])
        elif part == "regular_help":
            if _writer_is_subject(stems, sentences, item, language):
                help_terms.append(item.term.text)
                if item.term.source != FREQUENCY_SOURCE:
                    help_acts.append(item)
            elif _relation_before(found, item):
                # "My sister looks after our mum every day": somebody else's care.
                third_party = True
        elif part == "constant_presence":
            if not _NEGATION[language].intersection(before):
                help_terms.append(item.term.text)
        elif part == "person_helped":
            helped_clauses.add(item.clause)
        elif part == "professional":
            # The writer's own work: the writer is the clause's subject ("je suis aide
            # familiale") or the term says so ("mes patients"); not a professional who also
            # comes ("avec une aide familiale quelques heures").
            if _FIRST_PERSON[language].intersection(stems[item.clause]) or _POSSESSIVE[
                language
            ].intersection(item.term.stems):
                professional = True
        elif part == "left_alone" and _denied(found, stems, item, language):
            # Somebody who cannot be left alone depends on a presence, and the writer, who says
            # so, is the one who stays (law art. 2, 1° and 4°–5°).
            dependency_terms.append(item.term.text)
            dependency_sentences.append(sentences[item.clause])
            help_terms.append(item.term.text)
        elif (
            part == "cannot_stay_alone"
            and _denied(found, stems, item, language)
            and not _FIRST_PERSON_SUBJECT[language].intersection(stems[item.clause])
        ):
            # Somebody who cannot stay alone (not the writer): as "left_alone".
            dependency_terms.append(item.term.text)
            dependency_sentences.append(sentences[item.clause])
            help_terms.append(item.term.text)
    text = description or ""
    for number, match in enumerate(_ACRONYMS["dependency"].finditer(text)):
        dependency_terms.append(match.group(0))
        # The sentence the capitals stand in.
        dependency_sentences.append(len(_SENTENCE_END.findall(text[: match.start()])))
        if number > 3:
            break
    if _ACRONYMS["residential"].search(text):
        residential = True
    # The death ends the care unless it is of somebody else than the person with the
    # dependency ("depuis qu'il a Parkinson... et ma grand-mère est décédée").
    care_ended = bool(deaths) and not _death_of_another(deaths, relation_items, found, sentences)
    # The writer's regular help with self-care or mobility (part "self_care": "ik help hem elke
    # dag met aankleden"): the person needs it, a limitation of activity (ICF d4–d5). Not any
    # activity: helping with the cooking or the paperwork says nothing of a dependency.
    for help_item in help_acts:
        if any(
            item.term.part == "self_care"
            and item.clause == help_item.clause
            and item.start > help_item.start
            for item in found
        ):
            dependency_terms.append("help_with_activities")
            dependency_sentences.append(sentences[help_item.clause])
            break
    # No longer able to do an everyday activity (ICF), said of somebody else: a dependency.
    for inability in (item for item in found if item.term.part == "inability"):
        number = inability.clause
        parts_here = {item.term.part for item in found if item.clause == number}
        # Whose inability: the words before it, from the last relative pronoun on ("je passe
        # chez ma voisine qui ne sait plus..." is the neighbour's).
        before = stems[number][: inability.start]
        relatives = [i for i, word in enumerate(before) if word in _RELATIVE[language]]
        subject_words = before[relatives[-1] + 1 :] if relatives else before
        if "activity" in parts_here and not _FIRST_PERSON[language].intersection(subject_words):
            dependency_terms.append("inability")
            dependency_sentences.append(sentences[number])
    # A period of days or weeks is the person's when said in a sentence naming them and not
    # with the writer as subject: not the writer's own absence ("I'm going into hospital for a
    # few days"), nor the car's ("ma voiture est au garage pour deux semaines").
    writer_sentences = {
        sentences[number]
        for number, clause_stems in enumerate(stems)
        if _FIRST_PERSON_SUBJECT[language].intersection(clause_stems)
    }
    temporary = bool((temporary_sentences & relation_sentences) - writer_sentences)
    if animal_sentences:
        # A pet in the picture: a dependency counts only where a person is named and no animal
        # is ("Onze hond is blind geworden" is not a person's dependency, law art. 2, 1°).
        dependency_terms = [
            term
            for term, sentence in zip(dependency_terms, dependency_sentences, strict=True)
            if sentence in relation_sentences and sentence not in animal_sentences
        ]
    if (
        not dependency_terms
        and help_terms
        and cared_for_age is not None
        and cared_for_age >= AGE_OF_DEPENDENCY
    ):
        # Regular help to a person of a great age (the form's answer): the loss of autonomy
        # with age of seed 001.
        dependency_terms.append("age")
    # The writer's own help going to a person named by a pronoun: the person helped.
    if not relation_terms and any(
        item.clause in helped_clauses
        and item.term.part == "regular_help"
        and _writer_is_subject(stems, sentences, item, language)
        for item in found
    ):
        relation_terms.append("person_helped")

    has_relationship = bool((relationship or "").strip()) or bool(relation_terms)
    has_hours = bool(care_hours_per_week and care_hours_per_week > 0)
    return CarerParts(
        language=language,
        relationship=has_relationship,
        dependency=bool(dependency_terms),
        regular_help=has_hours or bool(help_terms),
        relationship_terms=tuple(dict.fromkeys(relation_terms)),
        dependency_terms=tuple(dict.fromkeys(dependency_terms)),
        regular_help_terms=tuple(dict.fromkeys(help_terms)),
        third_party_only=third_party and not help_terms and not has_hours,
        third_party=third_party,
        writer_help_act=bool(help_acts),
        professional=professional,
        care_ended=care_ended,
        residential=residential,
        temporary=temporary,
        animal=bool(animal_sentences),
    )


def _death_of_another(deaths, relation_items, found, sentences) -> bool:
    """Whether every death named is of another relation than the person with a dependency:
    who died is the relation named nearest before the death word, who is helped the relation
    nearest before a condition, each in its sentence ("mon grand-père... depuis qu'il a
    Parkinson, et ma grand-mère est décédée")."""

    def nearest_relation(item):
        before = [
            other
            for other in relation_items
            if sentences[other.clause] == sentences[item.clause]
            and (other.clause, other.start) < (item.clause, item.start)
        ]
        return (
            max(before, key=lambda other: (other.clause, other.start)).term.text if before else None
        )

    helped = {nearest_relation(item) for item in found if item.term.part == "dependency"} - {None}
    if not helped:
        return False
    died = {nearest_relation(death) for death in deaths}
    return None not in died and not died & helped


def _relation_before(found, item) -> bool:
    """Whether a relation word stands before `item` in its clause (the one who helps)."""
    return any(
        other.clause == item.clause
        and other.start < item.start
        and other.term.part in ("relation", "relation_alone")
        for other in found
    )


def _denied(found, stems, item, language: str) -> bool:
    """Whether the clause of `item` denies it: a denial word ("pas", "niet", "nicht", "can't",
    "lukt niet") anywhere in the clause, since Dutch and German put it after the verb."""
    return bool(_DENIAL[language].intersection(stems[item.clause]))


def _writer_is_subject(stems, sentences, item, language: str) -> bool:
    """Whether the writer is the subject of the help term `item`: a first-person pronoun in its
    clause, or, looking back through its sentence, the nearest subject pronoun is the writer's."""
    first, third = _FIRST_PERSON[language], _THIRD_PERSON[language]
    if first.intersection(stems[item.clause]):
        return True
    number = item.clause
    words = stems[number][: item.start]
    if words and words[0] in _INFINITIVE_MARKERS_STEMS[language]:
        # An infinitive clause: its pronouns are objects; its subject is the main clause's.
        words = []
    while True:
        for word in reversed(words):
            if word in third:
                return False
            if word in first:
                return True
        number -= 1
        if number < 0 or sentences[number] != sentences[item.clause]:
            return False
        words = stems[number]


__all__ = ["CarerParts", "carer_parts", "text_language", "text_languages", "words_of"]
