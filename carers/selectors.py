"""Reads for the carers app."""

from __future__ import annotations

from typing import Any

from carers.models import Assessment


def services_for_postcode(postcode: str | None) -> list[dict[str, Any]]:
    """Local services that can help a carer living at `postcode`, in the API's service shape.

    Each entry is shaped like an item of `GET /api/services/` (CONTRACT.md, "Carers and
    referrals"): `{id, kind, name, municipality, address?, phone?, email?, website?,
    languages, source}`. The service directory itself (CPAS/OCMW/ÖSHZ, CASD and others, each
    with its source) comes with issue 5, item 6; until it exists this returns an empty list,
    and the assessment answers with `"services": []`.
    """
    return []


def assessments_export_for_user(*, user) -> list[dict[str, Any]]:
    """A person's own assessments, for the export of all their data (`GET /api/me/export/`)."""
    return [
        {
            "id": assessment.pk,
            "created_at": assessment.created_at.isoformat(),
            "language": assessment.language,
            "postcode": assessment.postcode,
            "rules_version": assessment.rules_version,
            "answers": assessment.answers,
            "outcome": {
                "general": assessment.outcome.get("general", {}).get("status"),
                "social_rights": assessment.outcome.get("social_rights", {}).get("status"),
            },
            "contact_consent": assessment.contact_consent,
            "contact": assessment.contact,
        }
        for assessment in Assessment.objects.filter(user=user).order_by("created_at", "pk")
    ]
