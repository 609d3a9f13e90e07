"""Template filters of the request and helper pages."""

from django import template
from django.utils.translation import ngettext

from matching.vocabulary import Category, Recurrence

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """90 → "1 hour 30 minutes", in the page's language."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if hours and rest:
        return f"{hours_text} {minutes_text}"
    return hours_text if hours else minutes_text


@register.filter
def hours_duration(hours) -> str:
    """Decimal("1.50") hours → "1 hour 30 minutes"."""
    if hours is None:
        return ""
    return duration(round(float(hours) * 60))


@register.filter
def category_label(code: str) -> str:
    """ "shopping" → "Shopping", translated; an unknown code as it is."""
    try:
        return str(Category(code).label)
    except ValueError:
        return code


@register.filter
def recurrence_label(code: str) -> str:
    try:
        return str(Recurrence(code).label)
    except ValueError:
        return code
