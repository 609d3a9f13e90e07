"""Referral reasons (codes and parameters) → text in the reader's language.

Reasons from the help-request signal (carers.signals) carry their own codes; if that module
offers `render_reason(reason, language=...)` it is used, otherwise the text the signal gave
when the request was written is shown as it is.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from carers.models import ConcernKind

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


def _signal_renderer():
    try:
        module = importlib.import_module("carers.signals")
    except ImportError:
        return None
    return getattr(module, "render_reason", None)


def render_reason(reason: dict[str, Any], *, language: str) -> str:
    """One reason as a sentence in `language`."""
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
        if code in MESSAGES and code != "signal":
            return str(MESSAGES[code])
        renderer = _signal_renderer()
        if renderer is not None:
            try:
                rendered = renderer(reason, language=language)
            except (KeyError, TypeError, ValueError):
                rendered = None
            if rendered:
                return str(rendered)
        return str(reason.get("text") or MESSAGES["signal"])


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
