"""One ASGI application for HTTP and WebSocket (run by Uvicorn).

HTTP goes to Django's WSGI handler, run in a pool of HTTP_THREADS threads by a2wsgi; WebSockets
go to Channels. Why not Django's ASGI handler for HTTP: every view, middleware and form of this
project is synchronous, and under the ASGI handler each request crosses between the event loop
and a single per-process thread three times (sync middleware, async middleware, sync view). On
this 2-core machine that cost 3.4 ms of CPU per API request out of 5.9 (GET /api/me/: 5.9 ms
of server CPU per request through the ASGI handler, 2.3 ms through the WSGI handler, same
process, same database; bench/load/README.md). Every request also waited for the one thread
that runs sync code in the process, so a slow request held up all the others. The WSGI handler
is the one Django's test client and live server use, so it is the path the tests exercise.
"""

import gc
import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A server process: its database connections come from a warm pool by default
# (config/settings.py, DB_POOL_MAX_SIZE); commands and the job worker keep one plain connection.
os.environ.setdefault("TANDEM_SERVER_PROCESS", "true")
# Django must be set up before anything imports models.
django_wsgi_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

django_http_application = WSGIMiddleware(django_wsgi_application, workers=settings.HTTP_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.websocket_routing import websocket_urlpatterns  # noqa: E402
from core.database_outage import WebsocketDatabaseOutageMiddleware  # noqa: E402
from core.websocket_auth import TokenAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http_application,
        # A database outage ends the socket with 503 / 1013 "try again later", not an error;
        # then the origin check, the session user, `?token=` (which wins when given).
        "websocket": WebsocketDatabaseOutageMiddleware(
            AllowedHostsOriginValidator(
                AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
            )
        ),
    }
)


def _freeze_startup_objects() -> None:
    """Leave the objects of a started process out of the garbage collector's full passes.

    A worker holds ~160,000 objects once Django, GeoDjango and the views are imported, and a
    full collection walked them all: 90 ms with every thread of the process stopped, and under
    the load scenario full collections came every few seconds per process (measured: 130-200 ms
    pauses, 8 in 35 s at 150 requests/s). `gc.freeze()` moves what exists now to a permanent
    generation that collections skip; what requests create later is collected as usual (full
    passes then took 6-18 ms). The
    URL configuration is loaded first so that every view module is imported before the freeze.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every view module now
    gc.collect()
    gc.freeze()


def _open_database_pool() -> None:
    """Open this process's database pool now, and wait for its first connections.

    Django opens the pool at the first request otherwise, which then waits for the pool's
    connections to be made and warmed (config.database.WarmConnection). Here the process starts
    serving once DB_POOL_MIN_SIZE warm connections are ready. If PostgreSQL does not answer in
    time the server starts anyway: the pool keeps trying in the background and requests get the
    outage's 503 meanwhile.
    """
    import logging

    from django.db import connections
    from psycopg_pool import PoolTimeout

    pool = connections["default"].pool
    if pool is None:
        return
    try:
        pool.open(wait=True, timeout=settings.DB_POOL_OPEN_TIMEOUT)
    except PoolTimeout:
        logging.getLogger(__name__).warning(
            "database pool: not ready after %s s, still connecting", settings.DB_POOL_OPEN_TIMEOUT
        )


def _load_translation_catalogues() -> None:
    """Load every language's catalogues now, not in the first request in that language.

    Django reads a language's .mo files (the project's and every app's) the first time the
    language is activated: 60–76 ms for each of nl, de and en, measured at a load average of 9
    (fr, the default, is loaded during setup). Loaded before the freeze, they stay out of the
    garbage collector's passes too.
    """
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tandem")


_open_database_pool()
_load_translation_catalogues()
_freeze_startup_objects()
