"""Lexicons as data (detection/lexicons/*.json), matched on word stems.

Each lexicon file maps a part name ("dependency", "regular_help"...) to, per language, a list of
entries `{"terms": [...], "source": key}`, where `key` names a passage in the file's `sources`
(a seed and its article, or a named public source). `load_lexicon` refuses an entry without a
known source, so no word can enter a detector without saying where it comes from.

Terms are folded (detection.text) and cut into words; each word is reduced to its Snowball stem
in the lexicon's language (snowballstemmer, which uses the PyStemmer C extension when installed),
and a description's words are reduced the same way, so "démences", "dementie", "Demenzen" and
"dementia's" find their entry without a list of word forms. "_" in a term stands for any one word.
Everything is prepared once, when the module is imported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import snowballstemmer

from detection.text import folded_text

LEXICON_DIRECTORY = Path(__file__).resolve().parent / "lexicons"
LANGUAGES = ("fr", "nl", "de", "en")
_SNOWBALL_NAMES = {"fr": "french", "nl": "dutch", "de": "german", "en": "english"}
ANY_WORD = "_"
_WORD = re.compile(r"[a-z0-9]+(?:[/-][a-z0-9]+)*")
# "3x", "2x/jour": a count of times, written against its number.
_TIMES = re.compile(r"\b([0-9]+)x(?![a-z0-9])")
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\n]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
# Dutch and German write compounds as one word ("longkanker", "Brustkrebs", "Demenzkranke",
# "insulinepen"): a one-word term of the parts listed in COMPOUND_PARTS also matches at the start
# or the end of a longer word, when the term is at least this long (so "ms" or "taub" never
# match inside "Taube").
COMPOUND_LANGUAGES = frozenset({"nl", "de"})
COMPOUND_MIN_TERM = 5
COMPOUND_MIN_WORD = 8
# A term heads a compound only when it is this long: "blind" ends "farbenblind" but does not
# begin "Blinddarm" (the appendix).
COMPOUND_MIN_HEAD = 6
# The Snowball stemmers of Dutch and German leave verb endings of the present tense ("wechselt",
# "spritzt", "verzorgt"): a one-word term of the parts listed in VERB_PARTS also matches a word
# whose stem starts with the term's stem, when that stem is at least this long.
VERB_MIN_STEM = 4
_STEMMERS = {language: snowballstemmer.stemmer(name) for language, name in _SNOWBALL_NAMES.items()}


class LexiconError(ValueError):
    """A lexicon file is malformed: an entry without terms, or without a known source."""


@lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    """The Snowball stem of a folded `word` in `language` ("_" stays itself)."""
    if word == ANY_WORD:
        return word
    if language == "fr" and word.endswith(("ee", "ees")):
        # The French stemmer reads the feminine participle by its accent ("handicapée" →
        # "handicap"), which folding removed ("handicapee" → "handicape"): one "e" is dropped
        # so the folded form and the masculine find the same stem.
        word = word[:-2] + word[-1:] if word.endswith("ees") else word[:-1]
    return _STEMMERS[language].stemWord(word)


def words_of(text: str) -> list[str]:
    """The folded words of `text` ("l'aide" → ["l", "aide"]; "24/7" and "ME/CFS" stay one; a
    count written "3x" is the number and "x", as in "3 x per dag")."""
    return _WORD.findall(_TIMES.sub(r"\1 x", folded_text(text).replace("'", " ")))


@dataclass(frozen=True)
class Term:
    """One term of a lexicon: its stems in order, its part and the source of its entry."""

    part: str
    language: str
    text: str
    stems: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Lexicon:
    """Every term of one lexicon file, indexed by (language, first stem) for matching."""

    sources: dict[str, str]
    terms: tuple[Term, ...]
    index: dict[tuple[str, str], tuple[Term, ...]]
    # Per language: (regex of compound heads/tails, {folded term text: terms}) (COMPOUND_PARTS).
    compounds: dict[str, tuple[re.Pattern[str], dict[str, tuple[Term, ...]]]] = field(
        default_factory=dict
    )
    # Per language: (regex of verb stems, {stem: terms}) (VERB_PARTS).
    verbs: dict[str, tuple[re.Pattern[str], dict[str, tuple[Term, ...]]]] = field(
        default_factory=dict
    )

    def stems_of(self, part: str, language: str) -> frozenset[str]:
        """The one-word terms of a part as stems (for word-set lexicons: pronouns, negations)."""
        return frozenset(
            term.stems[0]
            for term in self.terms
            if term.part == part and term.language == language and len(term.stems) == 1
        )


def load_lexicon(
    name: str,
    compound_parts: frozenset[str] = frozenset(),
    verb_parts: frozenset[str] = frozenset(),
) -> Lexicon:
    """Reads detection/lexicons/<name>.json; LexiconError if an entry has no known source.

    One-word terms of `compound_parts` also match as the head or the tail of a Dutch or German
    compound word (COMPOUND_LANGUAGES); one-word terms of `verb_parts` also match conjugated
    forms the stemmer leaves (VERB_MIN_STEM)."""
    data = json.loads((LEXICON_DIRECTORY / f"{name}.json").read_text(encoding="utf-8"))
    sources = data["sources"]
    terms: list[Term] = []
    for part, by_language in data.items():
        if part in ("sources",) or part.startswith("_"):
            continue
        for language, entries in by_language.items():
            if language.startswith("_"):
                continue
            if language not in LANGUAGES:
                raise LexiconError(f"{name}.{part}: unknown language {language!r}")
            for entry in entries:
                source = entry.get("source")
                if not source or source not in sources or not sources[source].strip():
                    raise LexiconError(f"{name}.{part}.{language}: entry without a known source")
                if not entry.get("terms"):
                    raise LexiconError(f"{name}.{part}.{language}: entry without terms")
                for text in entry["terms"]:
                    stems = tuple(stem(language, word) for word in _term_words(text))
                    if not stems:
                        raise LexiconError(f"{name}.{part}.{language}: empty term {text!r}")
                    terms.append(Term(part, language, text, stems, source))
    index: dict[tuple[str, str], list[Term]] = {}
    for term in terms:
        index.setdefault((term.language, term.stems[0]), []).append(term)
    compounds: dict[str, tuple[re.Pattern[str], dict[str, tuple[Term, ...]]]] = {}
    for language in COMPOUND_LANGUAGES:
        # One text may be a term of several parts ("spritze": an act, and what an act is done on).
        by_text: dict[str, tuple[Term, ...]] = {}
        for term in terms:
            if (
                term.part in compound_parts
                and term.language == language
                and len(term.stems) == 1
                and len(term.text) >= COMPOUND_MIN_TERM
            ):
                key = "".join(_term_words(term.text))
                by_text[key] = (*by_text.get(key, ()), term)
        if by_text:
            alternatives = "|".join(sorted(map(re.escape, by_text), key=len, reverse=True))
            heads = "|".join(
                sorted(
                    (re.escape(text) for text in by_text if len(text) >= COMPOUND_MIN_HEAD),
                    key=len,
                    reverse=True,
                )
            )
            pattern = re.compile(rf"^(?:{heads or '(?!)'})|(?:{alternatives})$")
            compounds[language] = (pattern, by_text)
    verbs: dict[str, tuple[re.Pattern[str], dict[str, tuple[Term, ...]]]] = {}
    for language in COMPOUND_LANGUAGES:
        by_stem: dict[str, list[Term]] = {}
        for term in terms:
            if (
                term.part in verb_parts
                and term.language == language
                and len(term.stems) == 1
                and len(term.stems[0]) >= VERB_MIN_STEM
            ):
                by_stem.setdefault(term.stems[0], []).append(term)
        if by_stem:
            alternatives = "|".join(sorted(map(re.escape, by_stem), key=len, reverse=True))
            verbs[language] = (
                re.compile(rf"^(?:{alternatives})"),
                {key: tuple(value) for key, value in by_stem.items()},
            )
    return Lexicon(
        sources=dict(sources),
        terms=tuple(terms),
        index={key: tuple(value) for key, value in index.items()},
        compounds=compounds,
        verbs=verbs,
    )


def _term_words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in text.split():
        words.extend([ANY_WORD] if chunk == ANY_WORD else words_of(chunk))
    return words


@dataclass(frozen=True)
class Found:
    """A term found in a clause: where it starts (word index) and the clause's stems."""

    term: Term
    clause: int
    start: int


def clauses_of(text: str) -> list[list[str]]:
    """The folded words of each clause of `text` (split at punctuation)."""
    return [words for part in _CLAUSE_BREAK.split(text) if (words := words_of(part))]


def sentence_numbers(text: str) -> list[int]:
    """For each clause of `clauses_of(text)`, the number of the sentence it belongs to."""
    numbers: list[int] = []
    for sentence_number, sentence in enumerate(_SENTENCE_BREAK.split(text)):
        numbers.extend(sentence_number for part in _CLAUSE_BREAK.split(sentence) if words_of(part))
    return numbers


def _word_parts(language: str, word: str, lexicon: Lexicon) -> list[Term]:
    """One-word terms found *inside* a word: each part of a hyphenated word ("MS-centrum"), and
    the head or tail of a Dutch or German compound (COMPOUND_LANGUAGES)."""
    terms: list[Term] = []
    if "-" in word:
        for part in word.split("-"):
            terms.extend(
                term
                for term in lexicon.index.get((language, stem(language, part)), ())
                if len(term.stems) == 1
            )
    compounds = lexicon.compounds.get(language)
    if compounds and len(word) >= COMPOUND_MIN_WORD:
        pattern, by_text = compounds
        for match in pattern.finditer(word.replace("-", "")):
            terms.extend(by_text[match.group(0)])
    return terms


# Separable verb particles of Dutch and German ("aantrekken": "trekt ... aan", "aan te trekken",
# "aangetrokken"; "anlegen": "legt ... an", "anzulegen", "angelegt").
_PARTICLES = {
    "nl": ("schoon", "terug", "aan", "mee", "toe", "uit", "vast", "weg", "af", "in", "op", "bij"),
    "de": ("zuruck", "fest", "nach", "auf", "aus", "ein", "mit", "weg", "an", "ab", "zu", "um"),
}


def _verb_forms(language: str, words: list[str], index: int) -> list[str]:
    """The infinitive-like forms the word at `index` may stand for, as Dutch and German build
    them: a past participle without its "ge" ("gewechselt" → "wechselt", Dutch "gesondeerd" →
    "sonderen"), with a particle before it ("aangesloten" → "aansloten"), a German infinitive
    with "zu" ("anzulegen" → "anlegen"), a Dutch "aan te trekken", and a particle closing the
    clause ("legt den Verband an" → "anlegt")."""
    particles = _PARTICLES.get(language)
    if not particles:
        return []
    word = words[index]
    forms: list[str] = []
    if "ge" not in word and "zu" not in word:
        particles_to_try: tuple[str, ...] = ()
    else:
        particles_to_try = ("", *particles)
    for particle in particles_to_try:
        if not word.startswith(particle):
            continue
        rest = word[len(particle) :]
        if rest.startswith("ge") and len(rest) > 5:
            body = rest[2:]
            if language == "nl" and body.endswith("eerd"):
                body = body[:-4] + "eren"
            forms.append(particle + body)
        elif particle and language == "de" and rest.startswith("zu") and len(rest) > 4:
            forms.append(particle + rest[2:])
    if index >= 2 and words[index - 1] == "te" and words[index - 2] in particles:
        forms.append(words[index - 2] + word)
    if index < len(words) - 1 and words[-1] in particles:
        forms.append(words[-1] + word)
    return forms


def find_terms(lexicon: Lexicon, clauses: list[list[str]], language: str) -> list[Found]:
    """Every term of `language` in the clauses, matched on stems (and inside compound or
    hyphenated words, see `_word_parts`)."""
    found: list[Found] = []
    for clause_number, words in enumerate(clauses):
        stems = [stem(language, word) for word in words]
        for start, first in enumerate(stems):
            word = words[start]
            if "-" in word or len(word) >= COMPOUND_MIN_WORD:
                found.extend(
                    Found(term, clause_number, start)
                    for term in _word_parts(language, word, lexicon)
                    if term.stems[0] != first
                )
            verbs = lexicon.verbs.get(language)
            if verbs:
                if (match := verbs[0].match(first)) and match.group(0) != first:
                    found.extend(
                        Found(term, clause_number, start) for term in verbs[1][match.group(0)]
                    )
                else:
                    for form in map(partial(stem, language), _verb_forms(language, words, start)):
                        # The form as a verb of the verb parts, or as a one-word term.
                        terms = [
                            term
                            for term in lexicon.index.get((language, form), ())
                            if len(term.stems) == 1
                        ]
                        if match := verbs[0].match(form):
                            terms.extend(verbs[1][match.group(0)])
                        if terms:
                            found.extend(Found(term, clause_number, start) for term in terms)
                            break
            for term in lexicon.index.get((language, first), ()):
                end = start + len(term.stems)
                if end <= len(stems) and all(
                    wanted == ANY_WORD or wanted == have
                    for wanted, have in zip(term.stems, stems[start:end], strict=True)
                ):
                    found.append(Found(term, clause_number, start))
    return found
