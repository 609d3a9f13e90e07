"""Phone numbers of people without e-mail, read with Google's libphonenumber rules
(the `phonenumbers` package): nothing hand-written about Belgian numbering."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# People phone the coordinators of a Belgian platform: a number written without a country code
# ("081 22 33 44", "0470 12 34 56") is Belgian.
DEFAULT_REGION = "BE"
PHONE_MAX_LENGTH = 40  # what a person may type, spaces and dots included


def phone_normalise(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """`raw` as an E.164 number ("+32" and the digits without the leading 0), if it is valid.

    A number without a country code is read in `region`. Raises ValidationError with a message
    in the active language when it is not a phone number, or not a valid one (a digit too many,
    a prefix no operator uses).
    """
    if not isinstance(raw, str) or not raw.strip() or len(raw) > PHONE_MAX_LENGTH:
        raise ValidationError(_("Give a phone number with its prefix: 0… in Belgium, +… abroad."))
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("This is not a phone number. Write it with its prefix: 0… in Belgium, +… abroad.")
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number does not exist. Check the digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """An E.164 number as people write it: national form for Belgian numbers, international
    otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
