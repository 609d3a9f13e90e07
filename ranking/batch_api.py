"""Batch assignment API (CONTRACT.md "Requests and matching"): the coordinator's batch run, and
the proposals it makes to helpers. Thin views over ranking/batch.py."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import COORDINATORS
from core.strict_fields import (
    DATABASE_ID_MAX,
    QueryChoiceField,
    StrictBooleanField,
    StrictIntegerField,
)
from geo.serializers import LocationSerializer
from ranking import batch
from ranking.models import Proposal, ProposalStatus


class BatchInputSerializer(serializers.Serializer):
    # A missing flag never writes anything.
    dry_run = StrictBooleanField(default=True)
    request_ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=DATABASE_ID_MAX),
        required=False,
        allow_empty=False,
        max_length=50_000,
    )


class AssignmentSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    helper = serializers.IntegerField(help_text="The helper's user id.")
    score = serializers.FloatField()


class ProposalSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id")
    helper = serializers.IntegerField(source="helper_id")
    batch = serializers.UUIDField(source="batch_id")
    # See batch.proposals_of_helper: an open proposal on a request matched otherwise is stale.
    status = serializers.SerializerMethodField()
    category = serializers.CharField(source="request.category")
    description = serializers.CharField(source="request.description")
    duration_minutes = serializers.IntegerField(source="request.duration_minutes")
    recurrence = serializers.CharField(source="request.recurrence")
    location = LocationSerializer(
        source="request.approximate_location",
        help_text="Approximate (500–900 m away from the real place) until matched.",
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "request",
            "helper",
            "score",
            "status",
            "batch",
            "created_at",
            "decided_at",
            "category",
            "description",
            "duration_minutes",
            "recurrence",
            "location",
        ]

    def get_status(self, proposal: Proposal) -> str:
        return getattr(proposal, "effective_status", proposal.status)


class BatchOutputSerializer(serializers.Serializer):
    assignments = AssignmentSerializer(many=True)
    total_score = serializers.FloatField()
    unassigned = serializers.ListField(child=serializers.IntegerField())
    optimal = serializers.BooleanField(
        help_text="False when the solver's time limit stopped it before it proved optimality."
    )
    batch = serializers.UUIDField(required=False, help_text="Real runs only.")
    proposals = ProposalSerializer(many=True, required=False, help_text="Real runs only.")


class ProposalListQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(choices=ProposalStatus.choices, required=False)


class ProposalAcceptOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    conversation = serializers.IntegerField()


class BatchApi(APIView):
    permission_classes = COORDINATORS

    @extend_schema(
        request=BatchInputSerializer,
        responses={
            200: BatchOutputSerializer,
            400: OpenApiResponse(description="Bad input, or an id that is not an open request."),
            403: OpenApiResponse(description="Not a coordinator."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = BatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            run = batch.batch_run(
                coordinator=request.user,
                dry_run=data["dry_run"],
                request_ids=data.get("request_ids"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        body = run.plan.as_dict()
        if run.proposals is not None:
            body["batch"] = str(run.batch_id)
            proposals = Proposal.objects.filter(
                id__in=[proposal.id for proposal in run.proposals]
            ).select_related("request")
            body["proposals"] = ProposalSerializer(proposals, many=True).data
        return Response(body)


class ProposalListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[ProposalListQuerySerializer], responses={200: ProposalSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        query = ProposalListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        proposals = batch.proposals_of_helper(
            helper_user=request.user, status=query.validated_data.get("status")
        )
        return Response(ProposalSerializer(proposals, many=True).data)


class ProposalAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: ProposalAcceptOutputSerializer,
            404: OpenApiResponse(description="Unknown, or someone else's proposal."),
            409: OpenApiResponse(description="The proposal or the request is no longer open."),
        },
    )
    def post(self, request: Request, proposal_id: int) -> Response:
        try:
            conversation = batch.proposal_accept(proposal_id=proposal_id, helper_user=request.user)
        except Proposal.DoesNotExist as error:
            raise NotFound() from error
        return Response({"status": ProposalStatus.ACCEPTED, "conversation": conversation.id})


class ProposalDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(description='{"status": "declined"}'),
            404: OpenApiResponse(description="Unknown, or someone else's proposal."),
            409: OpenApiResponse(description="The proposal is no longer open."),
        },
    )
    def post(self, request: Request, proposal_id: int) -> Response:
        try:
            batch.proposal_decline(proposal_id=proposal_id, helper_user=request.user)
        except Proposal.DoesNotExist as error:
            raise NotFound() from error
        return Response({"status": ProposalStatus.DECLINED})
