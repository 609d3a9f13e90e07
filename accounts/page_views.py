"""The person's own account page: download all their data, or erase the account.

Included at "" by config/urls.py (accounts/page_urls.py). The work is done by
accounts.services.user_data_export and user_erase, exactly as for the API.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import gates, services
from accounts.forms import (
    EmailChangeForm,
    NewPasswordForm,
    OneTimeCodeForm,
    PasswordChangeForm,
    PasswordResetForm,
    PrivacyNoticeAcceptForm,
)
from accounts.models import User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.second_factor import (
    recovery_codes_left,
    recovery_codes_replace,
    second_factor_enrolled,
    second_factor_enrolled_device,
    second_factor_required,
    second_factor_verify,
    totp_enrolment_confirm,
    totp_enrolment_device,
    totp_qr_svg,
    totp_secret_text,
)
from accounts.selectors import account_link_base
from audit.selectors import access_log_of
from audit.texts import access_sentence
from core import events
from core.rate_limits import rate_limit_hit

# Someone who has just proved who they are some other way (sign-up): axes has nothing to count.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The account page shows this many reads of the person's data; the export and the API hold more.
ACCESS_LOG_SHOWN = 50


def safe_next_url(request: HttpRequest, candidate: str) -> str:
    """`candidate` if it is a page of this site, else the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@login_required
@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    """What the person can do with their account and their data."""
    return render(request, "accounts/account.html", _account_context(request))


@login_required
@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    """All the person's data as a JSON file to save."""
    data = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tandem-my-data.json"'
    return response


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    """Erase the account once the password is confirmed, then sign out."""
    try:
        services.user_erase(user=request.user, password=request.POST.get("password", ""))
    except ValidationError as error:
        errors = error.message_dict.get("password", error.messages)
        context = _account_context(request, delete_errors=errors)
        return render(request, "accounts/account.html", context, status=400)
    logout(request)
    return redirect("frontend:home")


# --- Recovery, verification, second factor, privacy notice (issue 15) -----------------------


def _rate_limited_page(request, template: str, context: dict, refusal) -> HttpResponse:
    context["form"].add_error(None, refusal.detail)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Asks for the address; the next page says the same whether an account uses it or not."""
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        refusal = rate_limit_hit(request=request, action="password_reset")
        if refusal is not None:
            return _rate_limited_page(
                request, "accounts/password_reset.html", {"form": form}, refusal
            )
        if form.is_valid():
            services.password_reset_request(
                email=form.cleaned_data["email"],
                link_base=account_link_base(request=request),
                language=request.LANGUAGE_CODE,
            )
            return redirect("account_pages:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    """The page a reset link opens: a new password, once. Opening the link changes nothing
    (mail scanners open links too); only sending the form does."""
    source = request.POST if request.method == "POST" else request.GET
    uid, token = source.get("uid", ""), source.get("token", "")
    try:
        user = services.password_reset_user(uid=uid, token=token)
    except ValidationError:
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        refusal = rate_limit_hit(request=request, action="password_reset")
        if refusal is not None:
            context = {"form": form, "uid": uid, "token": token}
            return _rate_limited_page(
                request, "accounts/password_reset_confirm.html", context, refusal
            )
        if form.is_valid():
            try:
                services.password_reset_confirm(
                    uid=uid, token=token, new_password=form.cleaned_data["new_password"]
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if request.user.is_authenticated:
                    logout(request)
                messages.success(request, _("Your password is changed. You can sign in now."))
                return redirect("frontend:login")
    status = 400 if form.errors else 200
    context = {"form": form, "uid": uid, "token": token, "email": user.email}
    return render(request, "accounts/password_reset_confirm.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def verify_email(request: HttpRequest) -> HttpResponse:
    """The page a verification link opens: one button confirms the address."""
    key = (request.POST if request.method == "POST" else request.GET).get("key", "")
    if request.method == "POST":
        refusal = rate_limit_hit(request=request, action="account_email")
        try:
            if refusal is not None:
                raise ValidationError({"key": [refusal.detail]})
            services.email_verify(key=key)
        except ValidationError as error:
            errors = error.message_dict.get("key", error.messages)
            return render(
                request, "accounts/verify_email.html", {"key": key, "errors": errors}, status=400
            )
        messages.success(request, _("Thank you: your email address is confirmed."))
        return redirect(
            "account_pages:account" if request.user.is_authenticated else "frontend:login"
        )
    return render(request, "accounts/verify_email.html", {"key": key})


def _account_context(request: HttpRequest, **forms) -> dict:
    user = request.user
    return {
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "email_form": forms.get("email_form") or EmailChangeForm(),
        "two_step_enabled": second_factor_enrolled(user=user),
        "recovery_codes_left": recovery_codes_left(user=user),
        # Who read the person's sensitive data (the audit app), newest first, in words.
        "access_log": [
            {"record": record, "sentence": access_sentence(record)}
            for record in access_log_of(subject=user, limit=ACCESS_LOG_SHOWN)
        ],
        # What the apps above add (carers: the person's referrals and their steps).
        **events.account_page_showing.send(user=user),
        **{key: value for key, value in forms.items() if not key.endswith("_form")},
    }


@login_required
@require_POST
def account_password(request: HttpRequest) -> HttpResponse:
    """Changes the password; other sessions and API tokens end, this session stays."""
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        try:
            services.password_change(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed. Other devices are signed out."))
            return redirect("account_pages:account")
    return render(
        request, "accounts/account.html", _account_context(request, password_form=form), status=400
    )


@login_required
@require_POST
def account_email(request: HttpRequest) -> HttpResponse:
    """Asks to change the address: a link goes to the new one, a notice to the old one."""
    form = EmailChangeForm(request.POST)
    refusal = rate_limit_hit(request=request, action="account_email")
    if refusal is not None:
        form.add_error(None, refusal.detail)
    elif form.is_valid():
        try:
            services.email_change_request(
                user=request.user, link_base=account_link_base(request=request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _(
                    "Open the link we sent to your new address to confirm it. Until then you "
                    "sign in with your current address."
                ),
            )
            return redirect("account_pages:account")
    return render(
        request, "accounts/account.html", _account_context(request, email_form=form), status=400
    )


@login_required
@require_POST
def account_verification_resend(request: HttpRequest) -> HttpResponse:
    refusal = rate_limit_hit(request=request, action="account_email")
    if refusal is not None:
        messages.error(request, refusal.detail)
    else:
        services.email_verification_send(
            user=request.user, link_base=account_link_base(request=request)
        )
        messages.success(request, _("We have sent a new link. Look in your mailbox."))
    return redirect("account_pages:account")


@login_required
@require_POST
def account_logout_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends every session and API token of the account, this one included."""
    services.user_sessions_revoke(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("frontend:login")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_step(request: HttpRequest) -> HttpResponse:
    """Sets up the authenticator app (a QR code and the code it shows), or shows that it is on
    and offers new recovery codes."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if second_factor_enrolled(user=user) and user.is_verified():
        return render(
            request,
            "accounts/two_step_on.html",
            {"recovery_codes_left": recovery_codes_left(user=user)},
        )
    if second_factor_enrolled(user=user):
        # Enrolled, but this session did not pass the code (the gate signs it out first).
        return redirect_to_login(request.get_full_path())
    device = totp_enrolment_device(user=user)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = totp_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("This code is not right. Type the code your app shows now."))
        else:
            # Other sessions and tokens were opened without the code: they end; this one is
            # verified by the code just typed.
            services.user_sessions_revoke(user=user)
            update_session_auth_hash(request, user)
            otp_login(request, second_factor_enrolled_device(user=user))
            context = {"codes": codes, "next": safe_next_url(request, next_url)}
            return render(request, "accounts/two_step_codes.html", context)
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(device=device),
        "secret": totp_secret_text(device=device),
        "next": next_url,
        "required": second_factor_required(user=user),
    }
    return render(
        request, "accounts/two_step_setup.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def two_step_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after the password is confirmed."""
    user = request.user
    if not (second_factor_enrolled(user=user) and user.is_verified()):
        return redirect("account_pages:two-step")
    if not user.check_password(request.POST.get("password", "")):
        context = {
            "recovery_codes_left": recovery_codes_left(user=user),
            # Who read the person's sensitive data (the audit app), newest first, in words.
            "access_log": [
                {"record": record, "sentence": access_sentence(record)}
                for record in access_log_of(subject=user, limit=ACCESS_LOG_SHOWN)
            ],
            "password_errors": [_("This password is not correct.")],
        }
        return render(request, "accounts/two_step_on.html", context, status=400)
    codes = recovery_codes_replace(user=user)
    return render(request, "accounts/two_step_codes.html", {"codes": codes, "next": "/"})


def after_login_page(request: HttpRequest, user, next_url: str) -> HttpResponse:
    """Where a person goes once signed in: the privacy notice first if they have not accepted
    its current version (changed since, or never accepted), then `next_url`."""
    next_url = safe_next_url(request, next_url)
    if gates.privacy_notice_to_accept(user=user, never_accepted_counts=True):
        return redirect(
            f"{reverse('account_pages:privacy-accept')}?{urlencode({'next': next_url})}"
        )
    return redirect(next_url)


# The sign-in waiting for its second step: who, since when (the page at /login/ sets it).
TWO_STEP_PENDING_SESSION_KEY = "accounts_two_step_pending"
TWO_STEP_PENDING_SECONDS = 300


def login_second_step_begin(request: HttpRequest, user, next_url: str) -> HttpResponse:
    """Called by the sign-in page once the password is right for someone with an
    authenticator: nobody is signed in yet; the code page finishes the sign-in."""
    request.session[TWO_STEP_PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", MODEL_BACKEND),
        "at": time.time(),
    }
    return redirect(f"{reverse('account_pages:login-code')}?{urlencode({'next': next_url})}")


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code of the authenticator app, or a recovery code."""
    pending = request.session.get(TWO_STEP_PENDING_SESSION_KEY) or {}
    next_url = request.POST.get("next") or request.GET.get("next", "")
    user = None
    if pending and time.time() - pending.get("at", 0) < TWO_STEP_PENDING_SECONDS:
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(TWO_STEP_PENDING_SESSION_KEY, None)
        messages.error(request, _("Sign in again: the time to type the code has run out."))
        return redirect("frontend:login")
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                _("This code is not right. Type the code your app shows now, or a recovery code."),
            )
        else:
            request.session.pop(TWO_STEP_PENDING_SESSION_KEY, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return after_login_page(request, user, next_url)
    context = {"form": form, "next": next_url}
    return render(request, "accounts/login_code.html", context, status=400 if form.errors else 200)


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy_notice.html", _privacy_context())


def _privacy_context() -> dict:
    return {
        "version": PRIVACY_NOTICE_VERSION,
        "controller": settings.PRIVACY_CONTROLLER,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def privacy_accept(request: HttpRequest) -> HttpResponse:
    """Asks a signed-in person to accept the current privacy notice (a changed one, or one they
    never accepted); refusing leaves them free to download their data or erase their account."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = PrivacyNoticeAcceptForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.privacy_notice_accept(
            user=request.user, version=PRIVACY_NOTICE_VERSION, language=request.LANGUAGE_CODE
        )
        return redirect(safe_next_url(request, next_url))
    context = {**_privacy_context(), "form": form, "next": next_url}
    return render(
        request, "accounts/privacy_accept.html", context, status=400 if form.errors else 200
    )
