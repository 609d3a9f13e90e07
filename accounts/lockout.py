"""What a locked-out person sees: 429 with the time to wait, in their language."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    detail = _("Too many failed attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}
    headers = {"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429, headers=headers)
    response = render(request, "frontend/locked_out.html", {"detail": detail}, status=429)
    response["Retry-After"] = headers["Retry-After"]
    return response
