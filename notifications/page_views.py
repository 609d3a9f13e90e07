"""Notification pages (server-rendered, no JavaScript needed): the inbox, the person's settings
(which kinds by e-mail and push, the daily digest, quiet hours), and the one-click unsubscribe
address that e-mails name in List-Unsubscribe (RFC 8058)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.api_errors import DomainError
from notifications import selectors, services
from notifications.forms import NotificationSettingsForm


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    language = get_language()
    notifications = [
        selectors.notification_payload(notification=row, language=language)
        for row in selectors.notifications_of(user=request.user)
    ]
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.channel_settings_of(user_id=request.user.pk)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        kinds=selectors.kinds_for_roles(roles=request.user.roles),
        current=current,
    )
    if request.method == "POST":
        if form.is_valid():
            services.notification_settings_update(user=request.user, changes=form.changes())
            return redirect(f"{reverse('notifications:settings')}?saved=1")
        return render(request, "notifications/settings.html", {"form": form}, status=400)
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "saved": request.GET.get("saved") == "1"},
    )


# The mail client's one-click POST carries no CSRF token and no session (RFC 8058 §3.1); the
# signed token is the proof. GET only shows the button: link checkers and mail scanners open
# links, and must not unsubscribe anybody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token, "done": False})
    try:
        services.unsubscribe_by_token(token=token)
    except DomainError:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"token": token, "done": False, "invalid": True},
            status=400,
        )
    return render(request, "notifications/unsubscribe.html", {"token": token, "done": True})
