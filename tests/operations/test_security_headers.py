"""Security headers (config/security_headers.py) on every kind of response: pages, API answers,
errors, static files; the API docs page alone may run its inline start-up script."""

import pytest

from config.security_headers import (
    API_DOCS_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
)

pytestmark = pytest.mark.django_db

STRICT_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/signup/", 200),
        ("/api/me/", 401),
        ("/healthz", 200),
        ("/no-such-page/", 404),
    ],
)
def test_every_response_carries_the_strict_policy(client, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert response["Permissions-Policy"] == "geolocation=(), camera=(), microphone=()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_strict_policy_allows_no_inline_script_or_style():
    directives = dict(
        directive.strip().split(" ", 1) for directive in CONTENT_SECURITY_POLICY.split(";")
    )

    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]


def test_only_the_api_docs_page_may_run_inline_script(client):
    docs = client.get("/api/docs/")
    schema = client.get("/api/schema/")

    assert docs.status_code == 200
    assert docs["Content-Security-Policy"] == API_DOCS_CONTENT_SECURITY_POLICY
    assert "script-src 'self' 'unsafe-inline'" in API_DOCS_CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in API_DOCS_CONTENT_SECURITY_POLICY
    assert schema["Content-Security-Policy"] == STRICT_POLICY
