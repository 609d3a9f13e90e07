"""The words a person agrees to when they ask to be contacted, by version.

A referral records the version that was shown (`Referral.consent_wording_version`), so that
what someone agreed to can always be read again. Never edit a published wording: add a new
version and point CURRENT_CONSENT_VERSION to it.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_WORDINGS = {
    "2025-01": _(
        "I agree that a Tandem coordinator contacts me by email or phone about support for "
        "carers. Tandem keeps my answers and contact details for this only. The coordinator "
        "passes my details to a service (a CPAS, for example) only if I agree to it then. I can "
        "withdraw my agreement at any time by asking the coordinator."
    ),
}
CURRENT_CONSENT_VERSION = "2025-01"

# Used when a coordinator records consent given by phone or in person: they read the current
# wording to the person, and the version is stored the same way.


def consent_wording(version: str = CURRENT_CONSENT_VERSION) -> str:
    """The wording of `version`, in the active language."""
    return str(CONSENT_WORDINGS[version])
