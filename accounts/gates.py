"""What a signed-in person must do before using Tandem: pass the second factor (coordinators,
when required) and accept a changed privacy notice.

The web (accounts.middleware.AccountGatesMiddleware) sends them to the page that does it; the
API (accounts.authentication) answers with a code. Both ask this module.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.second_factor import second_factor_enrolled, second_factor_required

MFA_REQUIRED = "mfa_required"
PRIVACY_NOTICE_NOT_ACCEPTED = "privacy_notice_not_accepted"


def second_factor_missing(*, user: User, session_verified: bool | None) -> bool:
    """Whether `user` must pass a second factor they have not passed.

    `session_verified` is django-otp's answer for a session (None for an API token: a token is
    only given with a code once a device is enrolled, and enrolling deletes older tokens, so a
    token of an enrolled person was given with a code).
    """
    if not second_factor_required(user=user):
        return False
    if session_verified is None:
        return not second_factor_enrolled(user=user)
    return not session_verified


def privacy_notice_to_accept(*, user: User, never_accepted_counts: bool) -> bool:
    """Whether `user` must accept the current privacy notice before going on.

    Someone who accepted an earlier version always must. Someone who never accepted any (an
    account made through API v1 without the field) must on the web only: the API lets them on,
    so that the contract's register-then-use flow keeps working (docs/SECURITY.md).
    """
    if user.privacy_notice_version == PRIVACY_NOTICE_VERSION:
        return False
    return bool(user.privacy_notice_version) or never_accepted_counts


def mfa_required_detail() -> str:
    return _(
        "A one-time code is needed: give the code of your authenticator app (or a recovery "
        "code). If you have not set one up yet, do it on the website, page “My account”."
    )


def privacy_notice_detail() -> str:
    return _(
        "The privacy notice has changed: read the current version and accept it "
        "(POST /api/me/privacy-notice/) before going on."
    )
