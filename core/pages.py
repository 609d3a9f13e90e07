"""Page helpers every app's web pages share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden_page(request: HttpRequest) -> HttpResponse:
    """The plain 403 page of the coordinator pages."""
    return render(request, "core/forbidden.html", status=403)
