"""What the demo data is made of: name lists, neighbourhoods and request texts.

Invented demo content, not facts about anyone: common first names and surnames of the Dutch-,
French- and German-speaking parts of Belgium, and everyday, non-medical requests.
"""

# --- Names, by the language most spoken where the person lives -------------------------------

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "nl": (
        "Jan",
        "Pieter",
        "Wouter",
        "Koen",
        "Bart",
        "Stijn",
        "Jef",
        "Wim",
        "Dirk",
        "Bram",
        "Jens",
        "Ruben",
        "Sander",
        "Lars",
        "Tom",
        "Lotte",
        "Fien",
        "An",
        "Els",
        "Sofie",
        "Lien",
        "Hanne",
        "Joke",
        "Griet",
        "Hilde",
        "Nele",
        "Annelies",
        "Emma",
        "Louise",
        "Marieke",
    ),
    "fr": (
        "Luc",
        "Pierre",
        "Philippe",
        "Jean",
        "Michel",
        "Olivier",
        "Nicolas",
        "Thomas",
        "Maxime",
        "Julien",
        "Benoît",
        "François",
        "Arnaud",
        "Louis",
        "Geoffrey",
        "Marie",
        "Sophie",
        "Julie",
        "Camille",
        "Nathalie",
        "Isabelle",
        "Céline",
        "Aurélie",
        "Chloé",
        "Manon",
        "Anne",
        "Christine",
        "Véronique",
        "Hélène",
        "Martine",
    ),
    "de": (
        "Lukas",
        "Jonas",
        "Tim",
        "Stefan",
        "Thomas",
        "Marco",
        "Jürgen",
        "Klaus",
        "Bernd",
        "Kevin",
        "Anna",
        "Lea",
        "Jana",
        "Sarah",
        "Monika",
        "Sabine",
        "Andrea",
        "Nina",
        "Laura",
        "Petra",
    ),
    # Brussels also has many families whose names come from further away.
    "other": (
        "Mohamed",
        "Youssef",
        "Karim",
        "Mehmet",
        "Piotr",
        "Marco",
        "Fatima",
        "Yasmina",
        "Samira",
        "Aylin",
        "Agnieszka",
        "Giulia",
        "Ana",
        "Amina",
    ),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "nl": (
        "Peeters",
        "Janssens",
        "Maes",
        "Jacobs",
        "Mertens",
        "Willems",
        "Claes",
        "Goossens",
        "Wouters",
        "De Smet",
        "Vermeulen",
        "Van den Broeck",
        "De Clercq",
        "Hermans",
        "Michiels",
        "Aerts",
        "Verhoeven",
        "Pauwels",
        "Van Damme",
        "Vandenberghe",
        "Coppens",
        "Lambrechts",
        "De Backer",
        "Van Acker",
    ),
    "fr": (
        "Dubois",
        "Lambert",
        "Dupont",
        "Martin",
        "Simon",
        "Laurent",
        "Leclercq",
        "Lejeune",
        "Renard",
        "Collard",
        "Lemaire",
        "Hubert",
        "Dumont",
        "Leroy",
        "Denis",
        "Gilson",
        "Henrard",
        "Mathieu",
        "François",
        "Marchal",
        "Jacquet",
        "Piron",
        "Legrand",
        "Thiry",
        "Masson",
    ),
    "de": (
        "Schmitz",
        "Kohnen",
        "Maraite",
        "Heinen",
        "Lentz",
        "Margraff",
        "Jost",
        "Kreutz",
        "Cremer",
        "Pankert",
        "Hilgers",
        "Reuter",
        "Mertes",
        "Backes",
        "Müller",
        "Hoffmann",
        "Meyer",
        "Schröder",
    ),
    "other": (
        "El Amrani",
        "Benali",
        "Ait Ouali",
        "Yilmaz",
        "Kaya",
        "Nowak",
        "Kowalski",
        "Rossi",
        "Esposito",
        "García",
        "Fernandes",
        "Diallo",
    ),
}

# --- Neighbourhoods ------------------------------------------------------------------------

# Demo people live in clusters around these postcodes (the main towns of each part of the
# country), so that most requests have neighbours who can help. Weights are relative.
NEIGHBOURHOOD_ANCHORS: tuple[tuple[str, int], ...] = (
    ("1000", 5),  # Brussels
    ("2000", 3),  # Antwerpen
    ("9000", 3),  # Gent
    ("3000", 2),  # Leuven
    ("8000", 2),  # Brugge
    ("3500", 1),  # Hasselt
    ("4000", 3),  # Liège
    ("5000", 2),  # Namur
    ("6000", 2),  # Charleroi
    ("7000", 1),  # Mons
    ("6700", 1),  # Arlon
    ("4700", 2),  # Eupen
)
# Postcodes within this distance of an anchor belong to its neighbourhood.
NEIGHBOURHOOD_RADIUS_KM = 8

# The postcodes of the nine German-speaking municipalities (Eupen, Kelmis, Lontzen, Raeren,
# Amel, Büllingen, Burg-Reuland, Bütgenbach, Sankt Vith); checked against the place data by
# tests/seed/test_seed_demo.py.
GERMAN_SPEAKING_POSTCODES = range(4700, 4792)

# --- Request texts, by category and language ---------------------------------------------

DESCRIPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "shopping": {
        "fr": (
            "Je ne porte plus de charges lourdes. Quelqu'un pourrait-il faire mes courses au "
            "supermarché du quartier ? Je donne la liste et l'argent.",
            "Besoin d'aide pour les courses : eau, lait, fruits et légumes.",
        ),
        "nl": (
            "Ik kan geen zware boodschappen meer dragen. Wie wil met mij naar de supermarkt "
            "gaan? Ik betaal zelf en geef een lijstje mee.",
            "Hulp gezocht voor de boodschappen: water, melk, groenten en fruit.",
        ),
        "de": (
            "Ich kann keine schweren Taschen mehr tragen. Wer kann für mich im Supermarkt "
            "einkaufen? Einkaufsliste und Geld gebe ich mit.",
        ),
        "en": (
            "I can no longer carry heavy bags. Could someone do my shopping at the "
            "local supermarket? I will give a list and the money.",
        ),
    },
    "meals": {
        "fr": ("Cuisiner avec moi un repas simple pour le midi, et le partager si vous voulez.",),
        "nl": ("Samen een eenvoudige warme maaltijd koken en samen eten.",),
        "de": ("Gemeinsam ein einfaches Mittagessen kochen.",),
        "en": ("Help preparing a simple hot meal, and sharing it if you like.",),
    },
    "administration": {
        "fr": (
            "J'ai reçu plusieurs courriers de la commune et je ne m'y retrouve plus. Aide pour "
            "trier les papiers et remplir un formulaire.",
        ),
        "nl": (
            "Hulp bij het ordenen van mijn papieren en het invullen van een formulier van de "
            "gemeente.",
        ),
        "de": ("Hilfe beim Sortieren meiner Post und beim Ausfüllen eines Formulars.",),
        "en": ("Help sorting my letters and filling in a form from the municipality.",),
    },
    "transport": {
        "fr": ("M'emmener en voiture à la maison communale pour renouveler ma carte d'identité.",),
        "nl": ("Iemand die mij met de auto naar het gemeentehuis kan brengen en terug.",),
        "de": ("Wer fährt mich zum Wochenmarkt und wieder nach Hause?",),
        "en": ("A lift to the town hall and back, to renew my identity card.",),
    },
    "company": {
        "fr": (
            "J'aimerais un peu de compagnie pour parler, jouer aux cartes ou faire une petite "
            "promenade dans le quartier.",
            "Une visite pour bavarder autour d'un café.",
        ),
        "nl": (
            "Ik woon alleen en zou graag iemand over de vloer krijgen voor een babbel of een "
            "wandeling in het park.",
        ),
        "de": (
            "Ich lebe allein und würde mich über Besuch freuen: reden, Karten spielen, ein "
            "kleiner Spaziergang.",
        ),
        "en": ("Someone to visit for a chat and a cup of tea.",),
    },
    "gardening": {
        "fr": ("Tondre la pelouse et tailler la haie du jardin.",),
        "nl": ("Gras maaien en de haag snoeien in mijn kleine tuin.",),
        "de": ("Rasen mähen und Unkraut jäten in meinem kleinen Garten.",),
        "en": ("Mowing the lawn and weeding the flower beds in a small garden.",),
    },
    "odd_jobs": {
        "fr": ("Fixer deux étagères et changer une ampoule au plafond que je n'atteins plus.",),
        "nl": ("Een paar kleine klusjes: een lamp vervangen en een kastdeur bijregelen.",),
        "de": ("Zwei Regale anbringen und eine Glühbirne an der Decke wechseln.",),
        "en": ("Putting up two shelves and changing a ceiling light bulb I cannot reach.",),
    },
    "household": {
        "fr": ("Aide pour plier le linge et ranger les armoires.",),
        "nl": ("Hulp bij het opruimen van de zolder en het wegbrengen naar het containerpark.",),
        "de": ("Hilfe beim Aufräumen des Kellers.",),
        "en": ("Help tidying up the attic and taking things to the recycling park.",),
    },
    "digital": {
        "fr": (
            "Apprendre à faire des appels vidéo avec mes petits-enfants sur ma tablette.",
            "Installer l'application de ma banque sur mon nouveau téléphone et m'expliquer.",
        ),
        "nl": ("Uitleg over mijn nieuwe smartphone: foto's versturen en videobellen.",),
        "de": ("Hilfe mit meinem neuen Handy: Fotos verschicken und Videoanrufe.",),
        "en": ("Setting up my new phone and learning to make video calls with my family.",),
    },
}

# --- The three demo logins -----------------------------------------------------------------

DEMO_EMAIL_DOMAIN = "demo.tandem.invalid"  # .invalid can never be a real address (RFC 2606)
# Demo only, printed by `seed_demo --print-logins`; long enough for the password validators.
DEMO_PASSWORD = "Entraide-Demo-2026"

HELPPIE_EMAIL = f"helppie@{DEMO_EMAIL_DOMAIN}"
HELPPER_EMAIL = f"helpper@{DEMO_EMAIL_DOMAIN}"
COORDINATOR_EMAIL = f"coordinator@{DEMO_EMAIL_DOMAIN}"
