"""The access log over the API: the person's own (`GET /api/me/access-log/`) and the
organisation's, for coordinators (`GET /api/audit/`). Reading the log is not itself logged: it
holds no one's sensitive data beyond who read what, and logging it would grow without end."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import selectors
from audit.serializers import (
    AccessRecordOutputSerializer,
    OrganisationAccessRecordOutputSerializer,
    OrganisationAuditQuerySerializer,
)
from core.api_errors import NotAllowed


class MyAccessLogApi(APIView):
    # Like the export: what is held about the person, shown whatever else they still owe.
    privacy_notice_exempt = True

    @extend_schema(
        responses={
            200: AccessRecordOutputSerializer(many=True),
            401: OpenApiResponse(description="Not signed in."),
        },
        description="Every read of the person's sensitive data by someone else, newest first "
        "(at most 200).",
    )
    def get(self, request: Request) -> Response:
        records = selectors.access_log_of(subject=request.user)
        return Response(AccessRecordOutputSerializer(records, many=True).data)


class OrganisationAuditApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("subject", int, description="whose data (user id)"),
            OpenApiParameter("reader", int, description="who read (user id)"),
            OpenApiParameter("what", str),
            OpenApiParameter("since", str, description="ISO 8601 date-time"),
            OpenApiParameter("limit", int, description="1–1000, default 200"),
        ],
        responses={
            200: OrganisationAccessRecordOutputSerializer(many=True),
            400: OpenApiResponse(description="{field: [message]}: a malformed filter."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Signed in, but not a coordinator."),
        },
        description="Coordinators only: every read recorded in the organisation, newest first.",
    )
    def get(self, request: Request) -> Response:
        if not request.user.is_coordinator:
            raise NotAllowed("not_coordinator", _("Only coordinators read the access log."))
        query = OrganisationAuditQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        records = selectors.access_log_of_organisation(
            subject_id=filters.get("subject"),
            reader_id=filters.get("reader"),
            what=filters.get("what"),
            since=filters.get("since"),
            limit=filters["limit"],
        )
        return Response(OrganisationAccessRecordOutputSerializer(records, many=True).data)
