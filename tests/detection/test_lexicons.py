"""Every lexicon entry of the detectors says where it comes from (issue 16: "every lexicon entry
carries its source; a test fails if one does not")."""

import json

import pytest

from detection.lexicons import LEXICON_DIRECTORY, LexiconError, load_lexicon, words_of

LEXICON_NAMES = sorted(path.stem for path in LEXICON_DIRECTORY.glob("*.json"))


def entries_of(data):
    for part, by_language in data.items():
        if part == "sources" or part.startswith("_"):
            continue
        for language, entries in by_language.items():
            if language.startswith("_"):
                continue
            for entry in entries:
                yield part, language, entry


@pytest.mark.parametrize("name", LEXICON_NAMES)
def test_every_entry_names_a_source_that_the_file_cites(name):
    data = json.loads((LEXICON_DIRECTORY / f"{name}.json").read_text(encoding="utf-8"))
    for part, language, entry in entries_of(data):
        assert entry.get("source") in data["sources"], (name, part, language, entry)
        assert data["sources"][entry["source"]].strip()
    load_lexicon(name)


def test_an_entry_without_a_source_is_refused(tmp_path, monkeypatch):
    (tmp_path / "broken.json").write_text(
        json.dumps({"sources": {"a": "seed 004 art. 2"}, "part": {"fr": [{"terms": ["x"]}]}})
    )
    monkeypatch.setattr("detection.lexicons.LEXICON_DIRECTORY", tmp_path)
    with pytest.raises(LexiconError):
        load_lexicon("broken")


def test_word_forms_come_from_the_stemmer():
    from detection.lexicons import stem

    assert stem("fr", "demences") == stem("fr", "demence")
    assert stem("de", "schlaganfalls") == stem("de", "schlaganfall")
    assert words_of("L’aide de ME/CFS, 24/7") == ["l", "aide", "de", "me/cfs", "24/7"]
