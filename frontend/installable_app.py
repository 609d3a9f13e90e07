"""What makes Tandem an installable web app: the manifest, the service worker and the page it
shows offline. None of them carries anything about the person asking: the manifest and the
service worker are the same for everyone, and the offline page is rendered as for a stranger
(the service worker fetches it without cookies and caches it)."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

THEME_COLOR = "#0b5132"
BACKGROUND_COLOR = "#ffffff"


@require_http_methods(["GET", "HEAD"])
def manifest(request: HttpRequest) -> HttpResponse:
    """/manifest.webmanifest, in the visitor's language."""
    body = {
        "name": "Tandem",
        "short_name": "Tandem",
        "description": _("Neighbours helping neighbours"),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"frontend/icons/tandem-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(
        body,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _service_worker_source() -> str:
    static_urls = {
        "site_css": static("frontend/site.css"),
        "icon_192": static("frontend/icons/tandem-192.png"),
        "icon_512": static("frontend/icons/tandem-512.png"),
    }
    # A new cache name whenever a cached file changes name (collectstatic hashes them), so old
    # copies are dropped on activation.
    version = hashlib.sha256(json.dumps(static_urls, sort_keys=True).encode()).hexdigest()[:12]
    return render_to_string(
        "frontend/sw.js",
        {"version": version, "static_urls": static_urls, "static_prefix": settings.STATIC_URL},
    )


@require_http_methods(["GET", "HEAD"])
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: at the root, so that it may control every page of the site."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    # Browsers check for a new version on each visit; never a stale worker from a cache.
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD"])
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows when the network is down.

    The worker fetches it once, without cookies, so it cannot know the reader's language: it
    says the same in the four languages, the visitor's own first.
    """
    current = get_language()
    codes = [current, *(code for code, _name in settings.LANGUAGES if code != current)]
    messages = []
    for code in codes:
        with translation.override(code):
            messages.append(
                {
                    "language": code,
                    "title": _("No connection"),
                    "text": _(
                        "Tandem cannot reach the internet right now. Check your connection, "
                        "then try again."
                    ),
                    "retry": _("Try again"),
                }
            )
    return render(request, "frontend/offline.html", {"messages_by_language": messages})
