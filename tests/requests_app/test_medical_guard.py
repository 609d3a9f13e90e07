"""The non-medical guard on a table of phrasings in French, Dutch, German and English.

Each line is a description someone could write; `None` means accepted, a code means refused for
that kind of act. This table is the guard's specification (detection/medical_tasks.py).
"""

import pytest
from django.utils import translation

from detection.medical_tasks import BODY_CARE, medical_check, normalise
from requests_app.demo.content import DESCRIPTIONS
from requests_app.medical_refusal import medical_services

ACCEPTED = None

PHRASINGS = [
    # --- French ---
    ("accompagner maman chez le médecin", "fr", ACCEPTED),
    ("Aller chercher mes médicaments à la pharmacie", "fr", ACCEPTED),
    ("Tenir compagnie à mon père le mercredi après-midi", "fr", ACCEPTED),
    ("Conduire ma mère à l'hôpital pour sa prise de sang", "fr", ACCEPTED),
    ("Nettoyer les toilettes et la salle de bain", "fr", ACCEPTED),
    ("Lire avec moi la notice de mes médicaments", "fr", ACCEPTED),
    ("Rappeler à mon père de prendre ses médicaments", "fr", ACCEPTED),
    ("M'emmener en voiture à ma perfusion à l'hôpital", "fr", ACCEPTED),
    ("Faire les courses au supermarché du quartier", "fr", ACCEPTED),
    ("faire une piqûre d'insuline", "fr", "insulin"),
    ("Lui faire sa piqûre tous les soirs", "fr", "injection"),
    ("Changer le pansement de ma mère", "fr", "wound_care"),
    ("Lui donner ses médicaments le soir", "fr", "medication"),
    ("Aide à la toilette le matin", "fr", "body_care"),
    ("Aider mon mari à se laver", "fr", "body_care"),
    ("Vider la poche de stomie", "fr", "stoma"),
    ("S'occuper de la sonde urinaire", "fr", "catheter"),
    ("Faire une prise de sang à domicile", "fr", "blood_sample"),
    ("Soins de plaies après l'opération", "fr", "wound_care"),
    ("Mesurer sa glycémie chaque matin", "fr", "insulin"),
    ("Remplir son pilulier pour la semaine", "fr", "medication"),
    ("Accompagner maman chez le médecin et lui faire une piqûre", "fr", "injection"),
    # --- Dutch ---
    ("medicijnen ophalen bij de apotheek", "nl", ACCEPTED),
    ("Mama naar de huisarts brengen", "nl", ACCEPTED),
    ("Gezelschap houden op zondag", "nl", ACCEPTED),
    ("De ramen wassen en afwassen na het eten", "nl", ACCEPTED),
    ("Mijn vader naar het ziekenhuis rijden voor een bloedafname", "nl", ACCEPTED),
    ("De auto van papa wassen", "nl", ACCEPTED),
    ("wondverzorging", "nl", "wound_care"),
    ("Insuline spuiten voor het ontbijt", "nl", "insulin"),
    ("Haar medicijnen geven", "nl", "medication"),
    ("Hulp bij het wassen en aankleden", "nl", "body_care"),
    ("De katheter verzorgen", "nl", "catheter"),
    ("Stoma verzorgen", "nl", "stoma"),
    ("Bloed prikken bij mijn moeder", "nl", "blood_sample"),
    ("Het verband verwisselen", "nl", "wound_care"),
    ("Sondevoeding geven", "nl", "tube_feeding"),
    ("Medicatie toedienen 's avonds", "nl", "medication"),
    # --- German ---
    ("Gesellschaft leisten", "de", ACCEPTED),
    ("Medikamente aus der Apotheke abholen", "de", ACCEPTED),
    ("Meine Mutter zum Arzt begleiten", "de", ACCEPTED),
    ("Wäsche waschen und bügeln", "de", ACCEPTED),
    ("Zur Blutabnahme ins Krankenhaus fahren", "de", ACCEPTED),
    ("Den Rasen mähen", "de", ACCEPTED),
    ("Verband wechseln", "de", "wound_care"),
    ("Insulin spritzen", "de", "insulin"),
    ("Ihr die Tabletten geben", "de", "medication"),
    ("Hilfe beim Duschen", "de", "body_care"),
    ("Katheter wechseln", "de", "catheter"),
    ("Stomaversorgung", "de", "stoma"),
    ("Blut abnehmen", "de", "blood_sample"),
    ("Wundversorgung nach der OP", "de", "wound_care"),
    ("Körperpflege am Morgen", "de", "body_care"),
    ("Medikamente stellen für die Woche", "de", "medication"),
    # --- English ---
    ("pick up prescriptions", "en", ACCEPTED),
    ("Drive her to the hospital", "en", ACCEPTED),
    ("Keep my dad company on Sundays", "en", ACCEPTED),
    ("Read the medicine leaflet with her", "en", ACCEPTED),
    ("Help with the washing up", "en", ACCEPTED),
    ("Wash the car and clean the windows", "en", ACCEPTED),
    ("Take my mum to her blood test appointment", "en", ACCEPTED),
    ("give her her pills", "en", "medication"),
    ("Change the dressing on his leg", "en", "wound_care"),
    ("Insulin injection every morning", "en", "insulin"),
    ("Wound care", "en", "wound_care"),
    ("Help her shower", "en", "body_care"),
    ("Empty his catheter bag", "en", "catheter"),
    ("Stoma care", "en", "stoma"),
    ("Take a blood sample", "en", "blood_sample"),
    ("Personal care in the morning", "en", "body_care"),
    ("Administer eye drops twice a day", "en", "medication"),
    ("Help my mother to use the toilet", "en", "body_care"),
    ("Help her wash her hair", "en", "body_care"),
    ("Help with the shower curtain", "en", ACCEPTED),
    ("Help with the toilet renovation", "en", ACCEPTED),
    ("Pouvez-vous m'aider à me laver ?", "fr", "body_care"),
]


@pytest.mark.parametrize(("text", "language", "expected"), PHRASINGS)
def test_phrasing(text, language, expected):
    verdict = medical_check(text)

    if expected is ACCEPTED:
        assert verdict.codes == (), f"{text!r} ({language}) was refused as {verdict.codes}"
    else:
        assert expected in verdict.codes, f"{text!r} ({language}) gave {verdict.codes}"


def test_the_demo_descriptions_are_all_accepted():
    # Realistic everyday requests (requests_app/demo/content.py) must never be refused.
    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from texts(item)

    refused = [text for text in texts(DESCRIPTIONS) if medical_check(text).is_medical]

    assert refused == []


def test_the_table_is_large_and_covers_every_language_both_ways():
    assert len(PHRASINGS) >= 40
    for language in ("fr", "nl", "de", "en"):
        outcomes = {expected is ACCEPTED for _, lang, expected in PHRASINGS if lang == language}
        assert outcomes == {True, False}, language


def test_normalise_strips_accents_case_and_punctuation():
    assert normalise("Piqûre d'INSULINE — Körperpflege!") == "piqure d insuline korperpflege"


def test_a_description_can_name_several_acts():
    verdict = medical_check("Faire une prise de sang et changer le pansement")

    assert set(verdict.codes) == {"blood_sample", "wound_care"}


def test_huge_or_strange_text_is_checked_without_error():
    text = "compagnie " * 10_000 + "\x00\u202e🙂" + " piqûre d'insuline"

    assert medical_check(text).codes == ("insulin",)


@pytest.mark.parametrize(
    ("language", "expected_name"),
    [
        ("fr", "Médecin généraliste"),
        ("nl", "Huisarts"),
        ("de", "Hausarzt"),
        ("en", "General practitioner"),
    ],
)
def test_services_are_named_in_the_active_language(language, expected_name):
    with translation.override(language):
        services = medical_services(codes=("injection",), region="wallonia")

    assert services[0]["kind"] == "gp"
    assert services[0]["name"].startswith(expected_name)
    assert {service["kind"] for service in services} == {"gp", "home_nursing", "casd"}
    assert all(set(service) == {"kind", "name", "why"} for service in services)


def test_walloon_services_are_left_out_elsewhere():
    services = medical_services(codes=(BODY_CARE,), region="flanders")

    assert [service["kind"] for service in services] == ["gp"]


def test_body_care_points_to_home_help_services_in_wallonia():
    services = medical_services(codes=(BODY_CARE,), region="wallonia")

    assert [service["kind"] for service in services] == ["gp", "safas", "casd"]
