"""APIs of the service directory, referrals, helpers' concerns and the care diary.

Routes: carers/api_urls.py (under /api/) and carers/urls.py (under /api/carers/). Every read
of a referral by a coordinator is written to its audit log and to the person's access log (the
audit app) here, after the read succeeds.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import COORDINATORS
from carers import selectors
from carers.models import AuditAction, CareDiaryEntry
from carers.serializers_referrals import (
    AuditEntryOutputSerializer,
    ConcernReceivedSerializer,
    ConcernSerializer,
    DiaryEntrySerializer,
    DiaryTotalsOutputSerializer,
    DiaryTotalsQuerySerializer,
    ReferralCreateSerializer,
    ReferralDetailOutputSerializer,
    ReferralOutputSerializer,
    ReferralQuerySerializer,
    ReferralUpdateSerializer,
    audit_as_dict,
    referral_as_dict,
)
from carers.services.diary import diary_entry_create, diary_entry_delete, diary_entry_update
from carers.services.referrals import (
    referral_create_manual,
    referral_open_for_concern,
    referral_reads_record,
    referral_update,
)
from core.api_errors import DomainError, NotFound
from core.api_values import date_time_text
from core.json_parser import SafeJSONParser
from core.languages import active_language
from directory.models import Service
from directory.selectors import service_get
from requests_app.models import HelpRequest
from requests_app.permissions import help_request_permissions

BAD_REQUEST = OpenApiResponse(description="{field: [message]}: missing or malformed input.")
NOT_SIGNED_IN = OpenApiResponse(description="Not signed in.")
NOT_COORDINATOR = OpenApiResponse(description="Signed in, but not a coordinator.")
NO_REFERRAL = OpenApiResponse(description="No such referral.")
# What every coordinators' endpoint may answer besides its own statuses.
COORDINATOR_REFUSALS = {401: NOT_SIGNED_IN, 403: NOT_COORDINATOR}


# --- Referrals --------------------------------------------------------------------------------


class ReferralListApi(APIView):
    """The coordinators' queue. Listing writes one audit row ("list") per referral listed."""

    permission_classes = COORDINATORS

    @extend_schema(
        operation_id="referrals_list",
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("municipality", str, description="REFNIS code"),
            OpenApiParameter("source", str),
        ],
        responses={
            200: ReferralOutputSerializer(many=True),
            400: BAD_REQUEST,
            **COORDINATOR_REFUSALS,
        },
    )
    def get(self, request: Request) -> Response:
        query = ReferralQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        referrals = list(selectors.referrals_for_queue(**query.validated_data))
        referral_reads_record(
            referrals=referrals,
            reader=request.user,
            action=AuditAction.LIST,
            details={"filters": dict(query.validated_data), "via": "api"},
            route=request.path,
        )
        language = active_language()
        return Response([referral_as_dict(referral, language=language) for referral in referrals])

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailOutputSerializer, 400: BAD_REQUEST, **COORDINATOR_REFUSALS},
    )
    def post(self, request: Request) -> Response:
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = referral_create_manual(
            coordinator=request.user,
            postcode=serializer.validated_data.get("postcode", ""),
            note=serializer.validated_data.get("note", ""),
        )
        referral = selectors.referral_get(referral_id=referral.pk)
        return Response(
            referral_as_dict(referral, language=active_language(), detail=True),
            status=status.HTTP_201_CREATED,
        )


def _referral_or_404(referral_id: int):
    referral = selectors.referral_get(referral_id=referral_id)
    if referral is None:
        raise DomainError("not_found", "No such referral.", status_code=404)
    return referral


class ReferralDetailApi(APIView):
    permission_classes = COORDINATORS

    @extend_schema(
        responses={200: ReferralDetailOutputSerializer, 404: NO_REFERRAL, **COORDINATOR_REFUSALS}
    )
    def get(self, request: Request, referral_id: int) -> Response:
        referral = _referral_or_404(referral_id)
        referral_reads_record(
            referrals=[referral],
            reader=request.user,
            action=AuditAction.READ,
            details={"via": "api"},
            route=request.path,
        )
        return Response(referral_as_dict(referral, language=active_language(), detail=True))

    @extend_schema(
        request=ReferralUpdateSerializer,
        responses={
            200: ReferralDetailOutputSerializer,
            400: BAD_REQUEST,
            404: NO_REFERRAL,
            409: OpenApiResponse(description="consent_required, invalid_transition, ..."),
            **COORDINATOR_REFUSALS,
        },
    )
    def patch(self, request: Request, referral_id: int) -> Response:
        referral = _referral_or_404(referral_id)
        serializer = ReferralUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {}
        if "referred_to" in data:
            changes["referred_to"] = (
                None if data["referred_to"] is None else _service_or_400(data["referred_to"])
            )
        if "assigned_to" in data:
            changes["assigned_to"] = (
                None if data["assigned_to"] is None else _coordinator_or_400(data["assigned_to"])
            )
        updated = referral_update(
            referral=referral,
            coordinator=request.user,
            status=data.get("status"),
            note=data.get("note", ""),
            consent=data.get("consent"),
            outcome=data.get("outcome"),
            **changes,
        )
        updated = selectors.referral_get(referral_id=updated.pk)
        return Response(referral_as_dict(updated, language=active_language(), detail=True))


def _service_or_400(service_id: int) -> Service:
    service = service_get(service_id=service_id)
    if service is None:
        raise ValidationError({"referred_to": ["Unknown service."]})
    return service


def _coordinator_or_400(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_coordinator:
        raise ValidationError({"assigned_to": ["Referrals are assigned to coordinators."]})
    return user


class ReferralAuditApi(APIView):
    permission_classes = COORDINATORS

    @extend_schema(
        responses={
            200: AuditEntryOutputSerializer(many=True),
            404: NO_REFERRAL,
            **COORDINATOR_REFUSALS,
        }
    )
    def get(self, request: Request, referral_id: int) -> Response:
        referral = _referral_or_404(referral_id)
        entries = selectors.referral_audit_entries(referral=referral)
        return Response([audit_as_dict(entry) for entry in entries])


# --- Helpers' concerns ------------------------------------------------------------------------


class ConcernCreateApi(APIView):
    """POST /api/requests/<id>/concerns/: the matched helper tells the coordinators they are
    worried about the person they help. The response says only that it was received."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ConcernSerializer,
        responses={
            201: ConcernReceivedSerializer,
            400: BAD_REQUEST,
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(description="Not the helper matched with this request."),
            404: OpenApiResponse(description="No such request, or not yours to see."),
        },
    )
    def post(self, request: Request, request_id: int) -> Response:
        help_request = HelpRequest.objects.filter(pk=request_id).first()
        user = request.user
        if (
            help_request is None
            or not help_request_permissions(user=user, help_request=help_request).may_see
        ):
            raise NotFound("not_found", "No such request.")
        serializer = ConcernSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral_open_for_concern(
            helper_user=user,
            help_request=help_request,
            kind=serializer.validated_data["kind"],
            text=serializer.validated_data.get("text", ""),
        )
        return Response(
            {
                "kind": serializer.validated_data["kind"],
                "received_at": date_time_text(timezone.now()),
            },
            status=status.HTTP_201_CREATED,
        )


# --- Care diary -------------------------------------------------------------------------------


def _totals_as_dict(totals: dict) -> dict:
    def period(values: dict) -> dict:
        return {
            "start": values["start"].isoformat(),
            "end": values["end"].isoformat(),
            "hours": str(values["hours"]),
            "threshold": values["threshold"],
            "meets": values["meets"],
        }

    return {
        "date": totals["date"].isoformat(),
        "month": period(totals["month"]),
        "rolling_12_months": period(totals["rolling_12_months"]),
        "meets_either": totals["meets_either"],
    }


class DiaryListApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser]

    @extend_schema(responses={200: DiaryEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        entries = selectors.diary_entries(user=request.user)
        return Response(DiaryEntrySerializer(entries, many=True).data)

    @extend_schema(request=DiaryEntrySerializer, responses={201: DiaryEntrySerializer})
    def post(self, request: Request) -> Response:
        serializer = DiaryEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = diary_entry_create(user=request.user, **serializer.validated_data)
        return Response(DiaryEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class DiaryDetailApi(APIView):
    """One's own entries only: anyone else's is a 404."""

    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser]

    def _entry(self, request: Request, entry_id: int) -> CareDiaryEntry:
        return get_object_or_404(CareDiaryEntry, pk=entry_id, user=request.user)

    @extend_schema(responses={200: DiaryEntrySerializer})
    def get(self, request: Request, entry_id: int) -> Response:
        return Response(DiaryEntrySerializer(self._entry(request, entry_id)).data)

    @extend_schema(request=DiaryEntrySerializer, responses={200: DiaryEntrySerializer})
    def patch(self, request: Request, entry_id: int) -> Response:
        entry = self._entry(request, entry_id)
        serializer = DiaryEntrySerializer(entry, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = diary_entry_update(entry=entry, **serializer.validated_data)
        return Response(DiaryEntrySerializer(entry).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, entry_id: int) -> Response:
        diary_entry_delete(entry=self._entry(request, entry_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DiaryTotalsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD, default today")],
        responses={
            200: DiaryTotalsOutputSerializer,
            400: BAD_REQUEST,
            401: NOT_SIGNED_IN,
        },
    )
    def get(self, request: Request) -> Response:
        query = DiaryTotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        totals = selectors.diary_totals(user=request.user, on=query.validated_data.get("date"))
        return Response(_totals_as_dict(totals))
