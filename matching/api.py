"""Helpers and matching API (CONTRACT.md "Helpers" and "Requests and matching")."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_errors import DomainError
from core.fast_rows import rows_data
from matching import selectors, services
from matching.serializers import (
    CandidateSerializer,
    CandidatesQuerySerializer,
    HelperProfileInputSerializer,
    HelperProfileOutputSerializer,
    NearbyRequestSerializer,
    candidates_data,
    nearby_requests_data,
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
            raise DomainError(
                "no_helper_profile",
                _("You have no helper profile yet."),
                status_code=status.HTTP_404_NOT_FOUND,
            )
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
            raise DomainError(
                "not_coordinator",
                _("Only coordinators can verify helpers."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        helper_user = get_object_or_404(User, pk=user_id)
        profile = services.helper_verify(helper_user=helper_user, coordinator=request.user)
        return _profile_response(profile)


def _not_found() -> DomainError:
    return DomainError("not_found", _("No such request."), status_code=status.HTTP_404_NOT_FOUND)


class RequestCandidatesApi(APIView):
    @extend_schema(
        parameters=[CandidatesQuerySerializer],
        responses={
            200: CandidateSerializer(many=True),
            403: OpenApiResponse(description="The matched helper: they see the request only."),
            404: OpenApiResponse(description="Unknown, or not the requester's."),
        },
    )
    def get(self, request: Request, request_id: int) -> Response:
        help_request = selectors.help_request_for_candidates(request_id=request_id)
        if help_request is None:
            raise _not_found()
        user = request.user
        if help_request.requester_id != user.pk and not user.is_coordinator:
            if help_request.matched_helper_id == user.pk:
                # They may read the request itself, so its existence is no secret to them.
                raise DomainError(
                    "forbidden",
                    _("Only the person asking and coordinators see the candidates."),
                    status_code=status.HTTP_403_FORBIDDEN,
                )
            raise _not_found()
        query = CandidatesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Reasons speak to the person asking, in their language, whoever reads them.
        requester = help_request.requester
        language = requester.language if requester is not None else get_language()
        candidates = selectors.candidates_for(
            help_request=help_request, limit=query.validated_data["limit"], language=language
        )
        # Dicts rather than CandidateSerializer (still the documented schema): the same JSON.
        return Response(candidates_data(candidates))


class NearbyRequestsApi(APIView):
    @extend_schema(
        responses={
            200: NearbyRequestSerializer(many=True),
            403: OpenApiResponse(description="No helper profile."),
        }
    )
    def get(self, request: Request) -> Response:
        # The heaviest call of a helper's day: rows and dicts rather than models, GEOS points
        # and NearbyRequestSerializer (still the documented schema), the same JSON. The one
        # profile query tells both whether they are a helper and where to look.
        rows = selectors.nearby_request_rows_for(helper_user=request.user)
        if rows is None:
            raise DomainError(
                "no_helper_profile",
                _("Only helpers see nearby requests: set up your helper profile first."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        return Response(nearby_requests_data(rows))
