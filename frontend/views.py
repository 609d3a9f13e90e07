"""Web pages. Each view parses its form, calls one service, then renders or redirects."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts.models import Language
from accounts.page_views import after_login_page, login_second_step_begin
from accounts.second_factor import second_factor_enrolled
from accounts.selectors import account_link_base
from accounts.services import (
    email_verification_send,
    user_authenticate,
    user_register,
    user_update,
)
from carers.models import ReferralStatus
from core.rate_limits import rate_limit_hit
from frontend.forms import LoginForm, SignupForm
from frontend.person_home import person_home_context

# A person who has just signed up has proved nothing to axes: log them in directly.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _remember_language(response: HttpResponse, language: str) -> None:
    """Sets the language cookie, as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _landing_page(user) -> str:
    """Where signing in leads when no page was asked for: a partner service's worker straight
    to their service's referrals, everyone else to their home."""
    if user.is_service_worker:
        return reverse("carers:partner-referrals")
    return ""


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """A stranger sees what Tandem is; a signed-in person sees what waits for them
    (frontend/person_home.py)."""
    if not request.user.is_authenticated:
        return render(request, "frontend/home.html")
    context = person_home_context(user=request.user)
    if context["coordinator"] is not None:
        counts = context["coordinator"]["referrals"]
        context["referral_counts"] = [
            (status, label, counts.get(status, 0)) for status, label in ReferralStatus.choices
        ]
    return render(request, "frontend/person_home.html", context)


def _signup_context(form: SignupForm) -> dict:
    return {"form": form, "privacy_controller": settings.PRIVACY_CONTROLLER}


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST if request.method == "POST" else None)
    # Counted with the API's registrations (core/rate_limits.py).
    refusal = rate_limit_hit(request=request, action="registration") if form.is_bound else None
    if refusal is not None:
        form.add_error(None, refusal.detail)
        response = render(request, "frontend/signup.html", _signup_context(form), status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        del data["privacy_notice"]  # the box; the version says what was accepted
        try:
            user = user_register(**data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            email_verification_send(user=user, link_base=account_link_base(request=request))
            login(request, user, backend=MODEL_BACKEND)
            response = redirect("frontend:home")
            # The site continues in the language they chose in the form.
            _remember_language(response, user.language)
            return response
    return render(request, "frontend/signup.html", _signup_context(form))


@require_http_methods(["GET", "HEAD", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Through django.contrib.auth.authenticate: axes counts the failure and, once the
        # account is locked out for this address, its middleware answers with the lockout page
        # (accounts.lockout.lockout_response) whatever this view returns.
        user = user_authenticate(
            request=request,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        if user is not None and not next_url:
            next_url = _landing_page(user)
        if user is not None and second_factor_enrolled(user=user):
            # The password is right; the code page finishes signing in.
            return login_second_step_begin(request, user, _safe_next(request, next_url))
        if user is not None:
            # A coordinator who must use a second factor and has none yet is sent to set it up
            # by accounts.middleware.AccountGatesMiddleware before any other page.
            login(request, user)
            return after_login_page(request, user, _safe_next(request, next_url))
        form.add_error(None, _("This email address and password do not match an account."))
    return render(request, "frontend/login.html", {"form": form, "next": next_url})


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("frontend:home")


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, redirect), and the choice saved for a signed-in person,
    so that it follows them to their other devices."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in Language.values and language != user.language:
        user_update(user=user, language=language)
    return response
