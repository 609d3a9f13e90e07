"""Hidden-carer situations in a help request (issue 5, item 4; DOMAIN.md "Hidden carers", seed 000).

Many informal carers do not see themselves as carers ("only a parent, a spouse, a child", seed 000),
so nobody tells them about recognition and its rights. A help request often gives them away: they
ask on behalf of a dependent relative, give many hours of care, describe a condition (dementia, a
stroke, a disability), cannot leave the person alone, or are exhausted.

`carer_signal_for_request` weighs that evidence and says whether the requester is *likely* a
carer, with reasons in the reader's language. It is a gentle nudge (a dismissable note and a
referral for a coordinator to look at), never a decision about rights: the recognition check in
carers.engine is where the law is applied.

How it works (figures and method: docs/CARER_SIGNALS.md):
- The description is normalised (detection.text: case-folded, accents stripped) and matched against
  RULES, plain data: (code, language, pattern, weight). Patterns use word boundaries; rules marked
  `negatable` are ignored when a negation word ("not", "pas", "geen", "kein"...) stands just before
  them in the same clause ("she doesn't have dementia"), and rules marked `third_person` are ignored
  when the writer is the subject ("I can no longer carry my shopping" is a person asking for
  themselves).
- Each evidence code counts once, with the strongest weight among its matching rules, so a long
  description repeating one idea does not outweigh a short one giving several.
- The structured answers add evidence: asking for a relative (or someone close), the care hours a
  week (weighted by amount against the legal reference point of 50 hours a month, see below), an
  older age of the person cared for.
- Evidence about the care situation in the text counts only when another person is in the picture
  (the request is for someone else, a relationship is given, or the text names a relative or a
  neighbour): a sick person exhausted by their own treatment, or an old dog that can no longer
  walk far, is not a carer's situation.
- Counter-evidence lowers the score: the person is in good health, has recovered, the need is
  temporary (a broken wrist for six weeks), or the care has ended (until she passed away).
- likely_carer = score >= THRESHOLD, tuned on the training split of
  tests/carers/data/carer_signal_cases.jsonl.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from detection.carer_structure import carer_parts
from detection.text import folded_text

# A request scoring at least this much evidence is flagged. Tuned on the training split (see
# docs/CARER_SIGNALS.md for the sweep); every signal from the text weighs 1–2, so the threshold
# asks for two independent kinds of evidence, or one strong one (the person calls themselves a
# carer) with the context of a relative.
THRESHOLD = 3.0

FAMILY_RELATIONSHIPS = frozenset(
    {"spouse", "partner", "parent", "child", "grandparent", "sibling", "other_family"}
)
# Friends and neighbours can be carers too: the law asks for "a relationship of trust or
# proximity, affective or geographic" (law art. 3 § 2, DOMAIN.md), not a family tie.
CLOSE_RELATIONSHIPS = frozenset({"friend", "neighbour"})

# The reference point for care hours: recognition with social rights asks for at least 50 hours a
# month (law of 12 May 2014 as amended, art. 4/3; guide 2024, seed 001; DOMAIN.md). 50 h × 12 / 52
# ≈ 11.5 h a week. It is used here only as a scale for how much the hours weigh, never as a
# cut-off: a few regular hours a week are already a signal, and the weight grows with the hours
# up to twice the reference point.
REFERENCE_WEEKLY_HOURS = 50 * 12 / 52
CARE_HOURS_WEIGHT_PER_REFERENCE = 1.5
CARE_HOURS_MAX_REFERENCES = 2.0

# An older age of the person cared for makes dependency more likely. A heuristic, not a legal
# criterion (the law has no age condition for adults).
OLDER_AGE_FROM = 75
OLDER_AGE_WEIGHT = 1.0
# Below this age, care hours without any health or disability sign in the text are ordinary
# childcare (babysitting grandchildren), not the care of a dependent person.
MINOR_BELOW = 18

RELATIVE_WEIGHT = 1.0
CLOSE_PERSON_WEIGHT = 0.5
# Only when the structured answers give no relationship (people asking help for their own
# household often say "my wife has Parkinson's" without ticking "for someone else").
RELATIVE_MENTIONED_WEIGHT = 0.5

# Text evidence that only counts when another person is in the picture (see module docstring).
CARE_SITUATION_CODES = frozenset(
    {"condition", "dependency", "constant_presence", "exhaustion", "regular_care"}
)
# Text evidence that shows the need is not a dependent person's, or no longer is.
COUNTER_CODES = frozenset(
    {"healthy", "recovered", "temporary", "care_ended", "professional", "residential"}
)
# The writer helps as a professional (detection.carer_structure, law art. 3 § 3, 1°).
PROFESSIONAL_WEIGHT = -3.0
# The person helped has died (detection.carer_structure, lexicon part "care_ended").
CARE_ENDED_WEIGHT = -3.0
# The person lives in a care home (lexicon part "residential") or needs help for a period of
# days or weeks (part "temporary").
RESIDENTIAL_WEIGHT = -3.0
TEMPORARY_WEIGHT = -2.0


@dataclass(frozen=True)
class SignalRule:
    """One pattern of evidence, matched on the normalised description (see `normalise_text`)."""

    code: str
    language: str
    pattern: str
    weight: float
    # Ignore a match preceded by a negation word in the same clause ("no dementia").
    negatable: bool = False
    # Ignore a match whose subject is the writer ("ik kan niet meer alleen...").
    third_person: bool = False


@dataclass(frozen=True)
class CarerSignal:
    """Whether a request looks like a hidden carer's, and why.

    `reasons` are translated sentences for the person who wrote the request, given only when
    `likely_carer` is true (they explain the note shown to them). `reason_codes` are the same
    reasons, in the same order, as `{"code", "params"}` to be rendered later in another reader's
    language (`reason_text`): a referral stores these. `codes` always lists every kind of evidence
    found, including counter-evidence, for coordinators and for tuning. `score` is the weighted
    evidence compared with THRESHOLD.
    """

    likely_carer: bool
    reasons: list[str]
    codes: list[str]
    score: float = 0.0
    reason_codes: list[dict] = field(default_factory=list)


def _rules(code, language, weight, *patterns, negatable=False, third_person=False):
    return [
        SignalRule(
            code=code,
            language=language,
            pattern=pattern,
            weight=weight,
            negatable=negatable,
            third_person=third_person,
        )
        for pattern in patterns
    ]


# Patterns are written for normalised text: lower case, no accents, "œ" as "oe", "ß" as "ss",
# typographic apostrophes as "'". Word boundaries everywhere, so "ms" never matches "terms".
# The table is kept dense by hand (one line can hold several short patterns of one idea).
# fmt: off
RULES: list[SignalRule] = [
    # The person names the role (rare, by definition of a hidden carer, but decisive).
    *_rules(
        "carer_role", "fr", 3.0,
        r"\baidante?s? proches?\b",
        r"\b(je suis|en tant qu'|comme) (son |sa |leur )?(seule? |principale? )?aidante?\b",
        negatable=True,
    ),
    *_rules("carer_role", "nl", 3.0, r"\bmantelzorg(er|ster|ers)?\b", negatable=True),
    *_rules(
        "carer_role", "de", 3.0,
        r"\bpflegende[rn]? angehorige[rn]?\b",
        r"\b(ich bin|als) (seine |ihre )?(einzige |pflegende )?pflegeperson\b",
        negatable=True,
    ),
    *_rules(
        "carer_role", "en", 3.0,
        r"\b(informal|family|unpaid) (carer|caregiver)s?\b",
        r"\b(i am|i'm|as) (his|her|their|the|an?)( only| main| sole| full-time)?"
        r" (carer|caregiver)\b",
        negatable=True,
    ),
    # Long-term conditions, disabilities, frailty.
    *_rules(
        "condition", "fr", 2.0,
        r"\bdemen(ce|te|tes)\b", r"\balzheimer\b", r"\bavc\b", r"\baccident vasculaire\b",
        r"\bparkinson\b", r"\bsclerose en plaques\b", r"\bcharcot\b",
        r"\bhandicap(e|ee|es|ees)?\b", r"\bpolyhandicap", r"\bmaladies? chroniques?\b",
        r"\bcancers?\b", r"\btumeurs?\b", r"\binsuffisance (cardiaque|renale|respiratoire)\b",
        r"\balitee?s?\b", r"\bgrabataires?\b", r"\bfauteuil roulant\b", r"\bparalysee?s?\b",
        r"\bhemipleg", r"\bautis(me|tes?)\b", r"\btrisomi", r"\bepilep", r"\bschizophren",
        r"\bdepression\b", r"\baveugles?\b", r"\bmalvoyante?s?\b", r"\bsourde?s?\b",
        r"\bfin de vie\b", r"\bsoins palliatifs\b", r"\bdialyse\b",
        r"\bne (me |nous )?reconnait plus\b", r"\bperd la tete\b", r"\bdesorientee?\b",
        r"\btroubles? (de la )?memoire\b", r"\bgravement malade\b", r"\bmyopathie\b",
        r"\boublie tout\b", r"\bperte de memoire\b",
        r"\b(a|ont) (beaucoup|fort|tres fort) (baisse|decline)\b", r"\bperte d'autonomie\b",
        negatable=True,
    ),
    *_rules(
        "condition", "nl", 2.0,
        r"\bdement(ie|e)?\b", r"\balzheimer\b", r"\bberoerte\b", r"\bherseninfarct\b",
        r"\bhersenbloeding\b", r"\bcva\b", r"\bparkinson\b", r"\bmultiple sclerose\b",
        r"\b(heeft|met|had) ms\b",
        r"\bbeperking(en)?\b", r"\bgehandicapt", r"\bhandicap\b", r"\bchronische? ziek(te)?\b",
        r"\bkanker\b", r"\b\w*kanker\b", r"\btumor\b", r"\bhartfalen\b", r"\bbedlegerig\b",
        r"\brolstoel\b", r"\b(halfzijdig )?verlamd\b", r"\bautisme\b", r"\bautistisch",
        r"\bsyndroom van down\b", r"\bepilepsie\b", r"\bdepressie\b", r"\bspierziekte\b",
        r"\bblind\b", r"\bslechtziend", r"\bdoof\b", r"\bslechthorend", r"\bterminaal\b",
        r"\bpalliatie", r"\blevenseinde\b", r"\bdialyse\b", r"\bverward\b",
        r"\bvergeetachtig\b", r"\bme/cvs\b", r"\bernstig ziek\b", r"\bafasie\b",
        r"\b(erg|sterk|zwaar|fel) achteruit(gegaan|gaat)?\b",
        negatable=True,
    ),
    *_rules(
        "condition", "de", 2.0,
        r"\bdemenz\b", r"\bdement\b", r"\balzheimer\b", r"\bschlaganfall", r"\bhirninfarkt\b",
        r"\bhirnblutung\b", r"\bparkinson\b", r"\bmultiple sklerose\b", r"\b(hat|mit|hatte) ms\b",
        r"\b(schwer)?behindert(e[nrms]?)?\b", r"\bbehinderung\b", r"\bchronisch krank",
        r"\bchronische (krankheit|erkrankung)\b", r"\bkrebs\b", r"\b\w*krebs\b", r"\btumor\b",
        r"\bherzinsuffizienz\b", r"\bherzschwache\b", r"\bbettlagerig\b", r"\brollstuhl\b",
        r"\bgelahmt\b", r"\blahmung\b", r"\bautis(mus|tisch)", r"\bdown-?syndrom\b",
        r"\btrisomie\b", r"\bepilepsie\b", r"\bdepression(en)?\b", r"\bmuskeldystrophie\b",
        r"\bblind\b", r"\btaub\b", r"\bschwerhorig\b", r"\bpalliativ", r"\bendstadium\b",
        r"\bsterbend", r"\bdialyse\b", r"\bverwirrt\b", r"\bvergesslich\b",
        r"\bpflegebedurftig", r"\bschwer krank\b", r"\bpflegegrad\b",
        r"\b(stark|sehr) abgebaut\b",
        negatable=True,
    ),
    *_rules(
        "condition", "en", 2.0,
        r"\bdementia\b", r"\balzheimer'?s?\b", r"\bstrokes?\b", r"\bparkinson'?s?\b",
        r"\bmultiple sclerosis\b", r"\b(has|with|had) ms\b", r"\bmotor neurone disease\b",
        r"\bdisab(led|ility|ilities)\b", r"\bhandicapped\b", r"\bchronic(ally)? ill(ness)?\b",
        r"\bchronic (condition|disease)\b", r"\bcancer\b", r"\btumou?r\b", r"\bheart failure\b",
        r"\bbed-?ridden\b", r"\bbed-?bound\b", r"\bwheelchair\b", r"\bparaly(sed|zed|sis)\b",
        r"\bautis(m|tic)\b", r"\bdown'?s? syndrome\b", r"\bcerebral palsy\b", r"\bepilep",
        r"\b(severe|clinical|chronic) depression\b", r"\bmental illness\b", r"\bschizophren",
        r"\bblind\b", r"\bdeaf\b", r"\bterminal(ly ill)?\b",
        r"\bend of life\b", r"\bpalliative\b", r"\bdialysis\b", r"\bconfused\b",
        r"\bmemory (loss|problems)\b", r"\bforgetful\b", r"\bseriously ill\b", r"\bfrail\b",
        r"\blearning difficult", r"\bmuscular dystrophy\b",
        r"\bgone (rapidly |badly )?downhill\b", r"\b(deteriorated|declined) (a lot|badly)\b",
        negatable=True,
    ),
    # The person cannot manage alone, or cannot be left alone.
    *_rules(
        "dependency", "fr", 2.0,
        # "peut" is the third person: "je ne peux plus" (the writer) does not match.
        r"\bne (peut|peuvent) plus (\w+ ){0,2}(rester|etre|vivre|sortir|se deplacer|marcher"
        r"|conduire|faire|se laver|s'habiller|manger|se lever|cuisiner)",
        r"\bne (peut|peuvent) pas (rester|etre|vivre) seule?s?\b",
        r"\b(la|le|les) laisser seule?s?\b",
        r"\bbesoin d'aide pour (se |s')?(lever|laver|habiller|manger|tout|la toilette)",
        r"\bbesoin de (moi|nous) pour\b",
        r"\b(il|elle) ne marche plus\b",
        r"\b(tres |totalement |completement )?dependante?s?\b",
        r"\b(fugue|erre)s? (la nuit|dans)\b",
    ),
    *_rules(
        "dependency", "nl", 2.0,
        r"\bniet (meer )?alleen (te )?laten\b",
        r"\b(hem|haar|ze|hen) (\w+ ){0,2}niet (meer )?alleen\b",
        r"\bhulp nodig bij (het )?(wassen|aankleden|eten|opstaan|alles)\b",
        r"\bvoor alles hulp nodig\b",
        r"\bafhankelijk\b",
        r"\bhuis niet meer uit\b",
        r"\b(dwaalt|zwerft)( 's nachts)? rond\b",
    ),
    *_rules(
        "dependency", "nl", 2.0,
        r"\bkan (\w+ ){0,2}niet meer (alleen|zelf|zelfstandig)\b",
        r"\bkan (\w+ ){0,2}niet meer (\w+ ){0,2}(stappen|wandelen|lopen|koken|rijden)\b",
        third_person=True,
    ),
    *_rules(
        "dependency", "de", 2.0,
        r"\bnicht (mehr )?allein(e)? (lassen|bleiben|sein)\b",
        r"\b(ihn|sie) (\w+ ){0,2}nicht (mehr )?allein(e)?\b",
        r"\bohne hilfe\b", r"\bauf hilfe angewiesen\b",
        r"\bbraucht hilfe (beim|bei|zum) (anziehen|waschen|essen|aufstehen|allem)\b",
        r"\bschafft es nicht mehr\b",
        r"\b(kommt|kommen) (allein(e)? )?(kaum|nicht) (noch|mehr) zurecht\b",
        r"\bselbststandig\b(?= (nicht|kaum))",
    ),
    *_rules(
        "dependency", "de", 2.0,
        r"\bkann (\w+ ){0,2}nicht mehr (allein|alleine|selbst|selbststandig)\b",
        third_person=True,
    ),
    *_rules(
        "dependency", "en", 2.0,
        r"\b(leave|left) (him|her|them|mum|mom|dad|my \w+) (alone|on (his|her|their) own"
        r"|by (himself|herself))\b",
        r"\b(can't|cannot|can not) be left (alone|on (his|her|their) own)\b",
        r"\b(he|she|they|mum|mom|dad)( really)? (can no longer|can't|cannot|is unable to"
        r"|is no longer able to) (\w+ ){0,2}(alone|on (his|her|their) own|by (himself|herself)"
        r"|any ?more)\b",
        r"\b(he|she|they|mum|mom|dad)( really)? (can no longer|can't|cannot|is unable to"
        r"|is no longer able to) (wash|dress|walk|eat|cook|get up|get out of bed|stand"
        r"|manage the stairs|manage)\b",
        r"\bneeds? (help|assistance) (getting|with|to) (wash|dress|eat|get up|get out of bed"
        r"|the toilet|everything|washing|dressing|eating|dressed)",
        r"\bneeds? (constant |round-the-clock )?supervision\b",
        r"\b(depends|relies|dependent) on (me|us)\b",
        r"\bhardly gets out of bed\b",
    ),
    # Someone must be there all the time.
    *_rules(
        "constant_presence", "fr", 2.0,
        r"\bjour et nuit\b", r"\bnuit et jour\b", r"\b24 ?h? ?(sur|/) ?24\b", r"\b24 ?h/24\b",
        r"\ben permanence\b", r"\bsurveillance constante\b", r"\bconstamment\b",
        r"\b(la|le|les) quitter des yeux\b", r"\btoute la journee (aupres|avec|pour)\b",
    ),
    *_rules(
        "constant_presence", "nl", 2.0,
        r"\bdag en nacht\b", r"\bnacht en dag\b", r"\b24 ?(op|/) ?24\b", r"\b24/7\b",
        r"\bde klok rond\b", r"\bvoortdurend(e)? (toezicht|zorg)\b", r"\bconstant toezicht\b",
        r"\bpermanent toezicht\b",
        r"\b(geen|nooit een) (moment|minuut|seconde) (meer )?uit het oog\b",
        r"\bde hele dag (voor|bij) (hem|haar)\b",
    ),
    *_rules(
        "constant_presence", "de", 2.0,
        r"\brund um die uhr\b", r"\btag und nacht\b", r"\b24 stunden\b", r"\b24/7\b",
        r"\bstandige (betreuung|aufsicht|pflege)\b", r"\bdauernd (da|bei)\b",
        r"\bden ganzen tag (fur|bei) (sie|ihn|ihm|ihr)\b",
        r"\b(keine|nicht eine) (minute|sekunde) (mehr )?aus den augen\b",
    ),
    *_rules(
        "constant_presence", "en", 2.0,
        r"\bday and night\b", r"\bnight and day\b", r"\b(a)?round the clock\b", r"\b24/7\b",
        r"\b24 hours a day\b", r"\bat all times\b", r"\bconstant (care|supervision|attention)\b",
        r"\b(let|leave) (him|her|them) out of (my|our) sight\b",
        r"\bthere for (him|her|them) all day\b",
        r"\b(look after|care for|caring for|looking after)\b.{0,30}\bfull[- ]time\b",
    ),
    # The carer is worn out.
    *_rules(
        "exhaustion", "fr", 2.0,
        r"\bepuisee?s?\b", r"\bepuisement\b", r"\ba bout( de forces?)?\b", r"\bcrevee?s?\b",
        r"\bn'en (peux|pouvons) plus\b", r"\b(pas|jamais|plus|aucun) de repit\b",
        r"\b(pas|jamais|plus) une minute (a|pour) (moi|nous)\b", r"\bburn-?out\b",
        r"\bdebordee?s?\b", r"\bje craque\b", r"\bn'arrive plus a suivre\b",
        r"\bn'arrive plus a (tout )?gerer\b", r"\bc'est trop lourd\b",
        negatable=True,
    ),
    *_rules(
        "exhaustion", "nl", 2.0,
        r"\buitgeput\b", r"\bdoodop\b", r"\bop van de zenuwen\b",
        r"\b(ik ben|we zijn|wij zijn) (helemaal |echt )?op( |)(?=[.!,;]|$)",
        r"\b(het )?wordt (me|mij|ons) (te veel|te zwaar)\b", r"\boverbelast\b",
        r"\bopgebrand\b", r"\bburn-?out\b",
        r"\bnooit (eens )?(een )?(avond|dag|moment|weekend) voor (mezelf|onszelf)\b",
        r"\bkrijg (het|dat) (\w+ ){0,3}niet meer rond\b", r"\bgeen (adem|rust)\b",
        negatable=True,
    ),
    *_rules(
        "exhaustion", "de", 2.0,
        r"\berschop(f|ft|fte|fung)\b", r"\berschoepft\b", r"\bmit den nerven am ende\b",
        r"\bam ende (meiner|unserer) krafte?\b", r"\buberfordert\b", r"\bausgebrannt\b",
        r"\bburn-?out\b", r"\b(keine|nie eine|kaum eine) (pause|auszeit|erholung)\b",
        r"\bwachst (mir|uns) uber den kopf\b", r"\bkann nicht mehr\b(?=[.!,;]|$)",
        negatable=True,
    ),
    *_rules(
        "exhaustion", "en", 2.0,
        r"\bexhausted\b", r"\bexhaustion\b", r"\bworn out\b", r"\bburn(ed|t)? out\b",
        r"\bburnout\b", r"\bend of my tether\b", r"\bat my wits'? end\b",
        r"\b(can't|cannot|can no longer) cope\b",
        r"\b(don't|do not|never|haven't|have not) (get|got|had|have) (a|any) (break|rest)\b",
        r"\bno (break|respite|time for myself)\b", r"\bstretched thin\b",
        r"\b(it's|it is|it's getting|it is getting) too much\b", r"\boverwhelmed\b",
        r"\bdrained\b", r"\bhaven't had (a|an) (evening|day|night|weekend) off\b",
        negatable=True,
    ),
    # The writer gives regular, practical care.
    *_rules(
        "regular_care", "fr", 1.0,
        r"\bje m'occupe (de lui|d'elle|d'eux|de (mon|ma|mes) )",
        r"\bje (lui )?(fais|prepare) (ses|son|sa) (courses|repas|linge|menage|toilette|papiers)",
        r"\bje (lui )?prepare ses repas\b", r"\bje fais son linge\b",
        r"\b(tous les|chaque) (jours|soirs|matins|jour|soir|matin)\b", r"\bmatin et soir\b",
        r"\bon se relaie\b", r"\bvit (chez moi|chez nous|avec nous|avec moi)\b",
        r"\b(deux|trois|quatre|plusieurs) fois par jour\b",
        r"\bje (passe|vais) (chez (lui|elle) )?(tous les|chaque|matin)",
    ),
    *_rules(
        "regular_care", "nl", 1.0,
        r"\bik zorg (\w+ ){0,4}voor\b", r"\bzorgen (\w+ ){0,3}voor (haar|hem)\b",
        r"\bik doe (zijn|haar) (boodschappen|was|administratie|huishouden|papieren)\b",
        r"\bik doe alles voor\b", r"\belke (dag|avond|ochtend|nacht)\b", r"\bdagelijks\b",
        r"\b(twee|drie|vier) keer per dag\b", r"\bik kook (\w+ ){0,3}voor\b",
        r"\bwoont bij (ons|mij)\b", r"\bik help (hem|haar) (met|bij)\b",
    ),
    *_rules(
        "regular_care", "de", 1.0,
        r"\bich pflege\b", r"\bpflege (sie|ihn)\b", r"\bich kummere mich\b",
        r"\bjeden (tag|abend|morgen)\b", r"\bjede nacht\b", r"\btaglich\b",
        r"\bwohnt (\w+ ){0,3}bei (uns|mir)\b", r"\bich (helfe|wasche|futtere) (ihm|ihr|ihn|sie)\b",
        r"\b(mache|erledige) (\w+ ){0,3}(den ganzen haushalt|alles)\b",
    ),
    *_rules(
        "regular_care", "en", 1.0,
        r"\b(i|we) (look|looked) after (him|her|them|my|our)\b",
        r"\b(i|we) (care|cared) for (him|her|them|my|our)\b",
        r"\b(i|we) take care of (him|her|them|my|our)\b",
        r"\bi do (all )?(his|her|their) (shopping|washing|cooking|laundry|paperwork|meals)\b",
        r"\bhelp (him|her|them) (to )?(wash|dress|eat|get up|up and down)\b",
        r"\bi do it every day\b", r"\bevery (single )?(day|morning|evening|night)\b",
        r"\b(twice|three times) a day\b", r"\bdaily\b", r"\b(sleep|stay) at (hers|his)\b",
        r"\bhandle everything\b", r"\bmoved in with (us|me)\b", r"\blives with (us|me)\b",
    ),
    # Counter-evidence: the person is well, the need passes, or the care is over.
    *_rules(
        "healthy", "fr", -3.0,
        r"\ben (pleine|bonne|parfaite) (forme|sante)\b", r"\bpete la forme\b",
        r"\b(tres |totalement |encore )autonome\b",
    ),
    *_rules(
        "healthy", "nl", -3.0,
        r"\bkerngezond\b", r"\bis (nog )?(heel )?(gezond|fit|zelfstandig|kwiek|kiplekker)\b",
        r"\bgezond en zelfstandig\b",
    ),
    *_rules(
        "healthy", "de", -3.0,
        r"\btopfit\b", r"\bkerngesund\b", r"\b(ist|noch|sehr) fit\b",
        r"\bbei bester gesundheit\b",
    ),
    *_rules(
        "healthy", "en", -3.0,
        r"\bin (great|good|perfect|excellent|fine) health\b",
        r"\bis (very |perfectly |still )?(fit|healthy|independent)\b", r"\bfit as a fiddle\b",
    ),
    *_rules(
        "recovered", "fr", -3.0, r"\b(completement |totalement |bien )?(retablie?|guerie?)\b",
        r"\bs'en (est|sont) (\w+ )?remise?s?\b",
    ),
    *_rules(
        "recovered", "nl", -3.0,
        r"\b(is|volledig|helemaal|nu|inmiddels) (weer )?(hersteld|genezen)\b",
    ),
    *_rules("recovered", "de", -3.0, r"\bwieder gesund\b", r"\bgeheilt\b", r"\bgenesen\b",
      r"\b(vollig|ganz|gut) erholt\b"),
    *_rules(
        "recovered", "en", -3.0, r"\b(fully|completely|has) recovered\b", r"\bbetter now\b",
    ),
    *_rules(
        "temporary", "fr", -2.0,
        r"\bpendant (un|une|deux|trois|quatre|cinq|six|quelques|\d+) (jours?|semaines?|mois)\b",
        r"\ben attendant\b", r"\btemporairement\b", r"\bprovisoirement\b",
    ),
    *_rules(
        "temporary", "nl", -2.0,
        r"\btijdelijk\b", r"\b(een|twee|drie|vier|vijf|zes|enkele|\d+) (dagen|weken) (niet|lang)\b",
        r"\bvoorlopig\b",
    ),
    *_rules(
        "temporary", "de", -2.0,
        r"\bvorubergehend\b", r"\bvoruebergehend\b",
        r"\b(ein|eine|zwei|drei|vier|funf|sechs|\d+) wochen? (nicht|lang)\b", r"\bvorerst\b",
    ),
    *_rules(
        "temporary", "en", -2.0,
        r"\bfor (a|one|two|three|four|five|six|a few|\d+) (days?|weeks?)\b",
        r"\bin the meantime\b", r"\btemporarily\b", r"\buntil (his|her) (cast|plaster)\b",
    ),
    *_rules(
        "care_ended", "fr", -3.0,
        r"\bjusqu'a (son|sa) (deces|mort|depart)\b", r"\bjusqu'a ce qu'(il|elle) (meure|decede)",
    ),
    *_rules(
        "care_ended", "nl", -3.0,
        r"\btot (hij|ze|zij) (\w+ ){0,3}(overleed|stierf)\b",
        r"\btot (zijn|haar) (dood|overlijden)\b",
    ),
    *_rules(
        "care_ended", "de", -3.0,
        r"\bbis zu (ihrem|seinem) tod\b", r"\bbis (er|sie) (\w+ ){0,3}(starb|verstorben)\b",
    ),
    *_rules(
        "care_ended", "en", -3.0,
        r"\buntil (he|she|they) (passed away|died)\b", r"\buntil (his|her|their) death\b",
    ),
]
# fmt: on

# Not scored by itself: whether the text names another person, which lets the care situation
# count (module docstring). Family words give RELATIVE_MENTIONED_WEIGHT when the structured
# answers give no relationship.
_FAMILY_WORDS = {
    "fr": (
        r"\b(ma|mon|mes|notre|nos|sa|son) (mere|maman|pere|papa|mari|femme|epouse|epoux"
        r"|compagnon|compagne|conjointe?|fils|fille|frere|soeur|grand-mere|grand-pere|grands-parents"
        r"|tante|oncle|belle-mere|beau-pere|beaux-parents|neveu|niece|petite?-fils|petite-fille"
        r"|petits-enfants|enfants?|cousine?|parents)\b",
        r"\b(maman|papa|mamy|papy|mamie|bonne-maman)\b",
    ),
    "nl": (
        r"\b(mijn|onze|ons|zijn|haar) (moeder|mama|ma|vader|papa|pa|man|vrouw|echtgeno(o|t)e?"
        r"|partner|zoon|dochter|broer|zus|zuster|oma|opa|grootmoeder|grootvader|tante|nonkel|oom"
        r"|schoonmoeder|schoonvader|schoonouders|kleinkind|kleinkinderen|kleinzoon|kleindochter"
        r"|ouders|kind|kinderen|neef|nicht)\b",
        r"\b(moeder|mama|papa|oma|opa|moeke|vake)\b",
    ),
    "de": (
        r"\b(meine?|meinen|meinem|meiner|unsere?|unserem|unseren|unserer|seine?|ihre?) "
        r"(mutter|mama|vater|papa|mann|frau|ehemann|ehefrau|partner(in)?|lebensgefahrt(e|in)"
        r"|sohn|tochter|bruder|schwester|oma|opa|grossmutter|grossvater|tante|onkel"
        r"|schwiegermutter|schwiegervater|schwiegereltern|enkel(kind(er)?|in)?|eltern|kind(er)?"
        r"|neffe|nichte)\b",
        r"\b(mama|papa|oma|opa|papas|mamas|omas|opas)\b",
        # Genitive: "seit dem Schlaganfall meines Mannes".
        r"\b(meines|seines|ihres|unseres) (mannes|ehemannes|vaters|sohnes|bruders|opas"
        r"|grossvaters|onkels|schwiegervaters|enkels|partners|lebensgefahrten|kindes)\b",
    ),
    "en": (
        r"\b(my|our|his|her) (mum|mom|mother|dad|father|husband|wife|partner|son|daughter"
        r"|brother|sister|grandmother|grandfather|grandma|grandpa|gran|granny|grandad|aunt"
        r"|uncle|mother-in-law|father-in-law|parents|child|children|kids|grandchildren"
        r"|grandson|granddaughter|nephew|niece|cousin)\b",
        r"\b(mum|mom|dad|grandad|granny|grandma|grandpa)\b",
    ),
}
_CLOSE_PERSON_WORDS = (
    r"\b(ma|mon|notre) (voisine?|amie?)\b",
    r"\b(mijn|onze) (buurman|buurvrouw|buren|vriend|vriendin)\b",
    r"\b(meine?|meinem|meinen|meiner|unsere?|unserem) (nachbar(in|n)?|freund(in)?)\b",
    r"\b(my|our) (neighbou?r|friend)s?\b",
)

# Negation words that, just before a condition or an exhaustion word in the same clause, deny
# it ("she doesn't have dementia", "n'a pas d'Alzheimer", "geen dementie", "keine Demenz").
# "t" is what is left of "doesn't" once the text is split into words.
_NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "nor",
        "t",
        "pas",
        "jamais",
        "aucun",
        "aucune",
        "sans",
        "ni",
        "niet",
        "geen",
        "nooit",
        "zonder",
        "noch",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keiner",
        "keinem",
        "nie",
        "niemals",
        "ohne",
    }
)
_FIRST_PERSON = frozenset({"i", "je", "j", "ik", "ich"})
_NEGATION_WINDOW_WORDS = 4
_CLAUSE_BOUNDARY = re.compile(r"[.!?;:,()]|\b(but|mais|maar|aber|and|et|en|und)\b")
_WORD = re.compile(r"[a-z0-9]+")


def normalise_text(text: str) -> str:
    """Folded (detection.text: lower case, no accents), one space between words; punctuation
    kept for clauses."""
    return re.sub(r"\s+", " ", folded_text(text)).strip()


@lru_cache(maxsize=1)
def _compiled_rules() -> list[tuple[SignalRule, re.Pattern[str]]]:
    return [(rule, re.compile(rule.pattern)) for rule in RULES]


def _words_before(text: str, position: int) -> list[str]:
    """The last few words before `position`, within the same clause."""
    before = text[:position]
    boundaries = list(_CLAUSE_BOUNDARY.finditer(before))
    if boundaries:
        before = before[boundaries[-1].end() :]
    return _WORD.findall(before)[-_NEGATION_WINDOW_WORDS:]


def _rule_applies(rule: SignalRule, text: str, match: re.Match[str]) -> bool:
    if rule.negatable and _NEGATORS.intersection(_words_before(text, match.start())):
        return False
    if rule.third_person:
        # The clause boundary is not used here: "Ik ben 82 en kan niet meer..." has "en" between
        # the writer and the verb.
        words = _WORD.findall(text[: match.start()])[-_NEGATION_WINDOW_WORDS:]
        if _FIRST_PERSON.intersection(words):
            return False
    return True


def text_evidence(description: str) -> dict[str, float]:
    """Evidence codes found in a description, each with the strongest weight among its rules."""
    text = normalise_text(description)
    evidence: dict[str, float] = {}
    for rule, pattern in _compiled_rules():
        if any(_rule_applies(rule, text, match) for match in pattern.finditer(text)):
            current = evidence.get(rule.code)
            # Counter-evidence keeps its most negative weight, evidence its most positive.
            if current is None or abs(rule.weight) > abs(current):
                evidence[rule.code] = rule.weight
    return evidence


def _mentions(description: str, patterns) -> bool:
    text = normalise_text(description)
    return any(re.search(pattern, text) for pattern in patterns)


def care_hours_weight(care_hours_per_week: float) -> float:
    """Weight of the weekly care hours: 1.5 per 11.5 h (50 h a month), capped at twice that."""
    if care_hours_per_week <= 0:
        return 0.0
    references = min(care_hours_per_week / REFERENCE_WEEKLY_HOURS, CARE_HOURS_MAX_REFERENCES)
    return CARE_HOURS_WEIGHT_PER_REFERENCE * references


def carer_evidence(
    *,
    description: str,
    for_someone_else: bool,
    relationship: str,
    cared_for_age: int | None,
    care_hours_per_week: float | None,
) -> dict[str, float]:
    """Every piece of evidence that counts for a request, as {code: weight}, in a stable order."""
    found = text_evidence(description or "")
    relationship = (relationship or "").strip()
    mentions_family = _mentions(description or "", sum(_FAMILY_WORDS.values(), ()))
    mentions_close_person = _mentions(description or "", _CLOSE_PERSON_WORDS)

    evidence: dict[str, float] = {}
    if relationship in FAMILY_RELATIONSHIPS:
        evidence["relative"] = RELATIVE_WEIGHT
    elif relationship in CLOSE_RELATIONSHIPS:
        evidence["close_person"] = CLOSE_PERSON_WEIGHT
    elif mentions_family:
        evidence["relative_mentioned"] = RELATIVE_MENTIONED_WEIGHT

    person_in_picture = (
        for_someone_else or bool(relationship) or mentions_family or mentions_close_person
    )
    if "carer_role" in found:
        evidence["carer_role"] = found["carer_role"]
    if person_in_picture:
        for code in ("condition", "dependency", "constant_presence", "exhaustion", "regular_care"):
            if code in found:
                evidence[code] = found[code]

    health_sign = "condition" in evidence or "dependency" in evidence
    is_minor = cared_for_age is not None and cared_for_age < MINOR_BELOW
    if care_hours_per_week and (health_sign or not is_minor):
        weight = care_hours_weight(float(care_hours_per_week))
        if weight:
            evidence["care_hours"] = weight
    if cared_for_age is not None and cared_for_age >= OLDER_AGE_FROM:
        evidence["older_age"] = OLDER_AGE_WEIGHT

    for code in ("healthy", "recovered", "temporary", "care_ended"):
        if code in found:
            evidence[code] = found[code]
    return evidence


REASONS = {
    "carer_role": _("You describe yourself as someone who cares for a relative or a close person."),
    "relative": _("You are asking on behalf of a relative."),
    "close_person": _("You are asking on behalf of someone close to you."),
    "relative_mentioned": _("Your request is about a member of your family."),
    "condition": _(
        "The description mentions a long-term illness, a disability or a condition such as "
        "dementia or a stroke."
    ),
    "dependency": _("The person you help seems unable to manage alone or to be left alone."),
    "constant_presence": _("Someone has to be there day and night, or all the time."),
    "exhaustion": _("You sound tired or worn out."),
    "regular_care": _("You seem to help this person regularly, for example every day."),
    "care_hours": _("You give about %(hours)s hours of care a week."),
    "older_age": _("The person you help is of an advanced age."),
}


def _reason_code(code: str, care_hours_per_week: float | None) -> dict:
    """A reason as language-neutral data: its code and what its sentence needs."""
    if code == "care_hours":
        return {"code": code, "params": {"hours": round(float(care_hours_per_week or 0), 1)}}
    return {"code": code, "params": {}}


def reason_text(code: str, params: Mapping) -> str:
    """The sentence of one reason (a code of REASONS and its params) in the active language.

    Raises KeyError for a code that is not in REASONS or a missing parameter.
    """
    if code == "care_hours":
        hours = formats.number_format(params["hours"], decimal_pos=None)
        return str(REASONS[code]) % {"hours": hours}
    return str(REASONS[code])


def carer_signal_for_request(
    *,
    description: str,
    for_someone_else: bool,
    relationship: str,
    cared_for_age: int | None,
    care_hours_per_week: float | None,
    language: str | None,
) -> CarerSignal:
    """Whether the person writing a help request is likely a (hidden) informal carer, and why.

    `language` is the language of the reasons (fr/nl/de/en); None or an unknown code keeps the
    active language. The description itself may be in any of the four languages: every language's
    rules are applied, since people often write in a language other than their interface's.
    A pure function of its arguments: no database access.
    """
    evidence = carer_evidence(
        description=description,
        for_someone_else=for_someone_else,
        relationship=relationship,
        cared_for_age=cared_for_age,
        care_hours_per_week=care_hours_per_week,
    )
    score = round(sum(evidence.values()), 3)
    # The structure the law describes (detection.carer_structure): a relationship, a dependency
    # and regular help, all three, with no counter-evidence (well, recovered, temporary, ended).
    parts = carer_parts(
        description=description or "",
        relationship=relationship,
        care_hours_per_week=care_hours_per_week,
        cared_for_age=cared_for_age,
    )
    if parts.animal and not parts.dependency:
        # The condition named is an animal's (detection.carer_structure).
        for code in ("condition", "dependency"):
            evidence.pop(code, None)
        score = round(sum(evidence.values()), 3)
    if not parts.regular_help_terms and "regular_care" in evidence:
        # The regular care the text describes is not the writer's: somebody else's ("my
        # sister looks after mum every day"), or the person's own routine ("fietst elke dag").
        evidence.pop("regular_care")
        score = round(sum(evidence.values()), 3)
    if parts.third_party and not parts.writer_help_act and "regular_care" in evidence:
        # The regular care the text describes is somebody else's ("my sister looks after mum
        # every day"); the writer's own part is at most a frequency ("I call every day").
        evidence.pop("regular_care")
        score = round(sum(evidence.values()), 3)
    if parts.residential:
        evidence["residential"] = RESIDENTIAL_WEIGHT
        score = round(sum(evidence.values()), 3)
    if parts.temporary and "temporary" not in evidence:
        evidence["temporary"] = TEMPORARY_WEIGHT
        score = round(sum(evidence.values()), 3)
    if parts.care_ended and "care_ended" not in evidence:
        evidence["care_ended"] = CARE_ENDED_WEIGHT
        score = round(sum(evidence.values()), 3)
    if parts.professional:
        # The writer helps as a professional (law art. 3 § 3, 1°): not an informal carer.
        evidence["professional"] = PROFESSIONAL_WEIGHT
        score = round(sum(evidence.values()), 3)
    counter = set(COUNTER_CODES.intersection(evidence))
    if not parts.temporary and parts.dependency and parts.regular_help_terms:
        # A lasting dependency the writer helps with regularly, and the only period named is
        # the writer's own absence ("I'm going into hospital for a few days").
        counter.discard("temporary")
    structural = parts.complete and not counter
    if structural:
        # The parts found are the reasons, whatever the weighted rules made of them.
        if not {"relative", "close_person", "relative_mentioned"}.intersection(evidence):
            evidence["relative_mentioned"] = RELATIVE_MENTIONED_WEIGHT
        if not {"condition", "dependency"}.intersection(evidence):
            evidence["condition"] = 2.0
        if not {"regular_care", "care_hours", "constant_presence"}.intersection(evidence):
            evidence["regular_care"] = 1.0
    likely = (score >= THRESHOLD and not parts.third_party_only) or structural
    reasons: list[str] = []
    reason_codes: list[dict] = []
    if likely:
        known_languages = {code for code, _name in settings.LANGUAGES}
        language = language if language in known_languages else translation.get_language()
        with translation.override(language):
            # Strongest evidence first: the note shows the most telling reasons on top.
            positive = sorted(
                (code for code, weight in evidence.items() if weight > 0),
                key=lambda code: -evidence[code],
            )
            reason_codes = [_reason_code(code, care_hours_per_week) for code in positive]
            reasons = [reason_text(reason["code"], reason["params"]) for reason in reason_codes]
    return CarerSignal(
        likely_carer=likely,
        reasons=reasons,
        codes=list(evidence),
        score=score,
        reason_codes=reason_codes,
    )
