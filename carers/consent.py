"""The words a person agrees to when they ask to be contacted, by version.

A referral records the version that was shown (`Referral.consent_wording_version`), so that
what someone agreed to can always be read again. Never edit a published wording: add a new
version and make it the current one. A coordinator who records consent given by phone or in
person reads the current wording to the person; its version is stored the same way.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_WORDINGS = {
    "2025-01": _(
        "I agree that a Tandem coordinator contacts me by email or phone about support for "
        "carers, and may pass my answers and contact details to a service that can help me, "
        "such as the CPAS of my municipality. Tandem keeps them for this only. I can withdraw "
        "my agreement at any time by asking the coordinator."
    ),
}
CURRENT_CONSENT_VERSION = "2025-01"


def consent_wording(version: str = CURRENT_CONSENT_VERSION) -> str:
    """The wording of `version`, in the active language."""
    return str(CONSENT_WORDINGS[version])
