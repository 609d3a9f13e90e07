"""The closed loop in words, for pages: a referral's statuses, the reasons a service declines,
the outcomes it closes with, and each step as a line ("3 March 2026, 10:12 — Accepted by the
service — CPAS de Namur"). Labels come from the models' choices, in the active language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from carers.models import ClosingOutcome, DeclineReason, ReferralStatus

# Step reasons that are neither a decline reason nor an outcome (carers.services.loop).
OTHER_STEP_REASONS = {"consent_withdrawn": _("the agreement was withdrawn")}


def status_label(status: str) -> str:
    try:
        return str(ReferralStatus(status).label)
    except ValueError:
        return status


def reason_label(code: str | None) -> str:
    """A decline reason's, a closing outcome's or another step reason's label; '' for none."""
    if not code:
        return ""
    for choices in (DeclineReason, ClosingOutcome):
        if code in choices.values:
            return str(choices(code).label)
    return str(OTHER_STEP_REASONS.get(code, code))


def when(value: str | datetime | None) -> datetime | None:
    """A time written by the API's shapes (ISO text) back as a datetime for the templates."""
    if value is None or isinstance(value, datetime):
        return value
    return parse_datetime(value)


def step_lines(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps of a referral as the API's shapes write them (carers.serializers_referrals.
    step_as_dict), with their labels: what a page shows of each."""
    return [
        {
            "at": when(step["at"]),
            "status": step["status"],
            "status_label": status_label(step["status"]),
            "service": (step.get("service") or {}).get("name", ""),
            "reason": reason_label(step.get("reason")),
            "note": step.get("note", ""),
        }
        for step in steps
    ]
