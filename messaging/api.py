"""Messaging API (CONTRACT.md "Messaging"): list one's conversations, read and send messages.

Other people's conversations answer 404, like unknown ones.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import RateLimited
from core.fast_rows import rows_data
from messaging import ratelimit, selectors, services
from messaging.serializers import (
    ConversationOutputSerializer,
    MessageInputSerializer,
    MessageListQuerySerializer,
    MessageOutputSerializer,
    MessageSentOutputSerializer,
)


def _conversation_or_404(request: Request, conversation_id: int):
    conversation = selectors.conversation_get_for_user(
        conversation_id=conversation_id, user=request.user
    )
    if conversation is None:
        raise Http404
    return conversation


class ConversationListApi(APIView):
    @extend_schema(responses={200: ConversationOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows = selectors.conversation_list_for_user(user=request.user)
        return Response(rows_data(ConversationOutputSerializer, rows))


class ConversationMessagesApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only messages with a greater id."),
            OpenApiParameter(
                "after_seq",
                int,
                description=(
                    "Only messages numbered after this one in the conversation (`seq`); "
                    "takes precedence over `after`. Ascending by `seq`."
                ),
            ),
            OpenApiParameter("limit", int, description="At most this many (1–200, default 50)."),
        ],
        responses={200: MessageOutputSerializer(many=True)},
    )
    def get(self, request: Request, conversation_id: int) -> Response:
        conversation = _conversation_or_404(request, conversation_id)
        query = MessageListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        messages = selectors.messages_after(conversation_id=conversation.pk, **query.validated_data)
        return Response(MessageOutputSerializer(messages, many=True).data)

    @extend_schema(
        request=MessageInputSerializer,
        responses={
            201: MessageSentOutputSerializer,
            200: MessageSentOutputSerializer,
            429: OpenApiResponse(description="Sending too fast (messaging/ratelimit.py)."),
        },
        description=(
            "201 with the stored message and `delivery` (`live`, or `degraded` when live "
            "delivery is down: the message is stored all the same). The same `client_id` again "
            "→ 200 with the message stored the first time, sent again to the conversation's "
            "sockets; nothing new is stored."
        ),
    )
    def post(self, request: Request, conversation_id: int) -> Response:
        conversation = _conversation_or_404(request, conversation_id)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = ratelimit.user_may_send(request.user.pk)
        if wait is not None:
            raise RateLimited(
                "rate_limited",
                _("You are sending messages too fast; wait a few seconds."),
                retry_after=wait,
            )
        message, created = services.message_send(
            conversation=conversation, sender=request.user, **data.validated_data
        )
        return Response(
            MessageSentOutputSerializer(message).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
