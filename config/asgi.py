"""One ASGI application for HTTP and WebSocket (run by Uvicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models.
django_http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.database_outage import WebsocketDatabaseOutageMiddleware  # noqa: E402
from config.websocket_routing import websocket_urlpatterns  # noqa: E402
from messaging.auth import TokenAuthMiddleware  # noqa: E402

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
