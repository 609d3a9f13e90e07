"""Matching test data (defined in tests/seed/factories.py)."""

from tests.seed.factories import (
    NAMUR,
    AvailabilitySlotFactory,
    CoordinatorFactory,
    HelperProfileFactory,
    HelpRequestFactory,
    VerifiedHelperFactory,
    point_at,
)

__all__ = [
    "NAMUR",
    "AvailabilitySlotFactory",
    "CoordinatorFactory",
    "HelpRequestFactory",
    "HelperProfileFactory",
    "VerifiedHelperFactory",
    "point_at",
]
