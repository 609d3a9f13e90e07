"""Small helpers for the page layout (frontend/base.html)."""

from urllib.parse import urlencode

from django import template
from django.http import HttpRequest

from accounts.forms import LANGUAGE_NAMES_IN_THEMSELVES

register = template.Library()


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """(code, name written in that language), in the site's order: fr, nl, de, en."""
    return [(str(code), name) for code, name in LANGUAGE_NAMES_IN_THEMSELVES.items()]


@register.simple_tag
def path_without_lang(request: HttpRequest) -> str:
    """The current address without `?lang=`: after switching language the person comes back
    here, and a leftover `?lang=` would switch them straight back."""
    query = [(key, value) for key, value in request.GET.lists() if key != "lang"]
    flat = [(key, value) for key, values in query for value in values]
    return request.path + ("?" + urlencode(flat) if flat else "")
