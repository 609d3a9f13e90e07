"""Helpers and matching API (CONTRACT.md "Helpers" and "Requests and matching")."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_errors import NotAllowed, NotFound
from core.fast_rows import rows_data
from matching import selectors, services
from matching.serializers import (
    HelperProfileInputSerializer,
    HelperProfileOutputSerializer,
)


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


def _profile_response(profile) -> Response:
    # Read back with its slots, as a GET would show it (and by the same code).
    rows = selectors.helper_profile_rows(user_id=profile.user_id)
    return Response(rows_data(HelperProfileOutputSerializer, rows)[0])


class HelperMeApi(APIView):
    @extend_schema(
        responses={
            200: HelperProfileOutputSerializer,
            404: OpenApiResponse(description="No helper profile yet: PUT one."),
        }
    )
    def get(self, request: Request) -> Response:
        # A row rather than a model instance (core.fast_rows): the same JSON for less CPU on a
        # frequent call.
        rows = selectors.helper_profile_rows(user_id=request.user.pk)
        if not rows:
            raise NotFound("no_helper_profile", _("You have no helper profile yet."))
        return Response(rows_data(HelperProfileOutputSerializer, rows)[0])

    @extend_schema(
        request=HelperProfileInputSerializer,
        examples=[
            OpenApiExample(
                "A first profile",
                value={
                    "postcode": "5000",
                    "radius_km": 5,
                    "categories": ["shopping", "company"],
                    "weekly_hours": 4,
                    "languages": ["fr"],
                    "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
                    "has_car": False,
                    "active": True,
                },
                request_only=True,
            )
        ],
        responses={200: HelperProfileOutputSerializer},
    )
    def put(self, request: Request) -> Response:
        serializer = HelperProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            profile = services.helper_profile_upsert(user=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return _profile_response(profile)


class HelperVerifyApi(APIView):
    @extend_schema(
        request=None,
        responses={
            200: HelperProfileOutputSerializer,
            403: OpenApiResponse(description="Not a coordinator, or one's own profile."),
            404: OpenApiResponse(description="No helper profile for this user id."),
        },
    )
    def post(self, request: Request, user_id: int) -> Response:
        # Refused before looking anything up, so non-coordinators learn nothing about ids.
        if not request.user.is_coordinator:
            raise NotAllowed("not_coordinator", _("Only coordinators can verify helpers."))
        helper_user = get_object_or_404(User, pk=user_id)
        profile = services.helper_verify(helper_user=helper_user, coordinator=request.user)
        return _profile_response(profile)
