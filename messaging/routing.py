"""WebSocket routes of the messaging app (gathered by config/websocket_routing.py)."""

from django.urls import path

from messaging.consumers import ConversationConsumer, NotificationConsumer

websocket_urlpatterns = [
    path("ws/conversations/<int:conversation_id>/", ConversationConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
