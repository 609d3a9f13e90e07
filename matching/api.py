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
from matching.models import VettingCheck
from matching.serializers import (
    HelperProfileInputSerializer,
    HelperProfileOutputSerializer,
    HelperVettingChangeSerializer,
    HelperVettingSerializer,
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


def vetting_record_from_input(data: dict) -> dict:
    """HelperVettingChangeSerializer's validated `checks` and `notes` as the record
    helper_vetting_change takes (a coordinator's id becomes the user; an unknown id stays a
    number, which the service refuses like any non-coordinator)."""
    checks = dict(data.get("checks", {}))
    record = {}
    for name in ("id_document", "interview_on"):
        if name in checks:
            record[name] = checks[name]
    if "interviewed_by" in checks:
        interviewer_id = checks["interviewed_by"]
        record["interviewed_by"] = (
            None
            if interviewer_id is None
            else User.objects.filter(pk=interviewer_id).first() or interviewer_id
        )
    done = {code: checks[code] for code in VettingCheck.values if code in checks}
    if done:
        record["checks_done"] = done
    if "notes" in data:
        record["notes"] = data["notes"]
    return record


class HelperVettingApi(APIView):
    """GET/POST /api/helpers/<user id>/vetting/ (coordinators; docs/VETTING.md)."""

    def _check_coordinator(self, request: Request) -> None:
        # Refused before looking anything up, so non-coordinators learn nothing about ids.
        if not request.user.is_coordinator:
            raise NotAllowed(
                "not_coordinator", _("Only coordinators can read and change vetting records.")
            )

    def _record_response(self, user_id: int) -> Response:
        record = selectors.helper_vetting_record(user_id=user_id)
        if record is None:
            raise NotFound("not_found", _("No helper profile here."))
        return Response(HelperVettingSerializer(record).data)

    @extend_schema(
        responses={
            200: HelperVettingSerializer,
            403: OpenApiResponse(description="Not a coordinator."),
            404: OpenApiResponse(description="No helper profile for this user id."),
        }
    )
    def get(self, request: Request, user_id: int) -> Response:
        self._check_coordinator(request)
        response = self._record_response(user_id)
        services.helper_vetting_read_recorded(
            reader=request.user, helper_id=user_id, route=request.path
        )
        return response

    @extend_schema(
        request=HelperVettingChangeSerializer,
        examples=[
            OpenApiExample(
                "Verified after the interview",
                value={
                    "state": "verified",
                    "reason": "Met at the office; ID seen.",
                    "checks": {"id_document": "identity_card", "interview_on": "2026-12-01"},
                },
                request_only=True,
            ),
            OpenApiExample(
                "Suspended",
                value={"state": "suspended", "reason": "Complaint under review."},
                request_only=True,
            ),
        ],
        responses={
            200: HelperVettingSerializer,
            400: OpenApiResponse(description="Bad input, or verifying an incomplete record."),
            403: OpenApiResponse(description="Not a coordinator, or one's own profile."),
            404: OpenApiResponse(description="No helper profile for this user id."),
            409: OpenApiResponse(description="This state cannot follow the current one."),
        },
    )
    def post(self, request: Request, user_id: int) -> Response:
        self._check_coordinator(request)
        helper_user = get_object_or_404(User, pk=user_id)
        serializer = HelperVettingChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.helper_vetting_change(
                helper_user=helper_user,
                coordinator=request.user,
                state=data["state"],
                reason=data["reason"],
                record=vetting_record_from_input(data),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return self._record_response(user_id)
