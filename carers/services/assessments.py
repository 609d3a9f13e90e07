"""Writes for the carer self-assessment: running it, the consent to be contacted, erasure."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from carers.consent import CURRENT_CONSENT_VERSION
from carers.engine import evaluate
from carers.models import Assessment, Referral
from carers.services.referrals import referral_open_for_assessment
from core.api_errors import DomainError


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
    carers.outcome_texts renders it. With `contact_consent`, a referral is opened for the
    coordinators (the current consent wording, carers.consent).
    """
    outcome = evaluate(answers)
    kept_contact = {key: value for key, value in (contact or {}).items() if value}
    assessment = Assessment.objects.create(
        answers=answers,
        outcome=outcome.as_dict(),
        rules_version=outcome.rules_version,
        language=language,
        postcode=postcode or "",
        user=user if user is not None and user.is_authenticated else None,
        contact_consent=contact_consent,
        contact=kept_contact if contact_consent else {},
    )
    # With consent to be contacted, the coordinators get a referral (issue 5, item 5).
    referral_open_for_assessment(assessment=assessment)
    return assessment


def assessments_erase_for_user(*, user) -> int:
    """Detach a person's assessments from them and drop their contact details.

    For account deletion: the answers stay, anonymous, as any anonymous run would; nothing left
    points to the person. Returns how many assessments were changed.
    """
    return Assessment.objects.filter(user=user).update(user=None, contact={}, contact_consent=False)


@transaction.atomic
def assessment_record_consent(
    *,
    assessment: Assessment,
    contact: dict[str, str],
    consent_wording_version: str = CURRENT_CONSENT_VERSION,
) -> Referral:
    """The person agrees, after seeing their result, to be contacted: keep their contact
    details on the assessment and open the referral. `contact` needs an email or a phone."""
    kept_contact = {key: value for key, value in contact.items() if value}
    if not kept_contact:
        raise DomainError("contact_required", _("An email address or a phone number is needed."))
    assessment.contact_consent = True
    assessment.contact = kept_contact
    assessment.save(update_fields=["contact_consent", "contact"])
    return referral_open_for_assessment(
        assessment=assessment, consent_wording_version=consent_wording_version
    )
