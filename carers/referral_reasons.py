"""Referral reasons (codes and parameters) → text in the reader's language.

A referral stores its reasons as `[{"code", "params"}]`, never as sentences: a coordinator reading
in Dutch sees Dutch even when the person wrote their request in French. Reasons from the
help-request signal are `signal.<code>` (the codes of detection.carer_situation.REASONS, rendered
by its `reason_text`); `legacy_text` holds a sentence stored before codes were (migration 0003),
shown as it was written.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from carers.models import ConcernKind
from detection.carer_situation import reason_text

# The reasons of a help request's carer signal: this prefix, then the detector's reason code.
SIGNAL_PREFIX = "signal."
# A reason stored as a sentence before reasons were codes; its `params` hold {"text"}.
LEGACY_TEXT = "legacy_text"

STATUS_WORDS = {
    "likely": _("likely"),
    "unlikely": _("unlikely"),
    "incomplete": _("not settled yet"),
    "": _("not settled yet"),
}

MESSAGES = {
    "assessment.outcome": _(
        "Self-assessment: general recognition %(general)s, recognition with social rights "
        "%(social_rights)s."
    ),
    "assessment.contact_requested": _("The person asked to be contacted."),
    "concern": _("A helper is worried about the person they help: %(kind)s."),
    "manual": _("Entered by a coordinator."),
    "signal": _("Signs of a carer situation in the help request."),
}


def render_reason(reason: dict[str, Any], *, language: str) -> str:
    """One reason as a sentence in `language` (the reader's, not the requester's)."""
    code = str(reason.get("code", ""))
    params = dict(reason.get("params") or {})
    with translation.override(language):
        if code == "assessment.outcome":
            words = {
                name: str(STATUS_WORDS.get(params.get(name, ""), params.get(name, "")))
                for name in ("general", "social_rights")
            }
            return str(MESSAGES[code]) % words
        if code == "concern":
            kind = params.get("kind", "")
            label = ConcernKind(kind).label if kind in ConcernKind.values else kind
            return str(MESSAGES[code]) % {"kind": str(label).lower()}
        if code.startswith(SIGNAL_PREFIX):
            try:
                return reason_text(code.removeprefix(SIGNAL_PREFIX), params)
            except (KeyError, TypeError, ValueError):
                # A code the detector no longer has: say where the reason came from.
                return str(MESSAGES["signal"])
        if code == LEGACY_TEXT:
            return str(params.get("text", ""))
        if code in MESSAGES:
            return str(MESSAGES[code])
        return code


def render_reasons(reasons: list[dict[str, Any]], *, language: str) -> list[dict[str, Any]]:
    """Reasons as the API shows them: {code, params, text}."""
    return [
        {
            "code": reason.get("code", ""),
            "params": reason.get("params") or {},
            "text": render_reason(reason, language=language),
        }
        for reason in reasons or []
    ]
