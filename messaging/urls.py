"""Messaging API, included at /api/ by config/urls.py."""

from django.urls import path

from messaging.api import ConversationListApi, ConversationMessagesApi

urlpatterns = [
    path("conversations/", ConversationListApi.as_view(), name="api-conversations"),
    path(
        "conversations/<int:conversation_id>/messages/",
        ConversationMessagesApi.as_view(),
        name="api-conversation-messages",
    ),
]
