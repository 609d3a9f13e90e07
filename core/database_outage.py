"""A database outage answers 503 "try again shortly", never a 500, and never needs a restart.

When PostgreSQL is down (restarting, failing over, unreachable) every query raises
OperationalError or InterfaceError. The API turns those into 503 `{"code", "detail"}` in its
exception handler (core.api_errors); the middlewares here do the same for everything else
(settings.MIDDLEWARE):

- `DatabaseOutageMiddleware`, right after AuthenticationMiddleware, reads the signed-in person
  first (the session and the user: the first queries of most requests), and catches the
  errors views raise (`process_exception`). Either way the answer is the 503.
- `DatabaseOutageFallbackMiddleware`, before SessionMiddleware, is the safety net for a
  failure anywhere else in the middlewares: Django has already turned it into a 500 when it
  gets there; the `got_request_exception` receiver below marks such requests, and the 500 is
  swapped for the 503.

API paths get the JSON body, pages a plain page that needs neither the database nor a template
(the site's base template reads the signed-in person). Nothing is cached across the outage: a
broken connection is dropped by Django at the end of the request (`close_old_connections`), and
CONN_HEALTH_CHECKS (settings.py) checks a kept one before its first query, so service resumes by
itself as soon as PostgreSQL answers again (tests/faults/test_database_restart.py).
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CODE = "database_unavailable"
# A hint for clients and proxies; a restart of PostgreSQL takes a few seconds.
RETRY_AFTER_SECONDS = 5
_MARK = "_tandem_database_unavailable"


def is_database_outage(error: BaseException | None) -> bool:
    """True for the errors a lost or unreachable database raises (not for integrity errors,
    bad SQL and the like, which are bugs and stay 500s)."""
    return isinstance(error, (OperationalError, InterfaceError)) or type(error) is DatabaseError


def database_unavailable_detail() -> str:
    """The message shown to people, in the active language."""
    return _("The service is temporarily unavailable. Please try again in a few moments.")


def _language_of(request: HttpRequest) -> str:
    # LocaleMiddleware may not have run (or its activation may not be visible here): decide
    # again from the request, which reads only headers and cookies, never the database.
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 for `request`: JSON `{"code", "detail"}` under /api/, a plain HTML page elsewhere."""
    _session_not_read_again(request)
    with translation.override(_language_of(request)):
        detail = database_unavailable_detail()
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": CODE, "detail": detail}, status=503)
        else:
            response = HttpResponse(
                format_html(
                    '<!doctype html>\n<html lang="{}">\n<head>\n<meta charset="utf-8">\n'
                    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                    "<title>{} – Tandem</title>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n"
                    '<p>{}</p>\n<p><a href="{}">{}</a></p>\n</main>\n</body>\n</html>\n',
                    translation.get_language(),
                    _("Temporarily unavailable"),
                    _("Temporarily unavailable"),
                    detail,
                    # One leading slash: "//host/…" would be a link to another site.
                    "/" + request.get_full_path().lstrip("/"),
                    _("Try again"),
                ),
                status=503,
                content_type="text/html; charset=utf-8",
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never let a proxy or the browser keep the outage page in place of the real one.
    response["Cache-Control"] = "no-store"
    return response


def _session_not_read_again(request: HttpRequest) -> None:
    """A session whose loading failed is loaded again by SessionMiddleware on the way out
    (SESSION_SAVE_EVERY_REQUEST), which fails again, after waiting again for a connection.
    Mark it as loaded and empty for the rest of this request: on a 5xx response
    SessionMiddleware neither saves it nor touches the cookie, so nothing is lost."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key and not hasattr(session, "_session_cache"):
        session._session_cache = {}


def _mark_database_outage(sender, request=None, **kwargs) -> None:
    """Sent by Django, inside its `except` block, for every exception it turns into a 500."""
    if request is not None and is_database_outage(sys.exc_info()[1]):
        setattr(request, _MARK, True)
        _session_not_read_again(request)


got_request_exception.connect(_mark_database_outage, dispatch_uid="tandem-database-outage")


def _log(request: HttpRequest, error: BaseException | None = None) -> None:
    logger.warning("database unavailable", extra={"path": request.path, "error": repr(error)})


class DatabaseOutageMiddleware:
    """Database outage → 503, from reading the signed-in person to the view (module
    docstring). Placed right after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        try:
            # The session and the person, now rather than lazily in the next middleware
            # (accounts.middleware reads them for every request anyway): no query without a
            # session cookie.
            if user is not None:
                user.is_authenticated  # noqa: B018
        except DatabaseError as error:
            if not is_database_outage(error):
                raise
            _log(request, error)
            return database_unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_outage(exception):
            _log(request, exception)
            return database_unavailable_response(request)
        return None


class DatabaseOutageFallbackMiddleware:
    """The safety net (module docstring): a 500 caused by a database outage anywhere in the
    middlewares becomes the 503. Placed before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            _log(request)
            return database_unavailable_response(request)
        return response


# WebSocket close code 1013, "Try Again Later" (RFC 6455 registry): the server is up but cannot
# serve now; clients reconnect with back-off, as messaging/static/messaging/conversation.js does.
CLOSE_TRY_AGAIN_LATER = 1013


class WebsocketDatabaseOutageMiddleware:
    """ASGI middleware for WebSockets (config/asgi.py): a database outage in the socket's
    authentication or in a consumer ends that one socket cleanly instead of as a server error.

    Before the handshake is accepted the client gets an HTTP 503 (where the server supports
    ASGI's denial-response extension, else the socket is refused); an open socket is closed
    with 1013 "Try Again Later". Other errors are left alone. Either way the server process
    carries on; the client reconnects and sends unacknowledged messages again with their
    client_id (no duplicates).
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        state = {"accepted": False, "finished": False}

        async def tracking_send(message):
            if message["type"] == "websocket.accept":
                state["accepted"] = True
            elif message["type"] in ("websocket.close", "websocket.http.response.start"):
                state["finished"] = True
            await send(message)

        try:
            return await self.application(scope, receive, tracking_send)
        except Exception as error:
            if not is_database_outage(error) or state["finished"]:
                raise
            logger.warning(
                "database unavailable", extra={"path": scope.get("path"), "error": repr(error)}
            )
            await self._refuse(scope, send, accepted=state["accepted"])

    async def _refuse(self, scope, send, *, accepted: bool) -> None:
        try:
            if not accepted and "websocket.http.response" in scope.get("extensions", {}):
                body = database_unavailable_detail().encode()
                await send(
                    {
                        "type": "websocket.http.response.start",
                        "status": 503,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                        ],
                    }
                )
                await send({"type": "websocket.http.response.body", "body": body})
            else:
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
        except Exception:  # the client is gone already: nothing left to tell it
            pass
