"""The directory's API (CONTRACT.md, "Carers and referrals" and "Service partners and access
log"): services for a postcode; the coordinators' exports and imports (Tandem's CSV, Open
Referral HSDS 3), their corrections of contact details and the entries due for verification
(docs/SERVICES.md). Routes: directory/urls.py, under /api/."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Language
from accounts.permissions import COORDINATORS
from accounts.selectors import account_link_base
from core.api_errors import NotFound
from core.languages import active_language
from directory import selectors
from directory.csv_files import DirectoryCsvError, parse_services_csv, services_to_csv
from directory.hsds import hsds_tables, hsds_zip, parse_hsds_package, read_hsds_archive
from directory.serializers import (
    ContactCorrectionSerializer,
    MemberInviteSerializer,
    MemberOutputSerializer,
    PostcodeQuerySerializer,
    ServiceForCoordinatorSerializer,
    ServiceImportQuerySerializer,
    ServiceImportResultSerializer,
    ServiceOutputSerializer,
    ServiceWithHistorySerializer,
)
from directory.services import (
    service_contact_correct,
    service_member_invite,
    services_import,
    services_import_hsds,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_PACKAGE_BYTES = 10 * 1024 * 1024

BAD_REQUEST = OpenApiResponse(description="{field: [message]}: missing or malformed input.")
COORDINATOR_REFUSALS = {
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Signed in, but not a coordinator."),
}


class ServiceListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("postcode", str, required=True)],
        responses={
            200: ServiceOutputSerializer(many=True),
            400: OpenApiResponse(description="{postcode: [message]}: missing or malformed."),
            404: OpenApiResponse(description="Not a current Belgian postcode."),
        },
    )
    def get(self, request: Request) -> Response:
        query = PostcodeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        postcode = query.validated_data["postcode"]
        found = selectors.services_for_postcode_data(postcode, language=active_language())
        if found is None:
            raise NotFound("unknown_postcode", _("This is not a current Belgian postcode."))
        return Response(found)


class ServiceExportApi(APIView):
    """The whole directory as CSV: `?shape=csv` (Tandem's columns, the import format) or
    `?shape=hsds` (Open Referral HSDS 3 tables, zipped). Not `?format=`: DRF reads that one
    for content negotiation."""

    permission_classes = COORDINATORS

    @extend_schema(
        parameters=[OpenApiParameter("shape", str, enum=["csv", "hsds"])],
        responses={
            200: OpenApiResponse(description="text/csv or application/zip"),
            400: BAD_REQUEST,
            **COORDINATOR_REFUSALS,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        export_shape = request.query_params.get("shape", "csv")
        if export_shape not in {"csv", "hsds"}:
            raise ValidationError({"shape": [_("Use csv or hsds.")]})
        all_services = selectors.services_for_export()
        stamp = timezone.localdate().isoformat()
        if export_shape == "hsds":
            body = hsds_zip(hsds_tables(all_services, language=active_language()))
            response = HttpResponse(body, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="services-hsds-{stamp}.zip"'
            return response
        response = HttpResponse(services_to_csv(all_services), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="services-{stamp}.csv"'
        return response


class ServiceImportApi(APIView):
    """Create or update services, all or nothing, from Tandem's CSV (`?shape=csv`, the
    default) or an Open Referral HSDS 3 tabular data package, zipped (`?shape=hsds`), sent as
    multipart `file`. `?dry_run=1` reports what would change and writes nothing; for HSDS,
    `?language=` says in which language the package's names are (default: the request's)."""

    permission_classes = COORDINATORS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("shape", str, enum=["csv", "hsds"]),
            OpenApiParameter("dry_run", bool),
            OpenApiParameter("language", str, enum=["fr", "nl", "de", "en"]),
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            200: ServiceImportResultSerializer,
            400: OpenApiResponse(description="{file: [row errors]}"),
            **COORDINATOR_REFUSALS,
        },
    )
    def post(self, request: Request) -> Response:
        query = ServiceImportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        upload = request.FILES.get("file")
        if upload is None and options["shape"] == "hsds":
            raise ValidationError({"file": [_("Attach the zipped data package as `file`.")]})
        if upload is None:
            raise ValidationError({"file": [_("Attach the CSV file as `file`.")]})
        if options["shape"] == "hsds":
            return Response(self._hsds(upload, options, actor=request.user))
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError({"file": [_("The file is larger than 2 MB.")]})
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError({"file": [_("The file must be UTF-8 text.")]}) from error
        try:
            rows = parse_services_csv(text, known_refnis=selectors.known_municipality_codes())
            result = services_import(rows=rows, dry_run=options["dry_run"])
        except DirectoryCsvError as error:
            raise ValidationError({"file": error.errors[:50]}) from error
        if options["dry_run"]:
            result["dry_run"] = True
        return Response(result)

    @staticmethod
    def _hsds(upload, options: dict, *, actor) -> dict:
        if upload.size > MAX_PACKAGE_BYTES:
            raise ValidationError({"file": [_("The file is larger than 10 MB.")]})
        try:
            records = parse_hsds_package(
                read_hsds_archive(upload.read()),
                known_refnis=selectors.known_municipality_codes(),
            )
            report = services_import_hsds(
                records=records,
                language=options.get("language") or active_language(),
                actor=actor,
                dry_run=options["dry_run"],
            )
        except DirectoryCsvError as error:
            raise ValidationError({"file": error.errors[:50]}) from error
        return ServiceImportResultSerializer(
            {**report.counts(), "dry_run": report.dry_run, "rows": report.rows}
        ).data


def _coordinator_service(service_id: int):
    service = selectors.service_get(service_id=service_id)
    if service is None:
        raise NotFound("service_not_found", _("No such service."))
    service.history = list(selectors.service_contact_history(service=service))
    return service


def _coordinator_context() -> dict:
    return {"language": active_language(), "today": timezone.localdate()}


class ServiceDetailApi(APIView):
    """One entry as coordinators see it: licence, verification, history of its contacts."""

    permission_classes = COORDINATORS

    @extend_schema(
        responses={
            200: ServiceWithHistorySerializer,
            404: OpenApiResponse(description="No such service."),
            **COORDINATOR_REFUSALS,
        }
    )
    def get(self, request: Request, service_id: int) -> Response:
        service = _coordinator_service(service_id)
        return Response(ServiceWithHistorySerializer(service, context=_coordinator_context()).data)


class ServiceContactApi(APIView):
    """A coordinator adds, corrects or confirms an entry's contact details, with a source."""

    permission_classes = COORDINATORS

    @extend_schema(
        request=ContactCorrectionSerializer,
        responses={
            200: ServiceWithHistorySerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(description="No such service."),
            **COORDINATOR_REFUSALS,
        },
    )
    def post(self, request: Request, service_id: int) -> Response:
        service = _coordinator_service(service_id)
        body = ContactCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        source, source_url = data.pop("source"), data.pop("source_url")
        service_contact_correct(
            service=service,
            actor=request.user,
            source=source,
            source_url=source_url,
            changes=data,
        )
        service = _coordinator_service(service_id)
        return Response(ServiceWithHistorySerializer(service, context=_coordinator_context()).data)


class ServicesUnverifiedApi(APIView):
    """Active entries never verified or not for 12 months, the longest unverified first."""

    permission_classes = COORDINATORS

    @extend_schema(
        responses={200: ServiceForCoordinatorSerializer(many=True), **COORDINATOR_REFUSALS}
    )
    def get(self, request: Request) -> Response:
        context = _coordinator_context()
        services = selectors.services_needing_verification(today=context["today"])
        return Response(ServiceForCoordinatorSerializer(services, many=True, context=context).data)


def member_as_dict(membership) -> dict:
    return {
        "id": membership.user_id,
        "email": membership.user.email,
        "display_name": membership.user.display_name,
        "service": membership.service_id,
        "email_verified": membership.user.email_verified,
        "invited_at": timezone.localtime(membership.invited_at).isoformat(),
    }


class ServiceMembersApi(APIView):
    """A partner service's workers (coordinators): list them, invite one (CONTRACT.md,
    "Service partners and access log")."""

    permission_classes = COORDINATORS

    def _service(self, service_id: int):
        service = selectors.service_get(service_id=service_id)
        if service is None:
            raise NotFound("not_found", _("No such service."))
        return service

    @extend_schema(responses={200: MemberOutputSerializer(many=True), **COORDINATOR_REFUSALS})
    def get(self, request: Request, service_id: int) -> Response:
        service = self._service(service_id)
        return Response([member_as_dict(m) for m in selectors.service_members(service=service)])

    @extend_schema(
        request=MemberInviteSerializer,
        responses={201: MemberOutputSerializer, 400: BAD_REQUEST, **COORDINATOR_REFUSALS},
    )
    def post(self, request: Request, service_id: int) -> Response:
        service = self._service(service_id)
        serializer = MemberInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = service_member_invite(
            coordinator=request.user,
            service=service,
            email=data["email"],
            display_name=data.get("display_name", ""),
            language=data.get("language") or Language.FRENCH,
            link_base=account_link_base(request=request),
        )
        return Response(member_as_dict(membership), status=201)
