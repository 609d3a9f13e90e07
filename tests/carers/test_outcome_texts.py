"""The engine's codes in words: every code has a text in fr/nl/de/en, every source a citation."""

import re

import pytest
from django.utils import translation

from carers.engine import RULES, evaluate
from carers.engine.sources import LAW_2014
from carers.outcome_texts import (
    DOCUMENT_TITLES,
    GUIDE_SECTIONS,
    LAW_LOCATORS,
    MESSAGES,
    render_outcome,
    render_sources,
)
from tests.carers.factories import AnswersFactory

TRANSLATED = [*MESSAGES.values(), *DOCUMENT_TITLES.values(), *GUIDE_SECTIONS.values()]


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_text_is_translated(language):
    for text in [*TRANSLATED, *LAW_LOCATORS.values()]:
        with translation.override("en"):
            english = str(text)
        with translation.override(language):
            assert str(text) != english, (language, english)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_translations_keep_every_placeholder(language):
    for text in MESSAGES.values():
        with translation.override("en"):
            expected = sorted(re.findall(r"%\((\w+)\)s", str(text)))
        with translation.override(language):
            assert sorted(re.findall(r"%\((\w+)\)s", str(text))) == expected


def _all_codes(outcome: dict) -> set[str]:
    messages = [
        *outcome["general"]["reasons"],
        *outcome["social_rights"]["reasons"],
        *outcome["next_steps"],
        *outcome["leave"]["reasons"],
        *outcome["leave"]["caveats"],
    ]
    return {message["code"] for message in messages}


def test_every_rule_code_has_its_three_texts():
    for rule in RULES:
        for suffix in ("met", "not_met", "unknown"):
            if rule.criteria and suffix == "met":
                for criterion in rule.criteria:
                    assert f"{criterion.code}.met" in MESSAGES
                continue
            assert f"{rule.code}.{suffix}" in MESSAGES


def test_every_law_locator_with_words_is_translatable():
    locators = {
        source.locator
        for rule in RULES
        for item in (rule, *rule.criteria)
        for source in item.sources
        if source.document == LAW_2014
    }
    for locator in locators:
        # "bis", "ter" are the same in every language; words such as "paragraph" are not.
        if re.search(r"[a-z]{3,}", re.sub(r"\d(bis|ter)", "", locator.removeprefix("art."))):
            assert locator in LAW_LOCATORS, locator


def test_sources_are_grouped_by_document():
    with translation.override("en"):
        text = render_sources(
            [
                {"document": "law_2014", "locator": "art. 3 § 3, 1°"},
                {"document": "law_2014", "locator": "art. 2, 2°"},
                {"document": "guide_2024", "locator": "carer_conditions"},
            ]
        )
    assert text == (
        "Law of 12 May 2014 on the recognition of informal carers (art. 3 § 3, 1°; art. 2, 2°); "
        "Mutualité chrétienne guide “Être reconnu comme aidant proche”, updated 19 September "
        "2024 (conditions for the carer)"
    )


@pytest.mark.parametrize(
    "answers",
    [
        {},
        AnswersFactory(),
        AnswersFactory(carer__resides_in_belgium=False),
        AnswersFactory(carer__employment="self_employed", cared_for__recognised_carers=3),
        AnswersFactory(carer__employment=None, cared_for__permanent_residential_care_days=120),
        AnswersFactory(cared_for__age=None, carer__employment="student"),
    ],
)
@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_any_outcome_renders_in_every_language(answers, language):
    outcome = evaluate(answers).as_dict()
    rendered = render_outcome(outcome, language=language)
    assert _all_codes(rendered) == _all_codes(outcome)
    for message in [*rendered["general"]["reasons"], *rendered["next_steps"]]:
        assert message["text"] and "%(" not in message["text"]
        assert message["source"]
