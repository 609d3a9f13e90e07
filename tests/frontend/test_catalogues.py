"""The translation catalogues: every string translated in fr, nl, de and en, none fuzzy.

A fuzzy or empty entry is silently shown in English, so it is a bug for anyone reading the
site in another language. The parser below reads what `makemessages` writes; obsolete entries
(`#~`) are ignored, as gettext ignores them.
"""

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ["fr", "nl", "de", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.parts.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [text for key, text in self.parts.items() if key.startswith("msgstr")]


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, header included (its msgid is empty)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            current = current or _start(entries, number)
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            current = current or _start(entries, number)
        elif match := KEYWORD.match(line):
            current = current or _start(entries, number)
            key = match.group(1)
            current.parts[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and current is not None and key is not None:
            current.parts[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"line {number} not understood: {raw!r}")
    return [entry for entry in entries if "msgid" in entry.parts]


def _start(entries: list[Entry], number: int) -> Entry:
    entry = Entry(line=number)
    entries.append(entry)
    return entry


def all_catalogues() -> list[Path]:
    """Every .po file of the project: the shared locale/ and any app's own locale/ folder."""
    found = []
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        # Skip the virtualenv, local services and collected static files (hidden or generated).
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        subfolders[:] = [name for name in subfolders if name not in {"staticfiles", "node_modules"}]
        found += [Path(folder) / name for name in files if name.endswith(".po")]
    return sorted(found)


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


CATALOGUES = all_catalogues()


def test_the_shared_catalogues_exist_for_the_four_languages():
    shared = Path(settings.LOCALE_PATHS[0])

    for language in LANGUAGES:
        assert (shared / language / "LC_MESSAGES" / "django.po").is_file(), language


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = parse_po(catalogue.read_text(encoding="utf-8"))

    assert len(entries) > 1, "the catalogue is empty: run makemessages"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy {entry.msgid!r}")
        if entry.msgid and not all(entry.translations):
            problems.append(f"line {entry.line}: untranslated {entry.msgid!r}")
    assert not problems, f"{catalogue}:\n" + "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_translations_keep_the_placeholders_of_the_original(catalogue):
    entries = parse_po(catalogue.read_text(encoding="utf-8"))

    problems = []
    for entry in entries:
        originals = [entry.msgid, entry.parts.get("msgid_plural", entry.msgid)]
        allowed = [sorted(PLACEHOLDER.findall(original)) for original in originals]
        for translation in entry.translations:
            if entry.msgid and sorted(PLACEHOLDER.findall(translation)) not in allowed:
                problems.append(f"line {entry.line}: {entry.msgid!r} -> {translation!r}")
    assert not problems, f"{catalogue}:\n" + "\n".join(problems)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_the_catalogue_says_which_language_it_is(catalogue):
    header = parse_po(catalogue.read_text(encoding="utf-8"))[0]
    language = catalogue.parent.parent.name  # <locale>/<language>/LC_MESSAGES/django.po

    assert language in LANGUAGES
    assert header.msgid == ""
    assert f"Language: {language}\n" in header.parts["msgstr"]


def test_the_parser_notices_fuzzy_and_empty_entries():
    entries = parse_po(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(name)s"\n\n'
        'msgid "Long"\n"er"\nmsgstr ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n'
    )

    assert [entry.msgid for entry in entries] == ["", "Hello %(name)s", "Longer"]
    assert "fuzzy" in entries[1].flags
    assert entries[2].translations == [""]
