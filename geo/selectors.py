"""Reads about places. Writes (loading, geocoder cache) live in geo.services."""

from geo.models import Postcode
from geo.services import POSTCODE_PATTERN


def postcode_get(*, code: str) -> Postcode | None:
    """A current Belgian postcode with its primary municipality, or None (also for malformed
    input: anything but four digits)."""
    if not isinstance(code, str) or not POSTCODE_PATTERN.fullmatch(code):
        return None
    return Postcode.objects.select_related("municipality").filter(code=code).first()


def postcode_is_known(*, code: str) -> bool:
    """Whether `code` is a current Belgian postcode."""
    return (
        isinstance(code, str)
        and bool(POSTCODE_PATTERN.fullmatch(code))
        and (Postcode.objects.filter(code=code).exists())
    )
