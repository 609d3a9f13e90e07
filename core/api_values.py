"""Values written as the API writes them, for the hot read paths that build their JSON without
a serializer's per-field walk (core.fast_rows, matching's nearby and candidates). One
definition, so every endpoint keeps DRF's format whichever way its JSON is built."""

from rest_framework import serializers

# DRF's own field: ISO 8601 in the active time zone (looked up when formatting, not here).
_DATE_TIME = serializers.DateTimeField()


def date_time_text(value) -> str | None:
    """A datetime as DRF's DateTimeField writes it; None stays None."""
    return _DATE_TIME.to_representation(value)
