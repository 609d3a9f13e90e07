"""The structural rules of issue 16's third round, as specifications.

The phrasings were written for this file (not taken from a blind set): each says what a rule of
detection/carer_structure.py, detection/medical_tasks.py or detection/orientation.py must do,
and the blind sets (tests/detection/blind) measure how far that carries.
"""

import pytest

from detection.carer_situation import carer_signal_for_request
from detection.medical_tasks import medical_check
from detection.orientation import orientation_needs


def _carer(description: str, **form) -> bool:
    answers = {
        "for_someone_else": False,
        "relationship": "",
        "cared_for_age": None,
        "care_hours_per_week": None,
    }
    answers.update(form)
    return carer_signal_for_request(description=description, language="en", **answers).likely_carer


@pytest.mark.parametrize(
    "description",
    [
        # Somebody who cannot be left alone, the denial after the verb (Dutch, German).
        "Mijn vader heeft dementie, hem een uur alleen laten lukt niet meer. Wie kan er strijken?",
        "Meine Frau hat Alzheimer, ich kann sie keine Stunde allein lassen. Wer mäht den Rasen?",
        "Ma mère a la maladie de Parkinson, je n'ose plus la laisser seule. Qui pourrait tondre ?",
        # A relation opening the clause, body care done for the person.
        "Husband paralysed since his stroke, I wash him and dress him. Need help with the hedge.",
        # A condition in capitals ("ALS", not the Dutch word "als"); an infinitive clause's
        # pronoun is its object, the writer the subject of the main clause.
        "Mijn zus heeft ALS. Ik ga elke dag langs om haar te verzorgen. Wie maait mijn gras?",
        "Ich habe meine Stelle aufgegeben, um sie zu pflegen: meine Mutter hat Long Covid.",
        # Spoken French drops "ne"; the first person of "to be" without its pronoun.
        "Ma mère sait plus marcher, je passe chez elle tous les jours. Qui peut tondre ?",
        "Oma hat Demenz, bin jeden Abend bei ihr. Wer kann meinen Rasen mähen?",
        # Notes and text messages: Dutch "'k", English "im" without its apostrophe.
        "k zorg elke dag voor ons ma, ze heeft dementie. wie kan strijken?",
        "my dad has parkinsons, im there every day to help him. anyone for the lawn?",
        # The person who died is not the person cared for.
        "Mon père a eu un AVC et ma mère est décédée l'an dernier ; je m'occupe de lui chaque "
        "jour. Qui pourrait repeindre sa cuisine ?",
        # Regular help with dressing and washing: a limitation of activity (ICF d5).
        "Mijn moeder is 80. Ik help haar elke ochtend met aankleden. Wie snoeit haar haag?",
        # Somebody who cannot stay alone, the writer staying.
        "Mein Sohn hat Epilepsie und kann nie allein bleiben. Wer hilft beim Fensterputzen?",
    ],
)
def test_the_laws_structure_is_found_in_new_words(description):
    assert _carer(description)


@pytest.mark.parametrize(
    "description",
    [
        # A paid professional (law art. 3 § 3, 1°).
        "Je suis aide familiale et une dame que je vois tous les jours a la maladie d'Alzheimer. "
        "Elle aurait besoin de quelqu'un pour son jardin.",
        # Somebody else's care (a third-party statement).
        "My brother looks after our dad, who has dementia, every day. Dad's fridge needs moving.",
        # A care home's staff give the care.
        "Mijn moeder met dementie woont al drie jaar in het woonzorgcentrum, het personeel doet "
        "alles. Wie helpt haar oude huis leeg te maken?",
        # A pet's illness is not a person's dependency.
        "Notre chien est aveugle et ne peut plus monter l'escalier. Mon mari et moi travaillons "
        "toute la journée, quelqu'un pourrait le sortir à midi ?",
        # Somebody else's care, the writer's part a phone call.
        "Meine Schwester pflegt unsere Mutter. Ich wohne weit weg und rufe jeden Tag an. Wer "
        "repariert Mutters Waschmaschine?",
        # A paid personal assistant (art. 3 § 3, 1°).
        "I'm a personal assistant for a man with a disability; he'd like company at the cinema.",
        # Regular help with the cooking is not help with self-care; a minor syndrome is no
        # named condition of dependency.
        "My mum is 70. I help her every Sunday to cook the family meal. Anyone to fix her gate?",
        "Ma voisine a un syndrome du canal carpien, je lui fais ses courses chaque semaine. Qui "
        "peut laver ses vitres ?",
        # The writer's own wish not to be alone is no dependency of somebody else.
        "Mijn man werkt veel en ik wil niet alleen zijn op zondag. Wie gaat mee wandelen?",
        # The care ended with a death.
        "Ma mère est décédée le mois passé, je m'en occupais tous les jours depuis son AVC. "
        "Qui peut m'aider à vider son appartement ?",
    ],
)
def test_counter_evidence_from_the_law_is_not_a_carer(description):
    assert not _carer(description)


def test_the_writers_own_absence_does_not_make_the_need_temporary():
    assert _carer(
        "Every day for two years I have looked in on my neighbour, who has dementia. I'm away "
        "for a week: could someone pop in each morning?"
    )


@pytest.mark.parametrize(
    "description",
    [
        # Verb and medicine in one sentence but not one clause.
        "Mon père doit prendre ses comprimés à midi, quelqu'un pourrait passer et les lui donner ?",
        # A dose schedule with a medicine.
        "Oogdruppels 4x per dag voor mijn moeder, zij krijgt ze er zelf niet in.",
        # Fetching excuses only its own part of the sentence: not yet in German (a known miss,
        # found after the v2 held-out look, when rules were no longer changed).
        pytest.param(
            "Die Tabletten aus der Apotheke holen und in den Wochendosierer einsortieren.",
            marks=pytest.mark.xfail(strict=True, reason="known miss, docs/REQUESTS.md round 3"),
        ),
        # A dose schedule written "3x" against its number.
        "Mijn dochter heeft oordruppels nodig, 3x per dag, wie kan helpen?",
        # What a physiotherapist gave, asked of somebody else (law of 10 May 2015, art. 43).
        "Die Physiotherapeutin hat Dehnübungen gezeigt, wer macht sie täglich mit meinem Vater?",
        "The physio says my shoulder must be massaged every evening, could someone do it?",
        # A Dutch or German past participle is the act's verb.
        "Der Verband an seinem Bein muss jeden Tag gewechselt werden.",
        # Separable verbs: the particle at the clause's end, "zu" inside, Dutch "aan te".
        "Wer legt meiner Mutter abends den Kompressionsverband an?",
        "Mijn vader krijgt de steunkousen niet meer aan, wie helpt ze elke ochtend aan te doen?",
        # Applying an ointment, the verb a German participle with its particle.
        "Abends muss er mit der Salbe vom Arzt eingecremt werden, wer kann das übernehmen?",
        # A Dutch participle of a verb in -eren.
        "Mijn zoon moet twee keer per dag gesondeerd worden, wie kan dat leren?",
        # The nurse no longer comes: the sentence does not excuse the act.
        "The district nurse no longer comes at weekends, could someone give my insulin injection?",
    ],
)
def test_nursing_acts_are_found_beyond_one_clause(description):
    assert medical_check(description).is_medical


@pytest.mark.parametrize(
    "description",
    [
        # A nurse who already does the acts: the sentence names who does them.
        "De thuisverpleging doet de spuitjes en de wondzorg. Ik zoek iemand om te strijken.",
        # Looking for somebody is not fetching, and reading results is not an act.
        "I would like help to read my blood test results on the hospital app.",
        # An animal's treatment, in a sentence naming no person, though the text names one.
        "Mon chat doit avoir son insuline deux fois par jour. Je pars chez ma soeur, qui passe ?",
        # An injection given at the hospital, by its staff; the request is the drive.
        "Mijn vader krijgt elke maand een inspuiting in het ziekenhuis. Wie kan hem brengen?",
        # The physiotherapist who comes does the massage; the request is the shopping.
        "De kine komt twee keer per week voor de massage. Wie kan boodschappen doen?",
        # Walking to the physiotherapist is escorting, not therapy.
        "Could someone drive my mother to her physio appointment on Tuesdays?",
        # The writer measures: the act is theirs; setting up the device is no act.
        "Mijn bloeddrukmeter instellen op de gsm, het meten zelf doe ik wel.",
    ],
)
def test_what_stays_allowed_stays_allowed(description):
    assert not medical_check(description).is_medical


@pytest.mark.parametrize(
    "description",
    [
        "Einsam bin ich überhaupt nicht, ich suche nur einen Partner zum Kartenspielen.",
        "Eenzaam voel ik me niet, maar ik zoek iemand om mee te wandelen.",
        "Don't feel lonely at all, I'm after a chess partner.",
        "J'aime ma solitude, mais un partenaire de scrabble le mardi serait sympa.",
    ],
)
def test_a_denied_need_is_not_a_need(description):
    assert orientation_needs(description) == []


@pytest.mark.parametrize(
    ("description", "need"),
    [
        ("Mir geht es gar nicht gut, ich fühle mich hoffnungslos. Ein Spaziergang?", "distress"),
        ("I don't talk to anyone any more. Would someone come for a coffee?", "isolation"),
        ("Je n'ai plus assez d'argent pour finir le mois, aide pour les courses ?", "money"),
        ("Ik heb nergens nog zin in. Wie helpt met de tuin?", "distress"),
    ],
)
def test_needs_said_with_a_negation_are_found(description, need):
    assert need in orientation_needs(description)
