"""WebSocket routes of every app, gathered in one list."""

from messaging.routing import websocket_urlpatterns as messaging_websocket_urlpatterns

websocket_urlpatterns: list = [*messaging_websocket_urlpatterns]
