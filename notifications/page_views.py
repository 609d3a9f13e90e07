"""Notification pages (server-rendered, no JavaScript needed): the inbox, and the one-click
unsubscribe address that e-mails name in List-Unsubscribe (RFC 8058)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.api_errors import DomainError
from notifications import selectors, services


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
