"""Request-flow test data (defined in tests/seed/factories.py)."""

from tests.seed.factories import (
    NAMUR,
    CoordinatorFactory,
    HelperProfileFactory,
    HelpRequestFactory,
    OfferFactory,
    VerifiedHelperFactory,
    VisitFactory,
    point_at,
)

__all__ = [
    "NAMUR",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "OfferFactory",
    "VerifiedHelperFactory",
    "VisitFactory",
    "point_at",
]
