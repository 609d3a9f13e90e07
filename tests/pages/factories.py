"""Test data of the web pages (defined in tests/seed/factories.py)."""

from tests.seed.factories import (
    NAMUR,
    CoordinatorFactory,
    HelperProfileFactory,
    HelpRequestFactory,
    OfferFactory,
    ProposalFactory,
    VerifiedHelperFactory,
)

__all__ = [
    "NAMUR",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "OfferFactory",
    "ProposalFactory",
    "VerifiedHelperFactory",
]
