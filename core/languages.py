"""The language things are written in: one of the four the platform speaks."""

from django.conf import settings
from django.utils import translation

SUPPORTED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def active_language() -> str:
    """The active translation's language reduced to one of settings.LANGUAGES ("fr", "nl",
    "de", "en"), else the default. For a request, LocaleMiddleware chose it (the account's
    language, the language cookie, Accept-Language)."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE
