"""The person's own account page: download all their data, or erase the account.

Included at "" by config/urls.py (accounts/page_urls.py). The work is done by
accounts.services.user_data_export and user_erase, exactly as for the API.
"""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import services


@login_required
@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    """What the person can do with their data."""
    return render(request, "accounts/account.html")


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
        return render(request, "accounts/account.html", {"delete_errors": errors}, status=400)
    logout(request)
    return redirect("frontend:home")
