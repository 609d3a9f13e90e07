"""Input fields strict about JSON types, shared by the API serializers.

DRF's own fields convert quietly ("12" becomes 12, "yes" becomes True, 12 becomes "12"). For
people's data a wrong type should be a 400 naming the field, never a silent conversion or a 500.
"""

import math

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The largest id PostgreSQL's bigint holds: a bound for ids taken from input.
DATABASE_ID_MAX = 2**63 - 1


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: DRF's IntegerField would also take "12" or 12.0."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictNumberField(serializers.FloatField):
    """A finite JSON number (integer or decimal)."""

    default_error_messages = {"invalid": _("A number is required.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        if isinstance(data, int) and abs(data) > 10**9:
            # Larger integers are not plausible and would only overflow float().
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class StrictCharField(serializers.CharField):
    """A JSON string only (DRF's CharField turns numbers into strings). NUL bytes are refused by
    DRF's own validator."""

    default_error_messages = {"invalid": _("Must be a string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=str(data)[:50])
        return super().to_internal_value(data)


class QueryChoiceField(serializers.ChoiceField):
    """A choice read from the query string. DRF reads `?status=` as if the parameter were
    missing (a convention of HTML forms); for the API an empty value is one more invalid
    choice (400), as the schema says."""

    def get_value(self, dictionary):
        if dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a JSON string only: DRF's UUIDField would also take the integer 12 as
    00000000-0000-0000-0000-00000000000c."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=str(data)[:50])
        return super().to_internal_value(data)
