"""Carers API (CONTRACT.md, "Carers and referrals"): the recognition self-assessment."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carers.outcome_texts import render_outcome
from carers.serializers import AssessmentInputSerializer, AssessmentOutputSerializer
from carers.services.assessments import assessment_create
from core.json_parser import SafeJSONParser
from core.languages import active_language
from directory.selectors import services_for_postcode_data


class AssessmentCreateApi(APIView):
    """Anyone, signed in or not, may run the check.

    The default authentication stays on so a signed-in person's run is linked to them; DRF's
    SessionAuthentication asks for the CSRF token only from signed-in session users, so an
    anonymous JSON client needs none.
    """

    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentOutputSerializer,
            400: OpenApiResponse(description="{field: [messages]} for any invalid answer."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        language = active_language()
        assessment = assessment_create(
            answers=data["answers"],
            language=language,
            postcode=data.get("postcode") or "",
            contact_consent=data.get("contact_consent", False),
            contact=data.get("contact"),
            user=request.user,
        )
        body = {
            "id": assessment.pk,
            **render_outcome(assessment.outcome, language=language),
            "services": services_for_postcode_data(assessment.postcode or None, language=language)
            or [],
        }
        return Response(body, status=status.HTTP_201_CREATED)
