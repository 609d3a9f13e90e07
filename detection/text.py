"""The one text normaliser of the phrase detectors (carer situation, medical tasks).

Both detectors match hand-written patterns in plain lower-case ASCII letters, so a description is
folded the same way before either looks at it: case folded, accents stripped, the letters that
Unicode does not decompose into a base letter plus accents ("œ", "ß", "ø"...) spelled out, and
typographic apostrophes made plain. What each detector then does with punctuation differs (the
carer detector keeps it to find clauses, the medical one turns it into spaces), so that part is
left to them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters NFKD does not decompose into a base letter plus accents ("ß" is already "ss" once
# case-folded), and typographic apostrophes ("l’aide", "geht´s").
_SPELLED_OUT = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "’": "'", "‘": "'", "´": "'"}
)


@lru_cache(maxsize=8192)
def folded_text(text: str) -> str:
    """`text` case-folded, without accents, in plain letters: "Piqûre d’INSULINE, Sœur, Straße"
    → "piqure d'insuline, soeur, strasse". Spaces and punctuation are left as they are.

    Cached: the detectors fold the same description, its sentences and clauses several times."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED_OUT))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
