"""Who may open the carers' pages: coordinators, and partner services' workers."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from directory.selectors import service_of_worker


def coordinator_required(view):
    """Anonymous visitors log in first; signed-in people who are not coordinators get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_coordinator:
            return render(request, "carers/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def service_worker_page(view):
    """Anonymous visitors log in first; signed-in people who are not a partner service's
    worker get a 403 page. The view receives the worker's service as `service`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        service = service_of_worker(user=request.user)
        if service is None:
            return render(request, "carers/partner_forbidden.html", status=403)
        return view(request, *args, service=service, **kwargs)

    return wrapper
