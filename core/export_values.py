"""Values as a person's data export writes them (each app's `personal_data.py`): one format for
every app's part of the export, which is not the API's (points are named in full, times are as
stored)."""

from __future__ import annotations


def export_time(value) -> str | None:
    """A date, time or datetime in ISO 8601 as stored (datetimes in UTC); None stays None."""
    return value.isoformat() if value is not None else None


def export_point(point) -> dict[str, float] | None:
    """A WGS 84 point as {"latitude", "longitude"} in decimal degrees; None stays None."""
    if point is None:
        return None
    return {"latitude": point.y, "longitude": point.x}
