"""The words a person agrees to, by version, and what a service is shown once they agree.

A referral records the version that was shown (`Referral.consent_wording_version`, and
`ReferralConsent.wording_version` for a consent to one service), so that what someone agreed to
can always be read again. Never edit a published wording: add a new version and make it the
current one. A coordinator who records consent given by phone or in person reads the current
wording to the person; its version is stored the same way.
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

# Consent to one service (issue 14): the service is named, the fields shared are listed.
SERVICE_CONSENT_WORDINGS = {
    "2026-12": _(
        "I agree that Tandem passes to %(service)s the following, so that it contacts me: "
        "%(fields)s. Nothing else is shared (not my notes, my care diary or my messages). I "
        "can withdraw my agreement, or ask not to be contacted, at any time, online or "
        "through a coordinator; the service then loses access at once."
    ),
}
CURRENT_SERVICE_CONSENT_VERSION = "2026-12"

# The minimal summary a service receives (carers.serializers_referrals.partner_referral_as_dict
# writes exactly these): who, how to reach them, in which language, where, and why.
SHARED_FIELD_LABELS = {
    "display_name": _("your name"),
    "contact": _("your e-mail address or phone number"),
    "language": _("your language"),
    "municipality": _("your municipality and postcode"),
    "reasons": _("why the coordinator thinks the service can help (the reasons listed)"),
}
SHARED_FIELDS = tuple(SHARED_FIELD_LABELS)


def consent_wording(version: str = CURRENT_CONSENT_VERSION) -> str:
    """The wording of `version`, in the active language."""
    return str(CONSENT_WORDINGS[version])


def service_consent_wording(
    *, service_name: str, version: str = CURRENT_SERVICE_CONSENT_VERSION
) -> str:
    """The wording of a consent to one service, naming it and the fields shared, in the
    active language."""
    fields = ", ".join(str(label) for label in SHARED_FIELD_LABELS.values())
    return str(SERVICE_CONSENT_WORDINGS[version]) % {"service": service_name, "fields": fields}
