"""Hidden-carer signals in help requests (issue 5, item 4): the labelled set and the rules.

The labelled set is tests/carers/data/carer_signal_cases.jsonl. Cases marked "holdout" were
written before any rule and never used to tune them (docs/CARER_SIGNALS.md). Run with `-s` to
see the figures.
"""

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from detection import carer_situation
from detection.carer_situation import (
    REFERENCE_WEEKLY_HOURS,
    THRESHOLD,
    carer_evidence,
    carer_signal_for_request,
    normalise_text,
)

CASES_PATH = Path(__file__).parent / "data" / "carer_signal_cases.jsonl"
CASES = [json.loads(line) for line in CASES_PATH.read_text(encoding="utf-8").splitlines() if line]
LANGUAGES = ("fr", "nl", "de", "en")
REQUIRED_PRECISION = 0.85
REQUIRED_RECALL = 0.85


def signal_for(case, language="en"):
    return carer_signal_for_request(
        description=case["description"],
        for_someone_else=case["for_someone_else"],
        relationship=case["relationship"],
        cared_for_age=case["cared_for_age"],
        care_hours_per_week=case["care_hours_per_week"],
        language=language,
    )


def request(
    description, *, for_someone_else=False, relationship="", age=None, hours=None, language="en"
):
    return carer_signal_for_request(
        description=description,
        for_someone_else=for_someone_else,
        relationship=relationship,
        cared_for_age=age,
        care_hours_per_week=hours,
        language=language,
    )


def confusion(cases):
    counts = Counter()
    for case in cases:
        predicted = signal_for(case).likely_carer
        counts[(predicted, case["label"])] += 1
    true_positives = counts[(True, True)]
    precision = true_positives / max(true_positives + counts[(True, False)], 1)
    recall = true_positives / max(true_positives + counts[(False, True)], 1)
    return precision, recall, counts


def report(name, cases):
    precision, recall, counts = confusion(cases)
    print(
        f"\n{name}: n={len(cases)} precision={precision:.3f} recall={recall:.3f} "
        f"(tp={counts[(True, True)]} fp={counts[(True, False)]} "
        f"fn={counts[(False, True)]} tn={counts[(False, False)]})"
    )
    return precision, recall


# --- The labelled set ---------------------------------------------------------------------------


def test_the_labelled_set_has_at_least_80_cases_and_20_per_language_with_both_labels():
    assert len(CASES) >= 80
    assert len({case["id"] for case in CASES}) == len(CASES)
    for language in LANGUAGES:
        in_language = [case for case in CASES if case["language"] == language]
        assert len(in_language) >= 20, language
        assert {case["label"] for case in in_language} == {True, False}, language
        assert {case["split"] for case in in_language} == {"train", "holdout"}, language


def test_every_case_has_the_structured_answers_of_a_help_request():
    relationships = {
        "",
        *carer_situation.FAMILY_RELATIONSHIPS,
        *carer_situation.CLOSE_RELATIONSHIPS,
    }
    for case in CASES:
        assert case["relationship"] in relationships, case["id"]
        assert isinstance(case["for_someone_else"], bool), case["id"]
        assert case["cared_for_age"] is None or 0 <= case["cared_for_age"] <= 130, case["id"]
        assert case["care_hours_per_week"] is None or case["care_hours_per_week"] >= 0, case["id"]
        assert 10 <= len(case["description"]) <= 1000, case["id"]


# --- Precision and recall -----------------------------------------------------------------------


def test_precision_and_recall_on_the_whole_set_reach_085():
    precision, recall = report("whole set", CASES)
    for language in LANGUAGES:
        report(f"  {language}", [case for case in CASES if case["language"] == language])
    assert precision >= REQUIRED_PRECISION
    assert recall >= REQUIRED_RECALL


def test_precision_and_recall_on_the_held_out_cases_reach_085():
    precision, recall = report("held out", [case for case in CASES if case["split"] == "holdout"])
    report("training", [case for case in CASES if case["split"] == "train"])
    assert precision >= REQUIRED_PRECISION
    assert recall >= REQUIRED_RECALL


@pytest.mark.parametrize(
    "case_id",
    [
        "fr-h02",  # watering one's own plants during the holidays
        "en-h03",  # watering a neighbour's plants
        "de-h02",  # fetching a visiting father at the station
        "fr-t14",  # fetching a visiting mother at the station
        "nl-t19",  # babysitting a granddaughter, 20 hours a week
        "en-t15",  # babysitting grandchildren
        "de-h04",  # helping a friend move
        "de-h06",  # a healthy grandmother who wants company for a concert
        "en-t13",  # an old person asking for themselves
        "en-t14",  # a sick person exhausted by their own treatment
        "nl-t23",  # an old cat that can no longer go out alone
        "en-t19",  # the care ended with the person's death
        "fr-t22",  # a stroke long ago, fully recovered
        "de-t20",  # a knee operation, temporarily unable to drive
    ],
)
def test_hard_negatives_are_not_flagged(case_id):
    case = next(case for case in CASES if case["id"] == case_id)
    assert case["label"] is False
    assert signal_for(case).likely_carer is False


@pytest.mark.parametrize("case_id", ["en-h01", "nl-h07", "de-t07", "fr-t12", "nl-t11", "de-t08"])
def test_subtle_positives_without_the_word_carer_are_flagged(case_id):
    case = next(case for case in CASES if case["id"] == case_id)
    assert case["label"] is True
    assert "carer_role" not in signal_for(case).codes
    assert signal_for(case).likely_carer is True


# --- Reasons in the requested language ----------------------------------------------------------

DAD_AFTER_STROKE = (
    "Since Dad's stroke I do all his shopping and I can't leave him alone in the evening."
)


@pytest.mark.parametrize(
    ("language", "expected_reason"),
    [
        ("fr", "Vous faites la demande pour un membre de votre famille."),
        ("nl", "U vraagt hulp voor een familielid."),
        ("de", "Sie fragen im Namen eines Angehörigen."),
        ("en", "You are asking on behalf of a relative."),
    ],
)
def test_reasons_are_in_the_requested_language(language, expected_reason):
    signal = request(
        DAD_AFTER_STROKE, for_someone_else=True, relationship="parent", age=81, language=language
    )

    assert signal.likely_carer is True
    assert expected_reason in signal.reasons
    # One reason for each kind of evidence found, here all of it in favour.
    assert len(signal.reasons) == len(signal.codes) == 5


def test_without_a_language_the_reasons_follow_the_active_language():
    with translation.override("nl"):
        signal = request(
            DAD_AFTER_STROKE, for_someone_else=True, relationship="parent", language=None
        )
    assert "U vraagt hulp voor een familielid." in signal.reasons


def test_the_care_hours_reason_gives_the_hours_in_the_local_number_format():
    signal = request(
        "Ma mère a la maladie d'Alzheimer.",
        for_someone_else=True,
        relationship="parent",
        hours=12.5,
        language="fr",
    )
    assert "Vous apportez environ 12,5 heures d'aide par semaine." in signal.reasons


def test_every_positive_code_has_a_reason_translated_into_fr_nl_and_de():
    positive_codes = {rule.code for rule in carer_situation.RULES if rule.weight > 0} | {
        "relative",
        "close_person",
        "relative_mentioned",
        "care_hours",
        "older_age",
    }
    assert positive_codes <= set(carer_situation.REASONS)
    for code in positive_codes:
        with translation.override("en"):
            english = str(carer_situation.REASONS[code])
        for language in ("fr", "nl", "de"):
            with translation.override(language):
                assert str(carer_situation.REASONS[code]) != english, (code, language)


def test_an_unlikely_request_has_no_reasons_but_keeps_its_codes():
    signal = request(
        "My mum is coming to visit, could someone fetch her at the station?",
        for_someone_else=True,
        relationship="parent",
        age=80,
    )
    assert signal.likely_carer is False
    assert signal.reasons == []
    assert signal.codes == ["relative", "older_age"]


def test_the_signal_is_a_frozen_value():
    signal = request("Help with my printer please.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        signal.likely_carer = True


# --- Rules --------------------------------------------------------------------------------------


def test_text_is_normalised_without_case_or_accents():
    assert normalise_text("  Ma SŒUR est ÉPUISÉE,\n bien sûr ") == "ma soeur est epuisee, bien sur"
    assert normalise_text("Sie ist erschöpft – rund um die Uhr") == (
        "sie ist erschopft – rund um die uhr"
    )


@pytest.mark.parametrize(
    "description",
    [
        "My mum doesn't have dementia, she is just lonely.",
        "Ma mère n'a pas d'Alzheimer, elle s'ennuie.",
        "Mijn moeder heeft geen dementie, ze is gewoon eenzaam.",
        "Meine Mutter hat keine Demenz, sie ist nur einsam.",
    ],
)
def test_a_negated_condition_is_not_evidence(description):
    assert "condition" not in carer_evidence(
        description=description,
        for_someone_else=True,
        relationship="parent",
        cared_for_age=None,
        care_hours_per_week=None,
    )


@pytest.mark.parametrize(
    "description",
    [
        "My mum has dementia, she is lonely.",
        "Ma mère a la maladie d'Alzheimer.",
        "Mijn moeder heeft dementie.",
        "Meine Mutter hat Demenz.",
    ],
)
def test_a_condition_is_evidence_in_each_language(description):
    assert "condition" in carer_evidence(
        description=description,
        for_someone_else=True,
        relationship="parent",
        cared_for_age=None,
        care_hours_per_week=None,
    )


def test_words_match_on_boundaries_only():
    # "ms" inside "terms" or "items" is not multiple sclerosis; "avc" needs to stand alone.
    evidence = carer_evidence(
        description="My dad wants help with the terms and items of his lease, he has a Havcx.",
        for_someone_else=True,
        relationship="parent",
        cared_for_age=None,
        care_hours_per_week=None,
    )
    assert "condition" not in evidence


@pytest.mark.parametrize(
    ("description", "dependency"),
    [
        ("Ik ben 85, mijn zoon woont ver en ik kan niet meer alleen naar de winkel.", False),
        ("Mijn vader is 85 en hij kan niet meer alleen naar de winkel.", True),
        ("Je ne peux plus porter mes courses, ma fille habite loin.", False),
        ("Ma mère ne peut plus rester seule.", True),
    ],
)
def test_dependency_is_about_the_other_person_not_the_writer(description, dependency):
    evidence = carer_evidence(
        description=description,
        for_someone_else=False,
        relationship="",
        cared_for_age=None,
        care_hours_per_week=None,
    )
    assert ("dependency" in evidence) is dependency


def test_care_situation_words_count_only_when_another_person_is_in_the_picture():
    alone = request("After my chemotherapy I am exhausted and cannot cope with the housework.")
    with_husband = request(
        "My husband has cancer and I am exhausted, I cannot cope with the housework."
    )
    assert alone.codes == []
    assert with_husband.likely_carer is True
    assert {"condition", "exhaustion"} <= set(with_husband.codes)


def test_care_hours_weigh_by_amount_against_50_hours_a_month():
    assert REFERENCE_WEEKLY_HOURS == pytest.approx(11.54, abs=0.01)
    assert carer_situation.care_hours_weight(0) == 0
    assert carer_situation.care_hours_weight(REFERENCE_WEEKLY_HOURS) == pytest.approx(1.5)
    assert carer_situation.care_hours_weight(REFERENCE_WEEKLY_HOURS / 2) == pytest.approx(0.75)
    # Capped at twice the reference point, so the hours alone never make a carer.
    assert carer_situation.care_hours_weight(168) == pytest.approx(3.0)
    assert carer_situation.care_hours_weight(168) + carer_situation.RELATIVE_WEIGHT >= THRESHOLD


def test_care_hours_for_a_young_child_count_only_with_a_health_sign():
    babysitting = carer_evidence(
        description="I look after my granddaughter while her parents work.",
        for_someone_else=True,
        relationship="other_family",
        cared_for_age=3,
        care_hours_per_week=20,
    )
    disabled_child = carer_evidence(
        description="Our son has cerebral palsy and needs help with everything.",
        for_someone_else=True,
        relationship="child",
        cared_for_age=8,
        care_hours_per_week=20,
    )
    assert "care_hours" not in babysitting
    assert "care_hours" in disabled_child


@pytest.mark.parametrize(
    ("description", "counter_code"),
    [
        ("My father is in great health and wants company for a concert.", "healthy"),
        ("Mon mari a eu un AVC il y a longtemps, il est complètement rétabli.", "recovered"),
        ("Mijn moeder heeft haar pols gebroken en mag zes weken niet rijden.", "temporary"),
        ("Ich habe meine Mutter bis zu ihrem Tod gepflegt.", "care_ended"),
    ],
)
def test_counter_evidence_lowers_the_score(description, counter_code):
    evidence = carer_evidence(
        description=description,
        for_someone_else=True,
        relationship="parent",
        cared_for_age=None,
        care_hours_per_week=None,
    )
    assert evidence[counter_code] < 0


def test_a_person_calling_themselves_a_carer_is_flagged_with_the_context_of_a_relative():
    signal = request(
        "Je suis aidante proche de ma maman, il faudrait changer une ampoule chez elle.",
        for_someone_else=True,
        relationship="parent",
        language="fr",
    )
    assert signal.likely_carer is True
    assert signal.reasons[0] == (
        "Vous vous décrivez comme une personne qui prend soin d'un proche."
    )


def test_every_rule_is_data_with_a_known_language_and_a_compilable_pattern():
    known_codes = set(carer_situation.REASONS) | carer_situation.COUNTER_CODES
    for rule in carer_situation.RULES:
        assert rule.language in LANGUAGES, rule
        assert rule.code in known_codes, rule
        assert (rule.weight < 0) is (rule.code in carer_situation.COUNTER_CODES), rule
    assert {rule.language for rule in carer_situation.RULES} == set(LANGUAGES)


# Phrasings from a probe run after tuning (docs/CARER_SIGNALS.md, "Fresh phrasings"): the first
# four were missed before their patterns were added, so they guard those patterns.
@pytest.mark.parametrize(
    ("description", "for_someone_else", "relationship", "age", "likely"),
    [
        (
            "Ma mère a 87 ans, elle oublie tout et je passe la voir trois fois par jour.",
            True, "parent", 87, True,
        ),
        (
            "Mijn man is na zijn val erg achteruitgegaan, ik kan hem geen moment meer uit het "
            "oog verliezen. Wie doet onze boodschappen?",
            False, "", None, True,
        ),
        (
            "Meine Frau ist seit der Operation pflegebedürftig, ich bin den ganzen Tag für sie "
            "da. Wer kann einkaufen?",
            False, "", None, True,
        ),
        (
            "My dad has Parkinson's and I can't let him out of my sight. Could someone mow "
            "the lawn?",
            False, "", None, True,
        ),
        (
            "Ma mère (82 ans) adore le jardinage mais ne peut plus tailler ses grands arbres.",
            True, "parent", 82, False,
        ),
        ("My dad is 79 and wants to learn to video-call his grandkids.", True, "parent", 79, False),
        (
            "Mijn oma wordt 90 en we organiseren een feest; wie helpt met tafels zetten?",
            True, "grandparent", 90, False,
        ),
    ],
)  # fmt: skip
def test_fresh_phrasings(description, for_someone_else, relationship, age, likely):
    signal = request(
        description, for_someone_else=for_someone_else, relationship=relationship, age=age
    )
    assert signal.likely_carer is likely
