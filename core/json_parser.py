"""The API's JSON parser: DRF's own, plus the limits it leaves out (REST_FRAMEWORK's
DEFAULT_PARSER_CLASSES; CONTRACT.md: bad input never yields a 5xx and errors are JSON).

- Size. Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when `request.body` is read, by
  raising RequestDataTooBig. DRF reads `request.body` for its JSONParser before calling it and
  does not catch that, so Django answers with its HTML "Bad Request" page. This parser is not a
  subclass of DRF's JSONParser (DRF then leaves the reading to it), reads `request.body` itself
  and turns the refusal into a JSON 413.
- NUL characters. PostgreSQL cannot store U+0000 in text or jsonb, so a NUL that reaches the
  database is a 500. DRF's CharField refuses it, but dictionary keys, JSON fields (the
  assessment's answers), choice fields and the services behind them do not, and each new field
  would have to remember to. Refusing it once here, in every key and string of the body, is the
  one place that covers them all. The error names the field the NUL is in, nested like DRF's
  own errors: {"carer": {"employment": ["Null characters are not allowed."]}}.
- Nesting. A body nested thousands of levels deep makes Python's json module raise
  RecursionError, which DRF does not turn into a 400; here it is one.

Malformed JSON, invalid UTF-8 and NaN/Infinity (DRF's STRICT_JSON) are DRF's ParseError, a 400.
"""

import io

from django.core.exceptions import RequestDataTooBig
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.settings import api_settings


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "request_too_large"


def _holds_nul(value) -> bool:
    """Whether any string or key in `value` contains U+0000 (iterative: the depth is the
    client's choice)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


NUL_MESSAGE = ProhibitNullCharactersValidator.message


def _nul_errors(value):
    """Where the NULs of `value` are, shaped like DRF's errors for nested input: {key: ...} for
    objects, {"index": ...} for lists, [message] at the string (or at an object whose keys hold
    one); None when there is none."""
    if isinstance(value, str):
        return [NUL_MESSAGE] if "\x00" in value else None
    if isinstance(value, dict):
        if any("\x00" in key for key in value):
            return [NUL_MESSAGE]
        found = {key: _nul_errors(item) for key, item in value.items()}
    elif isinstance(value, list):
        found = {str(index): _nul_errors(item) for index, item in enumerate(value)}
    else:
        return None
    return {key: errors for key, errors in found.items() if errors is not None} or None


class SafeJSONParser(BaseParser):
    """DRF's JSONParser with a JSON 413, no NUL characters and no RecursionError (module
    docstring)."""

    media_type = JSONParser.media_type
    renderer_class = JSONParser.renderer_class

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                # Django's own limit, including bodies without a Content-Length.
                body = request._request.body
            except RequestDataTooBig:
                raise RequestTooLarge() from None
        else:
            body = stream.read()
        try:
            data = JSONParser().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        self._refuse_nul(data)
        return data

    @staticmethod
    def _refuse_nul(data) -> None:
        if not _holds_nul(data):
            return
        try:
            errors = _nul_errors(data)
        except RecursionError:
            errors = [NUL_MESSAGE]
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        raise ValidationError(errors)
