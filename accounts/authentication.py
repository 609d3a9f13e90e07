"""DRF's token and session authentication, with the account gates (accounts/gates.py).

A coordinator who must use a second factor and has not → 401 {"code": "mfa_required"}; a
person who accepted an earlier privacy notice → 403 {"code": "privacy_notice_not_accepted"},
except on the views that let them read, export or erase their account or accept the notice
(views with `privacy_notice_exempt = True`).
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException

from accounts import gates


class AccountGateRefusal(APIException):
    """Not a NotAuthenticated, on purpose: DRF would turn a 401 of a session into a 403."""

    def __init__(self, *, code: str, detail: str, status_code: int):
        super().__init__({"code": code, "detail": detail})
        self.status_code = status_code


def _check_gates(request, user, *, session_verified: bool | None) -> None:
    if gates.second_factor_missing(user=user, session_verified=session_verified):
        raise AccountGateRefusal(
            code=gates.MFA_REQUIRED,
            detail=gates.mfa_required_detail(),
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(view, "privacy_notice_exempt", False):
        return
    if gates.privacy_notice_to_accept(user=user, never_accepted_counts=False):
        raise AccountGateRefusal(
            code=gates.PRIVACY_NOTICE_NOT_ACCEPTED,
            detail=gates.privacy_notice_detail(),
            status_code=status.HTTP_403_FORBIDDEN,
        )


class GatedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _check_gates(request, result[0], session_verified=None)
        return result


class GatedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            # OTPMiddleware put is_verified() on the session's user.
            http_user = request._request.user
            verified = bool(getattr(http_user, "is_verified", lambda: False)())
            _check_gates(request, result[0], session_verified=verified)
        return result


# The OpenAPI schema describes them as DRF's own token and session schemes (drf-spectacular
# registers an extension when its class is defined, here with the authentication classes).
class GatedTokenScheme(TokenScheme):
    target_class = "accounts.authentication.GatedTokenAuthentication"


class GatedSessionScheme(SessionScheme):
    target_class = "accounts.authentication.GatedSessionAuthentication"
