"""What a database outage looks like to clients, wherever the query fails (in process: the
failure is simulated; tests/faults/test_database_restart.py stops a real PostgreSQL).

Pages get a plain 503 page, the API a 503 `{"code", "detail"}`, WebSockets a 503 handshake
or a 1013 close; other errors are not disguised as outages.
"""

from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.database_outage import (
    CLOSE_TRY_AGAIN_LATER,
    WebsocketDatabaseOutageMiddleware,
    database_unavailable_response,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


def session_cannot_be_loaded():
    """The session store's query fails: it runs in the middlewares, before any view."""
    return mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db", side_effect=LOST
    )


def signed_in_browser() -> Client:
    browser = Client(raise_request_exception=False)
    browser.force_login(UserFactory())
    return browser


def assert_outage_page(response, language: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"].isdigit()
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "<h1>" in html and "Traceback" not in html


def test_a_page_whose_view_loses_the_database_gets_the_outage_page():
    with mock.patch("frontend.views.render", side_effect=LOST):
        response = Client().get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert_outage_page(response, "nl")


def test_a_page_whose_session_cannot_be_read_gets_the_outage_page():
    browser = signed_in_browser()
    with session_cannot_be_loaded() as session_query:
        response = browser.get("/?lang=de")
    assert_outage_page(response, "de")
    # Tried once: every further try would wait for a connection again (DB_POOL_TIMEOUT).
    assert session_query.call_count == 1
    # The person stays signed in: the session cookie is neither deleted nor replaced.
    assert "sessionid" not in response.cookies


def test_a_middleware_losing_the_database_gets_the_outage_page_too():
    browser = signed_in_browser()
    with mock.patch("accounts.middleware.UserLanguageMiddleware.__call__", side_effect=LOST):
        response = browser.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert_outage_page(response, "en")


def test_the_outage_page_links_back_to_the_same_site_only():
    request = RequestFactory().get("/")
    request.path = "//evil.example/page"  # as a server may pass it on
    response = database_unavailable_response(request)
    assert 'href="/evil.example/page"' in response.content.decode()


def test_api_with_a_token_answers_503_when_authentication_cannot_query():
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    with mock.patch(
        "rest_framework.authentication.TokenAuthentication.authenticate_credentials",
        side_effect=LOST,
    ):
        response = client.get("/api/me/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response.json()["detail"]
    assert response["Retry-After"].isdigit()


def test_api_with_a_session_answers_503_json_when_the_session_cannot_be_read():
    browser = signed_in_browser()
    with session_cannot_be_loaded():
        response = browser.get("/api/me/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "database_unavailable"


def test_other_database_errors_stay_server_errors():
    # An integrity error is a bug to fix, not an outage to wait out.
    with mock.patch("frontend.views.render", side_effect=IntegrityError("duplicate key")):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


# --- WebSockets ----------------------------------------------------------------------------


async def run_socket(application, *, denial_supported: bool) -> list[dict]:
    """Run the guarded `application` for one WebSocket; what it sent to the server."""
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/ws/conversations/1/", "extensions": {}}
    if denial_supported:
        scope["extensions"]["websocket.http.response"] = {}
    await WebsocketDatabaseOutageMiddleware(application)(scope, receive, send)
    return sent


async def fails_before_accepting(scope, receive, send):
    raise LOST


async def fails_after_accepting(scope, receive, send):
    await send({"type": "websocket.accept"})
    raise LOST


async def test_a_socket_refused_for_an_outage_gets_503_at_the_handshake():
    sent = await run_socket(fails_before_accepting, denial_supported=True)
    assert sent[0]["type"] == "websocket.http.response.start"
    assert sent[0]["status"] == 503
    assert sent[1]["type"] == "websocket.http.response.body"


async def test_without_denial_responses_the_socket_is_closed_as_try_again_later():
    sent = await run_socket(fails_before_accepting, denial_supported=False)
    assert sent == [{"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}]


async def test_an_open_socket_is_closed_as_try_again_later():
    sent = await run_socket(fails_after_accepting, denial_supported=True)
    assert sent == [
        {"type": "websocket.accept"},
        {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER},
    ]


async def test_other_errors_in_a_socket_are_not_disguised():
    async def broken(scope, receive, send):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        await run_socket(broken, denial_supported=True)
