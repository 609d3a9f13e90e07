"""Notifications API (CONTRACT.md, "Notifications and jobs"): the inbox, read marks, the
unread count, and the person's channel settings. Titles and bodies are written in the
reader's language at the moment they are read."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import DomainError
from notifications import selectors, services
from notifications.push_messages import vapid_public_key
from notifications.serializers import (
    NotificationOutputSerializer,
    NotificationSettingsChangeSerializer,
    NotificationSettingsSerializer,
    PushPublicKeyOutputSerializer,
    PushSubscriptionInputSerializer,
    PushSubscriptionOutputSerializer,
    UnreadCountOutputSerializer,
)


def _language(request: Request) -> str:
    return request.user.language or get_language()


class NotificationListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("unread", int, description="1: only unread ones; 0: all.")],
        responses={200: NotificationOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.getlist("unread")
        try:
            unread_only = any(int(value) for value in unread)
        except ValueError:
            raise DomainError("invalid_unread", "unread is 1 (only unread ones) or 0.") from None
        language = _language(request)
        rows = selectors.notifications_of(user=request.user, unread_only=unread_only)
        return Response(
            [selectors.notification_payload(notification=row, language=language) for row in rows]
        )


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses={200: NotificationOutputSerializer})
    def post(self, request: Request, notification_id: int) -> Response:
        notification = services.notification_read(
            user=request.user, notification_id=notification_id
        )
        return Response(
            selectors.notification_payload(notification=notification, language=_language(request))
        )


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses={200: UnreadCountOutputSerializer})
    def post(self, request: Request) -> Response:
        services.notifications_read_all(user=request.user)
        return Response({"count": 0})


class UnreadCountApi(APIView):
    @extend_schema(responses={200: UnreadCountOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response({"count": selectors.unread_count(user_id=request.user.pk)})


class NotificationSettingsApi(APIView):
    @extend_schema(responses={200: NotificationSettingsSerializer})
    def get(self, request: Request) -> Response:
        return Response(selectors.channel_settings_of(user_id=request.user.pk))

    @extend_schema(
        request=NotificationSettingsChangeSerializer,
        responses={200: NotificationSettingsSerializer},
    )
    def put(self, request: Request) -> Response:
        return Response(
            services.notification_settings_update(user=request.user, changes=request.data)
        )


class PushPublicKeyApi(APIView):
    # The public half of the server's key: no secret, and a browser asks before signing in.
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: PushPublicKeyOutputSerializer,
            404: OpenApiResponse(description="Push is not set up on this server."),
        }
    )
    def get(self, request: Request) -> Response:
        key = vapid_public_key()
        if key is None:
            raise DomainError(
                "push_not_configured", "Web Push is not set up on this server.", status_code=404
            )
        return Response({"key": key})


class PushSubscriptionListApi(APIView):
    @extend_schema(
        request=PushSubscriptionInputSerializer,
        responses={201: PushSubscriptionOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        subscription = services.push_subscription_save(
            user=request.user, endpoint=data.get("endpoint"), keys=data.get("keys")
        )
        return Response(
            PushSubscriptionOutputSerializer(subscription).data, status=status.HTTP_201_CREATED
        )


class PushSubscriptionApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, subscription_id: int) -> Response:
        services.push_subscription_delete(user=request.user, subscription_id=subscription_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
