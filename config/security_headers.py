"""Security headers on every response: Content-Security-Policy, Permissions-Policy and
Cross-Origin-Opener-Policy (Django's SecurityMiddleware already sends nosniff, the referrer
policy and HSTS; XFrameOptionsMiddleware sends X-Frame-Options).

The policy allows scripts and styles from our own origin only: no template has inline
<script>, <style> or style="" (their JavaScript and CSS are static files), so an injected
<script> or onerror="" handler does not run even if escaping were ever missed somewhere.
WebSockets (messaging) need ws:/wss: in connect-src. When the deployer configures a map tile
server (settings.MAP_TILE_URL), its origin, and only its origin, is added to img-src: Leaflet
shows the tiles as <img>; nothing else is allowed from there.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# The Swagger UI page (drf-spectacular's template, served with assets from the sidecar package)
# starts the UI with an inline <script> and sets its page style in an inline <style>. On that one
# path only, inline scripts and styles are allowed; everything else stays as strict as above
# (same origin only, no framing, no foreign connections). The page shows our own schema and no
# user-supplied content.
API_DOCS_PATH = "/api/docs/"
API_DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)

PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=()"
CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def tile_origin(tile_url: str) -> str:
    """The origin of a tile URL template as a CSP source: "https://tile.openstreetmap.org".

    A "{s}" subdomain placeholder becomes a "*." wildcard ("https://*.tile.example.org"); ""
    for an empty or unusable template.
    """
    if not tile_url:
        return ""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{" in parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy_for(path: str) -> str:
    """The Content-Security-Policy for a request path (relaxed for the API docs page only),
    with the map tile server in img-src when one is configured."""
    if path == API_DOCS_PATH:
        return API_DOCS_CONTENT_SECURITY_POLICY
    origin = tile_origin(getattr(settings, "MAP_TILE_URL", ""))
    if origin:
        return CONTENT_SECURITY_POLICY.replace(
            "img-src 'self' data:;", f"img-src 'self' data: {origin};", 1
        )
    return CONTENT_SECURITY_POLICY


class SecurityHeadersMiddleware:
    """Adds the headers above to every response, unless a view already set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy_for(request.path)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", CROSS_ORIGIN_OPENER_POLICY)
        return response
