"""404 for addresses no route matches: JSON under /api/, the usual page elsewhere.

Django's URL resolver answers a path that matches no route (e.g. /api/requests/abc/, where the
route wants a number) before any API view runs, with an HTML page. API clients are promised JSON
errors (CONTRACT.md, "Conventions"), so under /api/ the body is the one 404 shape of the API
(core.api_errors.not_found_body): {"code": "not_found", "detail": "Not found."}, in the
request's language.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found

from core.api_errors import not_found_body


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler404 (config/urls.py)."""
    if request.path.startswith("/api/"):
        return JsonResponse(not_found_body(), status=404)
    return page_not_found(request, exception)
