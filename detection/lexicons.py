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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from detection.text import folded_text

LEXICON_DIRECTORY = Path(__file__).resolve().parent / "lexicons"
LANGUAGES = ("fr", "nl", "de", "en")
_SNOWBALL_NAMES = {"fr": "french", "nl": "dutch", "de": "german", "en": "english"}
ANY_WORD = "_"
_WORD = re.compile(r"[a-z0-9]+(?:[/-][a-z0-9]+)*")
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\n]+")
_STEMMERS = {language: snowballstemmer.stemmer(name) for language, name in _SNOWBALL_NAMES.items()}


class LexiconError(ValueError):
    """A lexicon file is malformed: an entry without terms, or without a known source."""


@lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    """The Snowball stem of a folded `word` in `language` ("_" stays itself)."""
    if word == ANY_WORD:
        return word
    return _STEMMERS[language].stemWord(word)


def words_of(text: str) -> list[str]:
    """The folded words of `text` ("l'aide" → ["l", "aide"]; "24/7" and "ME/CFS" stay one)."""
    return _WORD.findall(folded_text(text).replace("'", " "))


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

    def stems_of(self, part: str, language: str) -> frozenset[str]:
        """The one-word terms of a part as stems (for word-set lexicons: pronouns, negations)."""
        return frozenset(
            term.stems[0]
            for term in self.terms
            if term.part == part and term.language == language and len(term.stems) == 1
        )


def load_lexicon(name: str) -> Lexicon:
    """Reads detection/lexicons/<name>.json; LexiconError if an entry has no known source."""
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
    return Lexicon(
        sources=dict(sources),
        terms=tuple(terms),
        index={key: tuple(value) for key, value in index.items()},
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


def find_terms(lexicon: Lexicon, clauses: list[list[str]], language: str) -> list[Found]:
    """Every term of `language` in the clauses, matched on stems."""
    found: list[Found] = []
    for clause_number, words in enumerate(clauses):
        stems = [stem(language, word) for word in words]
        for start, first in enumerate(stems):
            for term in lexicon.index.get((language, first), ()):
                end = start + len(term.stems)
                if end <= len(stems) and all(
                    wanted == ANY_WORD or wanted == have
                    for wanted, have in zip(term.stems, stems[start:end], strict=True)
                ):
                    found.append(Found(term, clause_number, start))
    return found
