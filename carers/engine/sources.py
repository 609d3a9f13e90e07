"""The documents the rules come from, and how a rule points into them.

Only two documents are used, both kept in the project's `seeds/` folder:

- the law of 12 May 2014 on the recognition of informal carers, consolidated
  (seed 004_d6b6664d76f1cf1a.txt): definitions and conditions, and the age thresholds;
- the Mutualité chrétienne guide "Être reconnu comme aidant proche", updated on
  19 September 2024 (seed 001_0abdad71e7e9937e.txt): the later royal-decree criteria (medical
  criteria, hours), the procedure, the three-carers limit and carer's leave.
"""

from __future__ import annotations

from dataclasses import dataclass

LAW_2014 = "law_2014"
GUIDE_2024 = "guide_2024"

SEED_FILES = {
    LAW_2014: "004_d6b6664d76f1cf1a.txt",
    GUIDE_2024: "001_0abdad71e7e9937e.txt",
}

# Sections of the guide. It has few headings, so these name its parts by what they cover;
# docs/CARERS.md quotes the French passage behind each one.
GUIDE_SECTIONS = (
    "carer_conditions",
    "cared_for_conditions",
    "social_rights",
    "medical_criteria",
    "procedure",
    "end_of_recognition",
    "good_to_know",
    "carers_leave",
)


@dataclass(frozen=True)
class Source:
    """A place in a seed document: a law article ("art. 3 § 2, 1°") or a guide section code."""

    document: str
    locator: str

    def __post_init__(self) -> None:
        if self.document not in SEED_FILES:
            raise ValueError(f"unknown document {self.document!r}")
        if self.document == GUIDE_2024 and self.locator not in GUIDE_SECTIONS:
            raise ValueError(f"unknown guide section {self.locator!r}")

    @property
    def seed_file(self) -> str:
        return SEED_FILES[self.document]

    def as_dict(self) -> dict[str, str]:
        return {"document": self.document, "seed": self.seed_file, "locator": self.locator}


def law(article: str) -> Source:
    return Source(LAW_2014, article)


def guide(section: str) -> Source:
    return Source(GUIDE_2024, section)
