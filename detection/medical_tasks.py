"""Medical and nursing acts in a help request: the text part of the non-medical guard.

Help requests asking a neighbour for a medical or nursing act are refused (requests_app.services;
the explanation and where to turn instead: requests_app.medical_refusal).

Tandem connects neighbours for everyday tasks (seed 002: "non-medical tasks"). Medical and nursing
acts belong to professionals, so a request describing one is refused with pointers to them:

- injections, insulin and blood-sugar checks, wound care and dressings, giving or preparing
  medication, catheters, stoma care, blood samples, drips, tube feeding, nursing care in general;
- body care (washing, showering or bathing someone, intimate hygiene, help on the toilet) too.
  It is not a medical act, but in Belgium it is personal care done by professional home-care
  services (family aides, home nurses), and a neighbour should not be asked for it.

Accepted, because the neighbour does not perform the act: escorting someone to a doctor, a
hospital or a blood test; fetching medicines or prescriptions at the pharmacy; reminding someone
of an appointment; keeping someone company; reading a leaflet together; household cleaning
(including the toilets and the bathroom).

How it works: the description is normalised (detection.text: lowercase, accents stripped, every
character that is not a letter or a digit turned into one space), then every rule below, a (code,
language, regex) triple, is tried with word boundaries. Rules of every language run on every text,
because people mix languages (Brussels) and write in the language they like, not the one of their
account. Rules marked `escortable` name things a person can be taken *to* ("a blood test", "an
injection at the hospital"); they are ignored in a clause that contains an escort word
("accompagner", "naar", "zur", "drive", "take ... to"), a clause ending at punctuation or at a
coordinating word ("et", "en", "und", "and", "then"...). Body care, medication and the like are
never excused that way: "help her to the toilet" is personal care, not transport.

On top of the phrase rules, the sourced lexicon (detection/lexicons/medical.json, `_listed_acts`)
finds an annex I act named, or an act verb with what it is done on (or a dose schedule with a
medicine) in one sentence; a sentence naming a professional who does the act (a nurse who
already comes, the pharmacist, the lab) is left out unless its clause says they no longer come.

Limits: these are phrase rules, not understanding. A description that merely mentions nursing
("the home nurse already comes, I look for company") may be refused when it uses a rule's exact
phrase; the refusal explains why, and the person can reword. The table of phrasings in
tests/requests_app/test_medical_guard.py is the specification: add a line there before changing a
rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detection.carer_structure import LEXICON as PEOPLE_LEXICON
from detection.carer_structure import text_language, text_languages
from detection.lexicons import clauses_of, find_terms, load_lexicon, sentence_numbers
from detection.text import folded_text

# --- Normalisation ---------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Folded (detection.text), every run of characters that is not a letter or a digit made one
    space: "Piqûre d'insuline" → "piqure d insuline"."""
    return _NOT_WORD.sub(" ", folded_text(text)).strip()


# --- Building blocks for the rules ------------------------------------------------------------


def _any(alternatives: str) -> str:
    return f"(?:{alternatives})"


def _near(first: str, second: str, gap: int = 3) -> str:
    """`first`, then at most `gap` other words, then `second` (both whole words)."""
    return rf"\b{_any(first)}\b(?: [a-z0-9]+){{0,{gap}}}? {_any(second)}\b"


@dataclass(frozen=True)
class MedicalRule:
    code: str
    language: str
    pattern: re.Pattern
    # Ignored inside an escort clause ("take her to her blood test").
    escortable: bool = False


def _rule(code: str, language: str, pattern: str, *, escortable: bool = False) -> MedicalRule:
    return MedicalRule(code, language, re.compile(pattern), escortable)


# Codes, each a kind of act (also returned to the client in "tasks").
INJECTION = "injection"
INSULIN = "insulin"
WOUND_CARE = "wound_care"
MEDICATION = "medication"
CATHETER = "catheter"
STOMA = "stoma"
BLOOD_SAMPLE = "blood_sample"
DRIP = "drip"
TUBE_FEEDING = "tube_feeding"
BODY_CARE = "body_care"
NURSING_CARE = "nursing_care"

# --- French ----------------------------------------------------------------------------------

_FR_MEDICINES = (
    r"medicaments?|medocs?|pilules?|comprimes?|cachets?|gouttes|pilulier|traitements?|medications?"
)
FRENCH_RULES = [
    _rule(
        INJECTION,
        "fr",
        _near(r"faire|fait|donner|administrer|pratiquer", r"piqures?|injections?"),
        escortable=True,
    ),
    _rule(INJECTION, "fr", r"\binjecter\b", escortable=True),
    _rule(INSULIN, "fr", r"\b(?:piqures?|injections?|stylos?) (?:d )?insuline\b"),
    _rule(INSULIN, "fr", _near(r"faire|donner|administrer|injecter|piquer", r"insuline", 4)),
    _rule(INSULIN, "fr", _near(r"mesurer|prendre|controler|verifier|tester", r"glycemie", 2)),
    _rule(WOUND_CARE, "fr", r"\bsoins? (?:de |des |d une |d un )?(?:plaies?|escarres?)\b"),
    _rule(
        WOUND_CARE,
        "fr",
        _near(
            r"soigner|nettoyer|desinfecter|panser|traiter",
            r"plaies?|blessures?|escarres?|ulceres?|cicatrices?",
        ),
    ),
    _rule(
        WOUND_CARE,
        "fr",
        _near(r"changer|refaire|faire|mettre|poser|renouveler", r"pansements?|bandages?"),
    ),
    _rule(
        MEDICATION,
        "fr",
        _near(r"donner|administrer|distribuer|preparer|remplir|faire prendre|gerer", _FR_MEDICINES),
    ),
    _rule(
        MEDICATION,
        "fr",
        r"\b(?:prise|administration|distribution) (?:de |des |du )(?:medicaments?|traitement)\b",
    ),
    _rule(CATHETER, "fr", r"\b(?:catheters?|sondages?|sondes? (?:urinaires?|vesicales?))\b"),
    _rule(STOMA, "fr", r"\b(?:stomies?|colostomies?|ileostomies?|urostomies?)\b"),
    _rule(
        BLOOD_SAMPLE,
        "fr",
        r"\b(?:prises? de sang|prelevements? (?:de sang|sanguins?)|prelever (?:du |le )?sang)\b",
        escortable=True,
    ),
    _rule(DRIP, "fr", r"\b(?:perfusions?|intraveineuses?)\b", escortable=True),
    _rule(
        TUBE_FEEDING,
        "fr",
        r"\b(?:sondes? (?:gastriques?|naso gastriques?)|gastrostomies?"
        r"|alimentation (?:par sonde|enterale|parenterale))\b",
    ),
    _rule(BODY_CARE, "fr", r"\btoilette intime\b"),
    _rule(
        BODY_CARE,
        "fr",
        r"\b(?:aide|aider|assister|assistance) (?:a|pour|durant|pendant) (?:la |sa |leur )?"
        r"(?:faire (?:sa |la |leur )?)?toilette\b(?! s\b)"
        r"(?! (?:du|de la|des) (?:chien|chat|chiens|chats|animaux)\b)",
    ),
    _rule(BODY_CARE, "fr", r"\bfaire (?:sa|la|leur) toilette\b"),
    _rule(
        BODY_CARE, "fr", r"\b(?:soins? (?:d hygiene|corporels?)|hygiene (?:intime|corporelle))\b"
    ),
    _rule(
        BODY_CARE,
        "fr",
        _near(
            r"aide|aider|assister|assistance",
            r"(?:se|me|te|nous|vous) (?:laver|doucher|baigner)|(?:la |sa |une )douche"
            r"|(?<!salle de )bain",
            4,
        ),
    ),
    _rule(BODY_CARE, "fr", r"\b(?:la|le|l) (?:laver|doucher|baigner)\b"),
    _rule(BODY_CARE, "fr", r"\bdonner (?:le |un |son |leur )bain\b"),
    _rule(
        NURSING_CARE,
        "fr",
        r"\b(?:soins? infirmiers?|actes? infirmiers?|soins? medicaux|actes? medicaux)\b",
        escortable=True,
    ),
]

# --- Dutch -----------------------------------------------------------------------------------

_NL_MEDICINES = (
    r"medicijnen|medicijn|medicatie|medicamenten|pillen|pilletjes|tabletten|geneesmiddelen"
    r"|druppels|oogdruppels"
)
DUTCH_RULES = [
    _rule(INJECTION, "nl", r"\b(?:injecties?|spuitjes?|inspuiten|injecteren)\b", escortable=True),
    _rule(INJECTION, "nl", r"\bprik(?:je)? (?:geven|zetten)\b", escortable=True),
    _rule(INSULIN, "nl", r"\binsuline(?:spuit|injectie|pen)\w*\b"),
    _rule(
        INSULIN,
        "nl",
        _near(r"insuline", r"spuiten|inspuiten|toedienen|geven|prikken|zetten|injecteren"),
    ),
    _rule(
        INSULIN,
        "nl",
        r"\b(?:bloedsuiker(?:spiegel)?|glucose) (?:meten|controleren|prikken)\b",
    ),
    _rule(WOUND_CARE, "nl", r"\b(?:wondverzorging|wondzorg|wondzorgen|decubitus\w*)\b"),
    _rule(
        WOUND_CARE,
        "nl",
        _near(
            r"wonde?n?|doorligwonden?",
            r"verzorgen|verbinden|schoonmaken|ontsmetten|behandelen|verzorgd",
        ),
    ),
    _rule(
        WOUND_CARE,
        "nl",
        _near(
            r"verband|verbanden|verbandjes?",
            r"verwisselen|vervangen|aanleggen|verversen|wisselen|leggen|omdoen",
        ),
    ),
    _rule(
        MEDICATION,
        "nl",
        _near(
            _NL_MEDICINES,
            r"geven|toedienen|klaarzetten|klaarleggen|uitdelen|voorbereiden|klaarmaken",
        ),
    ),
    _rule(
        MEDICATION,
        "nl",
        r"\b(?:medicatie|geneesmiddelen|medicijn)(?:toediening|beheer)\b"
        r"|\btoedienen van (?:medicatie|medicijnen|geneesmiddelen)\b"
        r"|\bpillendoos (?:vullen|klaarzetten)\b",
    ),
    _rule(CATHETER, "nl", r"\b(?:blaas)?katheters?\b"),
    _rule(STOMA, "nl", r"\bstoma(?:zakje|zakjes|zorg|verzorging)?\b"),
    _rule(
        BLOOD_SAMPLE,
        "nl",
        r"\b(?:bloedafname|bloedafnames|bloedname|bloed (?:afnemen|prikken|trekken))\b",
        escortable=True,
    ),
    _rule(DRIP, "nl", r"\b(?:infuus|infusen)\b", escortable=True),
    _rule(TUBE_FEEDING, "nl", r"\b(?:sondevoeding|maagsonde|peg sonde|voedingssonde)\b"),
    _rule(
        BODY_CARE,
        "nl",
        r"\b(?:lichaamsverzorging|lichamelijke verzorging|persoonlijke (?:verzorging|hygiene)"
        r"|intieme (?:verzorging|hygiene|toilet)|toiletbezoek|wassen en aankleden)\b",
    ),
    _rule(
        BODY_CARE,
        "nl",
        r"\b(?:hulp|helpen|help|ondersteuning) (?:bij|met) (?:het )?(?:wassen|douchen|baden)\b",
    ),
    _rule(
        BODY_CARE,
        "nl",
        r"(?<!van )(?<!de )\b(?:mama|papa|moeder|vader|oma|opa|hem|haar|mijn vrouw|mijn man)"
        r" (?:wassen|douchen|baden)\b",
    ),
    _rule(
        NURSING_CARE,
        "nl",
        r"\bverpleegkundige (?:zorg|zorgen|handelingen|taken|verzorging)\b",
        escortable=True,
    ),
]

# --- German ----------------------------------------------------------------------------------

_DE_MEDICINES = r"medikamente|medikamenten|medikament|tabletten|pillen|arznei\w*|tropfen"
GERMAN_RULES = [
    _rule(
        INJECTION,
        "de",
        r"\b(?:spritze|spritzen (?:geben|setzen|verabreichen)|injektion(?:en)?|injizieren)\b",
        escortable=True,
    ),
    _rule(INSULIN, "de", r"\binsulin(?:spritze|injektion|pen|gabe)\w*\b"),
    _rule(INSULIN, "de", _near(r"insulin", r"spritzen|geben|verabreichen|injizieren|setzen")),
    _rule(
        INSULIN,
        "de",
        r"\bblutzucker (?:messen|kontrollieren|prufen|pruefen)\b|\bblutzuckermessung\w*\b",
    ),
    _rule(
        WOUND_CARE,
        "de",
        r"\b(?:wundversorgung|wundpflege|wundbehandlung|verbandswechsel|verbandwechsel"
        r"|dekubitus\w*)\b",
    ),
    _rule(
        WOUND_CARE,
        "de",
        _near(
            r"verband|verbande|verbaende|wunde|wunden",
            r"wechseln|anlegen|erneuern|versorgen|verbinden|reinigen|machen",
        ),
    ),
    _rule(
        MEDICATION,
        "de",
        _near(
            _DE_MEDICINES,
            r"geben|verabreichen|stellen|richten|zuteilen|verteilen|einflossen|einfloessen"
            r"|eingeben|vorbereiten",
        ),
    ),
    _rule(
        MEDICATION,
        "de",
        _near(r"gib|gibt|gebe|geben|verabreichen|verabreicht", r"medikamente|tabletten|pillen"),
    ),
    _rule(
        MEDICATION,
        "de",
        r"\b(?:medikamentengabe|medikamentenvergabe|tablettengabe|medikamentenverabreichung)\b",
    ),
    _rule(CATHETER, "de", r"\b(?:blasen|dauer)?katheter\w*\b"),
    _rule(STOMA, "de", r"\bstoma\w*\b"),
    _rule(
        BLOOD_SAMPLE,
        "de",
        r"\b(?:blutabnahme|blutentnahme|blut abnehmen|blut entnehmen)\b",
        escortable=True,
    ),
    _rule(DRIP, "de", r"\binfusion(?:en)?\b", escortable=True),
    _rule(
        TUBE_FEEDING,
        "de",
        r"\b(?:sondennahrung|sondenernahrung|magensonde|peg sonde|ernahrungssonde)\b",
    ),
    _rule(
        BODY_CARE,
        "de",
        r"\b(?:korperpflege|koerperpflege|grundpflege|intimpflege|intimhygiene"
        r"|toilettengang|toilettengange)\b",
    ),
    _rule(
        BODY_CARE,
        "de",
        r"\b(?:hilfe|helfen|unterstutzung|unterstuetzung) (?:beim|bei der) "
        r"(?:waschen|duschen|baden|toilettengang|korperpflege)\b",
    ),
    _rule(
        BODY_CARE,
        "de",
        r"\b(?:sie|ihn|mutter|vater|mama|papa|oma|opa) (?:zu )?(?:waschen|duschen|baden)\b",
    ),
    _rule(
        NURSING_CARE,
        "de",
        r"\b(?:behandlungspflege|krankenpflege|pflegerische (?:tatigkeiten|aufgaben|leistungen))\b",
        escortable=True,
    ),
]

# --- English ---------------------------------------------------------------------------------

_EN_MEDICINES = (
    r"pills|pill|medication|medications|medicine|medicines|meds|tablets|drops|eye drops"
    r"|pill box|pillbox|dosette"
)
_EN_PERSON = (
    r"me|us|him|her|them|my (?:mother|father|mum|mom|dad|wife|husband|gran|grandma|grandad)"
)
ENGLISH_RULES = [
    _rule(INJECTION, "en", r"\b(?:injections?|inject|injecting)\b", escortable=True),
    _rule(
        INJECTION,
        "en",
        _near(r"give|giving|do|doing|administer\w*", r"shots?|jabs?"),
        escortable=True,
    ),
    _rule(INSULIN, "en", r"\binsulin (?:injections?|shots?|jabs?|pens?)\b"),
    _rule(INSULIN, "en", _near(r"inject|injecting|give|giving|administer\w*", r"insulin")),
    _rule(
        INSULIN,
        "en",
        _near(r"check|checking|measure|measuring|test|testing", r"blood sugar|blood glucose", 2),
    ),
    _rule(
        WOUND_CARE,
        "en",
        r"\b(?:wound care|bedsores?|pressure sores?|pressure ulcers?)\b",
    ),
    _rule(
        WOUND_CARE,
        "en",
        _near(
            r"dress|dressing|clean|cleaning|treat|treating|care for|bandage|bandaging",
            r"wounds?|sores?|ulcers?",
        ),
    ),
    _rule(
        WOUND_CARE,
        "en",
        _near(r"change|changing|replace|replacing|apply|applying", r"dressings?|bandages?"),
    ),
    _rule(
        MEDICATION,
        "en",
        _near(
            r"give|giving|administer\w*|dispense|dispensing|prepare|preparing|manage|managing"
            r"|sort out|fill",
            _EN_MEDICINES,
        ),
    ),
    _rule(CATHETER, "en", r"\bcatheters?\b"),
    _rule(STOMA, "en", r"\b(?:stoma|ostomy|colostomy|ileostomy|urostomy)\b"),
    _rule(
        BLOOD_SAMPLE,
        "en",
        r"\b(?:blood (?:tests?|samples?|draws?)|(?:draw|take|taking|drawing) "
        r"(?:his |her |their |my |some )?blood)\b",
        escortable=True,
    ),
    _rule(
        DRIP,
        "en",
        r"\b(?:iv drips?|intravenous|infusions?|drip feed)\b|" + _near(r"set up|change", "drip", 2),
        escortable=True,
    ),
    _rule(TUBE_FEEDING, "en", r"\b(?:tube feeding|feeding tube|peg tube|nasogastric)\b"),
    _rule(BODY_CARE, "en", r"\b(?:personal care|personal hygiene|intimate (?:care|hygiene))\b"),
    _rule(BODY_CARE, "en", r"\btoileting\b"),
    _rule(
        BODY_CARE,
        "en",
        rf"\b(?:wash|washing|shower|showering|bathe|bathing) (?:{_EN_PERSON})\b",
    ),
    _rule(
        BODY_CARE,
        "en",
        rf"\bhelp(?:ing)? (?:(?:{_EN_PERSON}) )?(?:to |with )?(?:wash|shower|bathe|get washed"
        r"|showering|bathing|her bath|his bath|a bath|a shower)\b"
        # ...but not the car, the windows or the shower curtain.
        r"(?!(?: (?:the|my|his|her|our|their|a|some))? (?:up|cars?|windows?|dishes|clothes"
        r"|floors?|curtains?|doors?|drains?|taps?|tiles?|screens?|walls?)\b)",
    ),
    _rule(BODY_CARE, "en", rf"\b(?:give|giving) (?:{_EN_PERSON}) a (?:bath|shower|wash)\b"),
    _rule(
        BODY_CARE,
        "en",
        rf"\bhelp(?:ing)? (?:(?:{_EN_PERSON}) )?(?:to |onto |on )?(?:go to |use |get to )?"
        r"the (?:toilet|loo)\b",
    ),
    _rule(NURSING_CARE, "en", r"\bnursing (?:care|tasks?|acts?)\b", escortable=True),
]

RULES: list[MedicalRule] = FRENCH_RULES + DUTCH_RULES + GERMAN_RULES + ENGLISH_RULES

# --- Escort clauses --------------------------------------------------------------------------

# An escort clause: someone is taken to, or goes with the person to, a place.
_ESCORT_START = re.compile(
    r"\b(?:accompagn\w*|emmen\w*|condui\w*|amen\w*|reconduire|raccompagn\w*|transport\w*"
    r"|rendez vous|rdv|trajet"
    r"|naar|begeleid\w*|brengen|breng|rijden|rij|vervoer\w*|afspraak|meegaan|mee"
    r"|zur|zum|begleit\w*|fahren|fahre|bringen|termin\w*"
    r"|accompany\w*|escort\w*|driv\w*|lift|appointments?"
    r"|(?:take|takes|taking|bring|brings|bringing)(?: [a-z]+){0,2}? to)\b"
)
# Where a clause ends: punctuation (in the original text) and coordinating words (in the
# normalised one). French "en" ("en voiture") is a preposition, Dutch "en" is "and".
_CLAUSE_END_WORD = re.compile(
    r"\b(?:et|puis|ensuite|mais|en(?! (?:voiture|taxi|bus|train|tram|metro|auto)\b)|dan|daarna"
    r"|maar|und|dann|danach|aber|and|then|but|also)\b"
)
_PUNCTUATION = re.compile(r"[.,;:!?\n()]+")


@dataclass(frozen=True)
class Verdict:
    """The guard's answer: `codes` of the medical or nursing acts found (empty: accepted)."""

    codes: tuple[str, ...]

    @property
    def is_medical(self) -> bool:
        return bool(self.codes)


def _clauses(text: str) -> list[str]:
    """The normalised clauses of `text`, split at punctuation and at coordinating words."""
    clauses = []
    for part in _PUNCTUATION.split(text):
        for clause in _CLAUSE_END_WORD.split(normalise(part)):
            if clause.strip():
                clauses.append(clause.strip())
    return clauses


# The acts of the nursing-acts list and of physiotherapy, as sourced data (issue 16, item 2):
# detection/lexicons/medical.json, matched on stems in the description's language.
ACTS_LEXICON = load_lexicon(
    "medical",
    compound_parts=frozenset({"act", "act_object", "nurse", "therapy_act"}),
    verb_parts=frozenset({"act_verb"}),
)
# A negation this many words before an act, in its clause, denies it ("pas besoin de piqûre").
NEGATION_WINDOW = 3
# The code of an act found through the sourced lexicon.
LISTED_ACT = "nursing_act"


def _listed_acts(text: str) -> bool:
    """Whether a clause of `text` asks for an act of the lexicon, named (part "act") or as a
    verb of performing with what it is done on (parts "act_verb" and "act_object"), not denied
    and not excused (fetching, escorting, reminding, a nurse who already comes); or for a
    physiotherapy act (part "therapy_act") where a physiotherapist is named.
    A text whose language nothing tells is read in each language."""
    clauses, sentences = _coordinated_clauses(clauses_of(text), sentence_numbers(text))
    return any(
        _listed_acts_in(clauses, sentences, language)
        for language in text_languages([word for clause in clauses for word in clause])
    )


def _listed_acts_in(clauses: list[list[str]], sentences: list[int], language: str) -> bool:
    found = find_terms(ACTS_LEXICON, clauses, language)
    excused = {item.clause for item in found if item.term.part == "excused"}
    negations = {(item.clause, item.start) for item in found if item.term.part == "negation"}
    therapist = any(item.term.part == "therapist" for item in found)
    by_clause: dict[int, set[str]] = {}
    for item in found:
        if item.clause in excused or item.term.part not in (
            "act",
            "act_verb",
            "act_object",
            "dosing",
            "therapy_act",
        ):
            continue
        if any(
            (item.clause, position) in negations
            for position in range(item.start - NEGATION_WINDOW, item.start)
        ):
            continue
        by_clause.setdefault(item.clause, set()).add(item.term.part)
    if any("act" in parts or parts >= {"act_verb", "act_object"} for parts in by_clause.values()):
        return True
    # Exercises, massage or stretching a physiotherapist gave, asked of somebody else (law of
    # 10 May 2015, art. 43).
    # Not in a clause whose subject is the writer ("I do my exercises, and look for a walking
    # partner").
    if therapist and any(
        "therapy_act" in parts and not _WRITER_SUBJECT.intersection(clauses[clause])
        for clause, parts in by_clause.items()
    ):
        return True
    # A verb of performing and what it is done on, in one sentence though maybe not in one
    # clause ("Mijn schoonmoeder moet haar pillen krijgen, kan iemand ... ze haar geven?").
    # Not when the verb's clause has the writer as its subject ("het meten zelf doe ik wel").
    by_sentence: dict[int, set[str]] = {}
    for clause, parts in by_clause.items():
        if "act_verb" in parts and _WRITER_SUBJECT.intersection(clauses[clause]):
            parts = parts - {"act_verb"}
        by_sentence.setdefault(sentences[clause], set()).update(parts)
    return any(
        parts >= {"act_verb", "act_object"} or parts >= {"dosing", "act_object"}
        for parts in by_sentence.values()
    )


# Coordinating words that end a clause as punctuation does ("uit de blisters halen en in de
# weekdoos verdelen": fetching excuses the first part, not the second).
_COORDINATORS = frozenset(
    {"et", "puis", "mais", "en", "maar", "dan", "und", "aber", "dann", "and", "then", "but"}
)


def _coordinated_clauses(
    clauses: list[list[str]], sentences: list[int]
) -> tuple[list[list[str]], list[int]]:
    """The clauses cut again at coordinating words, with the sentence number of each piece."""
    pieces: list[list[str]] = []
    numbers: list[int] = []
    for clause, sentence in zip(clauses, sentences, strict=True):
        current: list[str] = []
        for word in clause:
            if word in _COORDINATORS and current:
                pieces.append(current)
                numbers.append(sentence)
                current = []
            elif word not in _COORDINATORS:
                current.append(word)
        if current:
            pieces.append(current)
            numbers.append(sentence)
    return pieces, numbers


def _without_sentences_a_nurse_does(text: str) -> str:
    """`text` without its sentences that say a nurse (or a physiotherapist) already comes or
    does the acts they name ("De thuisverpleegster komt al voor de spuitjes en de wondzorg.";
    seed 003)."""
    language = text_language(normalise(text).split())
    kept = []
    for piece in _SENTENCE_PIECE.findall(text):
        found = find_terms(ACTS_LEXICON, clauses_of(piece), language)
        nurse_clauses = {item.clause for item in found if item.term.part == "nurse"}
        # A physiotherapist who comes ("De kine komt twee keer per week voor de massage").
        comes_clauses = {item.clause for item in found if item.term.part == "nurse_comes"}
        nurse_clauses |= comes_clauses & {
            item.clause for item in found if item.term.part == "therapist"
        }
        absent_clauses = {item.clause for item in found if item.term.part == "nurse_absent"}
        # A professional named, in a clause that does not say they no longer come.
        if not nurse_clauses - absent_clauses:
            kept.append(piece)
    return " ".join(kept)


# The writer as the subject of a verb, in the four languages.
_WRITER_SUBJECT = frozenset({"je", "j", "ik", "ich", "i"})
# A sentence and its closing punctuation.
_SENTENCE_PIECE = re.compile(r"[^.!?\n]+[.!?\n]*")


def _about_an_animal(text: str) -> bool:
    """Whether `text` is about an animal and names no person (an animal is not a patient)."""

    clauses = clauses_of(text)
    language = text_language([word for clause in clauses for word in clause])
    if not any(item.term.part == "animal" for item in find_terms(ACTS_LEXICON, clauses, language)):
        return False
    return not any(
        item.term.part in ("relation", "relation_alone")
        for item in find_terms(PEOPLE_LEXICON, clauses, language)
    )


def _without_sentences_about_an_animal(text: str) -> str:
    """`text` without its sentences that name an animal and no person ("Mon chat est diabétique
    et doit avoir son insuline", in a text that also names the writer's sister)."""
    return " ".join(piece for piece in _SENTENCE_PIECE.findall(text) if not _about_an_animal(piece))


def _is_excused(clause: str, language: str) -> bool:
    """Whether a normalised clause fetches, buys, escorts, is about an animal or says a nurse
    already does the act (detection/lexicons/medical.json, part "excused"; seed 003)."""
    return any(
        item.term.part == "excused" for item in find_terms(ACTS_LEXICON, [clause.split()], language)
    )


def medical_check(text: str) -> Verdict:
    """Which medical or nursing acts `text` asks for (see the module docstring).

    Within one clause, an escort word excuses the escortable rules wherever it stands: Dutch and
    German put the verb last ("mama naar de bloedafname brengen", "zur Blutabnahme fahren").
    """
    clauses = clauses_of(text)
    language = text_language([word for clause in clauses for word in clause])
    if any(item.term.part == "animal" for item in find_terms(ACTS_LEXICON, clauses, language)):
        # An animal named: its own sentences are no person's care (only then looked at, as it
        # costs a pass per sentence).
        if _about_an_animal(text):
            return Verdict(codes=())
        text = _without_sentences_about_an_animal(text)
    text = _without_sentences_a_nurse_does(text)
    found: list[str] = []
    language = text_language(normalise(text).split())
    for clause in _clauses(text):
        if _is_excused(clause, language):
            continue
        is_escort = _ESCORT_START.search(clause) is not None
        for rule in RULES:
            if rule.code in found or (is_escort and rule.escortable):
                continue
            if rule.pattern.search(clause):
                found.append(rule.code)
    if not found and _listed_acts(text):
        found.append(LISTED_ACT)
    return Verdict(codes=tuple(found))
