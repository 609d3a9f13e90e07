"""Writes for the carers app."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from carers.engine import evaluate
from carers.models import Assessment


@transaction.atomic
def assessment_create(
    *,
    answers: dict[str, Any],
    language: str,
    postcode: str = "",
    contact_consent: bool = False,
    contact: dict[str, str] | None = None,
    user=None,
) -> Assessment:
    """Evaluate `answers` (the contract's `carer` and `cared_for` objects) and store the run.

    Contact details are kept only when the person agreed to be contacted; otherwise they are
    dropped here, whatever the caller passed. The stored outcome is language-neutral (codes);
    carers.messages renders it.
    """
    outcome = evaluate(answers)
    kept_contact = {key: value for key, value in (contact or {}).items() if value}
    return Assessment.objects.create(
        answers=answers,
        outcome=outcome.as_dict(),
        rules_version=outcome.rules_version,
        language=language,
        postcode=postcode or "",
        user=user if user is not None and user.is_authenticated else None,
        contact_consent=contact_consent,
        contact=kept_contact if contact_consent else {},
    )


def assessments_erase_for_user(*, user) -> int:
    """Detach a person's assessments from them and drop their contact details.

    For account deletion: the answers stay, anonymous, as any anonymous run would; nothing left
    points to the person. Returns how many assessments were changed.
    """
    return Assessment.objects.filter(user=user).update(
        user=None, contact={}, contact_consent=False
    )
