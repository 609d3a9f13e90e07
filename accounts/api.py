"""Accounts API (CONTRACT.md "Accounts"): register, get a token, read and change oneself."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.lockout import lockout_response
from accounts.serializers import (
    MeOutputSerializer,
    MeUpdateInputSerializer,
    RegistrationInputSerializer,
    RegistrationOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from core.rate_limits import RegistrationRateLimit, TokenLoginRateLimit


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's {field: [messages]} as DRF's 400 body of the same shape."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


def _validated(serializer_class, request: Request, **kwargs) -> dict:
    # Anything but a JSON object (null, a list, a number) is a 400 from DRF, never a 500.
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class RegisterApi(APIView):
    # Signing up needs no earlier identity, and no session means no CSRF check to fail.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RegistrationRateLimit]

    @extend_schema(
        request=RegistrationInputSerializer, responses={201: RegistrationOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        data = _validated(RegistrationInputSerializer, request)
        try:
            user = services.user_register(**data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(RegistrationOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenLoginRateLimit]

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description="Wrong email or password."),
            429: OpenApiResponse(description="Locked out after repeated failures."),
        },
    )
    def post(self, request: Request) -> Response:
        data = _validated(TokenInputSerializer, request)
        # axes reads and flags the Django request, not DRF's wrapper around it.
        http_request = request._request
        user = services.user_authenticate(
            request=http_request, email=data["email"], password=data["password"]
        )
        if getattr(http_request, "axes_locked_out", False):
            # AxesMiddleware would answer the same; answering here keeps the view correct
            # even if the middleware were missing.
            return lockout_response(http_request)
        if user is None:
            return Response(
                {
                    "code": "invalid_credentials",
                    "detail": _("Unable to sign in with this email address and password."),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.user_signal_token_login(request=http_request, user=user)
        return Response({"token": services.token_for(user=user)})


class MeDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)


class MeApi(APIView):
    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(request.user).data)

    @extend_schema(request=MeUpdateInputSerializer, responses={200: MeOutputSerializer})
    def patch(self, request: Request) -> Response:
        data = _validated(MeUpdateInputSerializer, request)
        try:
            user = services.user_update(user=request.user, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(MeOutputSerializer(user).data)

    @extend_schema(
        request=MeDeleteInputSerializer,
        responses={
            204: OpenApiResponse(description="Account erased."),
            400: OpenApiResponse(description="Wrong password."),
        },
    )
    def delete(self, request: Request) -> Response:
        data = _validated(MeDeleteInputSerializer, request)
        try:
            services.user_erase(user=request.user, password=data["password"])
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="All the person's data.")})
    def get(self, request: Request) -> Response:
        data = services.user_data_export(user=request.user)
        # A file to keep, not a page to show: browsers offer to save it.
        return Response(
            data, headers={"Content-Disposition": 'attachment; filename="tandem-my-data.json"'}
        )
