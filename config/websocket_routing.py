"""WebSocket routes of every app, gathered in one list (the messaging app adds its own)."""

websocket_urlpatterns: list = []
