"""Request-flow API (CONTRACT.md, "Requests and matching"): requests, offers, accept, cancel,
complete, visits and feedback. Candidates and nearby requests are ranking's (ranking/api.py).

Who may do what is requests_app.permissions': a request someone may not read is a 404 (its
existence is not leaked), whatever they try to do with it; someone who may read it but not do
this is a 403. Views parse, call one service or selector, and render.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_errors import NotAllowed
from core.fast_rows import rows_data
from core.json_parser import SafeJSONParser
from core.rate_limits import HelpRequestCreateRateLimit, OfferCreateRateLimit
from requests_app import selectors, services
from requests_app.models import HelpRequest
from requests_app.permissions import help_request_permissions
from requests_app.serializers import (
    FeedbackCreateInputSerializer,
    FeedbackOutputSerializer,
    HelpRequestCreateInputSerializer,
    HelpRequestOutputSerializer,
    OfferAcceptOutputSerializer,
    OfferCreateInputSerializer,
    OfferOutputSerializer,
    VisitCreateInputSerializer,
    VisitOutputSerializer,
    offer_data,
)

NOT_FOUND = OpenApiResponse(description="Unknown, or not yours to see.")
FORBIDDEN = OpenApiResponse(description="You may see it but not do this.")
CONFLICT = OpenApiResponse(description="The request's state does not allow it (any more).")


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's {field: [messages]} as DRF's 400 body of the same shape."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


def _validated(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _forbidden(detail: str) -> NotAllowed:
    return NotAllowed("not_allowed", detail)


def _visible_request(request: Request, pk: int) -> HelpRequest:
    help_request = selectors.help_request_visible_to(user=request.user, pk=pk)
    if help_request is None:
        raise Http404
    return help_request


def _help_request_data(help_request: HelpRequest, request: Request, carer_signal=True) -> dict:
    context = {"viewer": request.user, "carer_signal": carer_signal}
    return HelpRequestOutputSerializer(help_request, context=context).data


# `?as=` of the list: a parameter named after a Python keyword, so checked by the field alone.
LIST_AS = serializers.ChoiceField(choices=["requester", "helper"])


class FlowApi(APIView):
    parser_classes = [SafeJSONParser]


class HelpRequestListCreateApi(FlowApi):
    throttle_classes = [HelpRequestCreateRateLimit]  # POST only

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as",
                str,
                enum=["requester", "helper"],
                description="requester (default): requests you asked for or made for someone; "
                "helper: requests you are the matched helper of.",
            )
        ],
        responses={200: HelpRequestOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        try:
            view_as = LIST_AS.run_validation(request.query_params.get("as", "requester"))
        except serializers.ValidationError as error:
            # An unknown value is a 400, not quietly the default view.
            raise serializers.ValidationError({"as": error.detail}) from None
        if view_as == "helper":
            rows = selectors.help_request_rows_matched_to(helper_user=request.user, limit=200)
        else:
            rows = selectors.help_request_rows_of(user=request.user, limit=200)
        shown = rows_data(
            HelpRequestOutputSerializer,
            rows,
            context={"viewer": request.user, "carer_signal": False},
        )
        services.help_request_reads_record(reader=request.user, shown=shown, route=request.path)
        return Response(shown)

    @extend_schema(
        request=HelpRequestCreateInputSerializer,
        examples=[
            OpenApiExample(
                "Weekly shopping",
                value={
                    "category": "shopping",
                    "description": "Courses au supermarché du quartier.",
                    "postcode": "5000",
                    "duration_minutes": 60,
                    "recurrence": "weekly",
                },
                request_only=True,
            )
        ],
        responses={
            201: HelpRequestOutputSerializer,
            400: OpenApiResponse(
                description="{field: [messages]}, or {code: medical_task, detail, services}."
            ),
            403: OpenApiResponse(description="`requester` names someone else: coordinators only."),
        },
        description="`requester` (a user id) is an extension of the contract: a coordinator "
        "asks for help on someone's behalf; the person is the requester, the coordinator "
        "`created_by`.",
    )
    def post(self, request: Request) -> Response:
        data = dict(_validated(HelpRequestCreateInputSerializer, request))
        requester = request.user
        requester_id = data.pop("requester", None)
        if requester_id is not None and requester_id != request.user.pk:
            # The service checks it too; first here, before the lookup, so that someone who may
            # not name another person learns nothing about which accounts exist.
            services.help_request_on_behalf_check(created_by=request.user)
            requester = User.objects.filter(pk=requester_id, is_active=True).first()
            if requester is None:
                raise serializers.ValidationError({"requester": [_("Unknown person.")]})
        location = data.pop("location", None)
        try:
            help_request = services.help_request_create(
                requester=requester, created_by=request.user, location=location, **data
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(_help_request_data(help_request, request), status=status.HTTP_201_CREATED)


class HelpRequestDetailApi(FlowApi):
    @extend_schema(responses={200: HelpRequestOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, request_id: int) -> Response:
        rows = selectors.help_request_row_visible_to(user=request.user, pk=request_id)
        if not rows:
            raise Http404
        shown = rows_data(HelpRequestOutputSerializer, rows, context={"viewer": request.user})
        services.help_request_reads_record(reader=request.user, shown=shown, route=request.path)
        return Response(shown[0])


class HelpRequestOffersApi(FlowApi):
    throttle_classes = [OfferCreateRateLimit]  # POST only

    @extend_schema(
        responses={200: OfferOutputSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND}
    )
    def get(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        permissions = help_request_permissions(user=request.user, help_request=help_request)
        if not permissions.may_see_offers:
            raise _forbidden(_("Only the person asking for help sees the offers."))
        offers = selectors.offers_for(help_request=help_request)
        return Response([offer_data(offer) for offer in offers])

    @extend_schema(
        request=OfferCreateInputSerializer,
        responses={
            201: OfferOutputSerializer,
            403: OpenApiResponse(description="Not a verified helper, or not eligible."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="The request is not open, or you already offered."),
        },
    )
    def post(self, request: Request, request_id: int) -> Response:
        # Helpers find requests in their nearby list, so any existing request may be offered on;
        # eligibility (403) keeps them to the ones that fit. Anyone who cannot offer at all is
        # refused before the lookup: the same 403 for every id, existing or not.
        services.offer_check_helper(helper_user=request.user)
        help_request = selectors.help_request_reference(pk=request_id)
        if help_request is None:
            raise Http404
        data = _validated(OfferCreateInputSerializer, request)
        try:
            offer = services.offer_create(
                help_request=help_request, helper_user=request.user, message=data["message"]
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(offer_data(offer), status=status.HTTP_201_CREATED)


class OfferAcceptApi(FlowApi):
    @extend_schema(
        request=None,
        responses={200: OfferAcceptOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, offer_id: int) -> Response:
        offer = selectors.offer_visible_to(user=request.user, pk=offer_id)
        if offer is None:
            raise Http404
        conversation = services.offer_accept(offer=offer, acting_user=request.user)
        return Response({"status": "accepted", "conversation": conversation.pk})


class HelpRequestCancelApi(FlowApi):
    @extend_schema(
        request=None,
        responses={200: HelpRequestOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        help_request = services.help_request_cancel(
            help_request=help_request, acting_user=request.user
        )
        return Response(_help_request_data(help_request, request, carer_signal=False))


class HelpRequestCompleteApi(FlowApi):
    @extend_schema(
        request=None,
        responses={200: HelpRequestOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        help_request = services.help_request_complete(
            help_request=help_request, acting_user=request.user
        )
        return Response(_help_request_data(help_request, request, carer_signal=False))


class HelpRequestVisitsApi(FlowApi):
    @extend_schema(responses={200: VisitOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        visits = selectors.visits_for(help_request=help_request)
        return Response(VisitOutputSerializer(visits, many=True).data)

    @extend_schema(
        request=VisitCreateInputSerializer,
        responses={201: VisitOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        data = _validated(VisitCreateInputSerializer, request)
        try:
            visit = services.visit_log(
                help_request=help_request,
                helper_user=request.user,
                date=data["date"],
                hours=data["hours"],
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(VisitOutputSerializer(visit).data, status=status.HTTP_201_CREATED)


class VisitConfirmApi(FlowApi):
    @extend_schema(
        request=None, responses={200: VisitOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND}
    )
    def post(self, request: Request, visit_id: int) -> Response:
        visit = selectors.visit_visible_to(user=request.user, pk=visit_id)
        if visit is None:
            raise Http404
        visit = services.visit_confirm(visit=visit, acting_user=request.user)
        return Response(VisitOutputSerializer(visit).data)


class HelpRequestFeedbackApi(FlowApi):
    @extend_schema(
        responses={200: FeedbackOutputSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
        description="Coordinators only: feedback is private to them.",
    )
    def get(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        permissions = help_request_permissions(user=request.user, help_request=help_request)
        if not permissions.may_read_feedback:
            raise _forbidden(_("Feedback is read by the coordinators only."))
        feedback = list(selectors.feedback_for(help_request=help_request))
        services.feedback_reads_record(reader=request.user, feedback=feedback, route=request.path)
        return Response(FeedbackOutputSerializer(feedback, many=True).data)

    @extend_schema(
        request=FeedbackCreateInputSerializer,
        responses={201: FeedbackOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, request_id: int) -> Response:
        help_request = _visible_request(request, request_id)
        data = _validated(FeedbackCreateInputSerializer, request)
        try:
            feedback = services.feedback_leave(
                help_request=help_request, author=request.user, kind=data["kind"], text=data["text"]
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(FeedbackOutputSerializer(feedback).data, status=status.HTTP_201_CREATED)
