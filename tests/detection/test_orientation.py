"""The orientation detector (issue 16, item 4): needs beyond the task, precision first.

The phrasings here were written for this file; the blind set (tests/detection/blind/orientation)
measures the detector, these say what it must and must not do.
"""

import pytest

from detection.orientation import orientation_needs

NEEDS_FOUND = [
    (
        "Je me sens très seule depuis l'hiver, pourriez-vous m'aider à porter mes sacs ?",
        "isolation",
    ),
    ("Niemand komt nog bij mij langs. Wie wil mee naar de bibliotheek?", "isolation"),
    ("Ich bin so einsam hier im Dorf, wer geht mit mir spazieren?", "isolation"),
    ("No one visits me since the winter, could someone help me with my computer?", "isolation"),
    ("Je suis à bout de nerfs depuis des semaines, aide pour le repassage.", "distress"),
    ("Ik voel me hopeloos en slaap niet meer. Wie kan mijn gras maaien?", "distress"),
    ("Seit Monaten habe ich Panikattacken, wer kann mir beim Einkaufen helfen?", "distress"),
    (
        "Since losing my job I can't cope and I'm lying awake every night. Help with the garden?",
        "distress",
    ),
    ("L'huissier est passé hier pour mes dettes, qui peut m'aider à trier mes papiers ?", "money"),
    ("Ik kan de huur deze maand niet betalen. Wie helpt met een brief?", "money"),
    ("Ich kann meine Rechnungen nicht mehr bezahlen. Hilfe beim Ordnen der Post?", "money"),
    ("I can't afford my heating oil this winter. Could someone help me fill in a form?", "money"),
    (
        "Il y a de la moisissure dans la salle de bain et le propriétaire refuse de réparer.",
        "housing",
    ),
    ("De huisbaas doet niets aan de schimmel in de slaapkamer. Wie kan foto's nemen?", "housing"),
    ("Die Heizung ist kaputt und der Vermieter meldet sich nicht. Wer kann helfen?", "housing"),
    (
        "My landlord gave me notice and I don't know where to go. Help reading the letter?",
        "housing",
    ),
]

NOTHING_FOUND = [
    "Faire les courses au marché de Namur le samedi matin.",
    "Je vis seule et j'adore ça, je cherche quelqu'un pour jouer au scrabble.",
    "Ik ben helemaal niet eenzaam, ik zoek gewoon iemand om mee te fietsen.",
    "Gemeinsam ein einfaches Mittagessen kochen.",
    "Ich kann nicht mehr gut schreiben, wer hilft mir mit meinen Papieren?",
    "I'm not lonely at all, I just want someone to play cards with.",
    "Tired after the move but happy! Help unpacking boxes please.",
    "Could anyone visit my neighbour and bring her a newspaper?",
    "My landlord is lovely, he pays for the paint if I find a painter.",
    "Fuite sous l'évier, quelqu'un de bricoleur pour changer le joint ?",
    "Pour économiser, je repeins moi-même le salon : aide pour le plafond.",
    "Mijn man is vorig jaar overleden, met mij gaat het goed, maar ik wil zijn auto verkopen.",
]


@pytest.mark.parametrize(("description", "need"), NEEDS_FOUND)
def test_a_need_named_in_the_description_is_found(description, need):
    assert need in orientation_needs(description)


@pytest.mark.parametrize("description", NOTHING_FOUND)
def test_an_ordinary_request_is_never_told_it_shows_a_need(description):
    assert orientation_needs(description) == []


def test_needs_come_in_a_stable_order_and_empty_text_has_none():
    both = "J'ai des dettes et je me sens très seul."
    assert orientation_needs(both) == ["isolation", "money"]
    assert orientation_needs("") == []
