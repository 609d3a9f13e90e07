"""The access log in words, in the reader's language: "Cora, coordinator, read your referral
on 3 March 2026"."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessKind, AccessRecord

# The roles a reader may act in. Codes not listed here are shown as they are.
ROLE_LABELS = {
    "coordinator": gettext_lazy("coordinator"),
    "service_worker": gettext_lazy("worker of a partner service"),
    "staff": gettext_lazy("Tandem staff"),
}


def role_text(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def what_text(what: str) -> str:
    try:
        return str(AccessKind(what).label)
    except ValueError:
        return what


def access_sentence(record: AccessRecord, *, language: str | None = None) -> str:
    """One row as a sentence, in `language` (else the active one), with the local date."""
    with translation.override(language or translation.get_language()):
        day = formats.date_format(timezone.localtime(record.at), "DATE_FORMAT")
        who = record.reader_name or _("Someone")
        if record.organisation:
            who = _("%(name)s (%(organisation)s)") % {
                "name": who,
                "organisation": record.organisation,
            }
        return _("%(who)s, %(role)s, read %(what)s on %(date)s.") % {
            "who": who,
            "role": role_text(record.reader_role),
            "what": what_text(record.what),
            "date": day,
        }
