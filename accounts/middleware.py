"""Serve each signed-in person in the language they chose, unless they ask for another one;
hold them at the account gates (second factor, privacy notice) on pages."""

from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from accounts import gates
from accounts.second_factor import second_factor_enrolled


class UserLanguageMiddleware:
    """Runs after authentication. `?lang=` and the language switcher (cookie) still win."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        explicit_choice = getattr(request, "explicit_language", False)
        if user is not None and user.is_authenticated and not explicit_choice and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# Pages a person held at a gate may still open: the gates themselves, signing out, the
# language, the privacy notice, their own account's data (export, erasure), static files.
GATE_FREE_PREFIXES = (
    "/account/two-step/",
    "/login/",
    "/logout/",
    "/language/",
    "/i18n/",
    "/privacy/",
    "/static/",
    "/healthz",
    "/account/export/",
    "/account/delete/",
    "/password-reset/",
    "/verify-email/",
)
# Before accepting a changed privacy notice, the whole account page too: refusing it must leave
# the person free to change their password, export their data or erase the account.
PRIVACY_GATE_FREE_PREFIXES = (*GATE_FREE_PREFIXES, "/account/")


class AccountGatesMiddleware:
    """Pages only (the API answers with codes, accounts/authentication.py); runs after
    django-otp's OTPMiddleware.

    - A person who must pass a second factor and has not: to the set-up page if they have no
      authenticator yet (a coordinator newly required to), else signed out and back to the
      sign-in page, which asks for the code (a session older than their authenticator).
    - A person who accepted an earlier privacy notice: to the page that asks them again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is None
            or path.startswith("/api/")
            or path.startswith(GATE_FREE_PREFIXES)
            or not user.is_authenticated
        ):
            return self.get_response(request)
        verified = bool(getattr(user, "is_verified", lambda: False)())
        if gates.second_factor_missing(user=user, session_verified=verified):
            if second_factor_enrolled(user=user):
                logout(request)
                return redirect_to_login(request.get_full_path())
            return redirect(f"{reverse('account_pages:two-step')}?{urlencode({'next': path})}")
        # Someone who accepted an earlier notice, whose session was open when it changed; signing
        # in asks everyone who has not accepted the current one (after_login_page).
        if not path.startswith(PRIVACY_GATE_FREE_PREFIXES) and gates.privacy_notice_to_accept(
            user=user, never_accepted_counts=False
        ):
            return redirect(
                f"{reverse('account_pages:privacy-accept')}?{urlencode({'next': path})}"
            )
        return self.get_response(request)
