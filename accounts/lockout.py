"""Brute-force lockout (django-axes): who is counted, and what a locked-out person sees."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a sign-in attempt is for, as axes counts it (AXES_USERNAME_CALLABLE).

    Reads `email` (what the API and our services pass) or `username` (what Django's
    AuthenticationForm passes), and compares addresses trimmed and in lower case, as they
    are stored: otherwise "Ann@x.be" and "ann@x.be" would be counted as two accounts and
    double the attempts allowed.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        form = getattr(request, "POST", {})
        value = form.get("email") or form.get("username")
    if not isinstance(value, str):
        return None
    return value.strip().lower()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with Retry-After: JSON `{"code": "locked_out", "detail"}` under /api/, else a page.

    axes calls this (AXES_LOCKOUT_CALLABLE) from AxesMiddleware with (request,
    original_response, credentials) when an attempt hits or meets the lockout.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, seconds // 60)
    detail = _("Too many failed attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "detail": detail}, status=429)
    else:
        response = render(request, "frontend/locked_out.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(seconds)
    return response
