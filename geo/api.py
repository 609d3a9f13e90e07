"""Places API (CONTRACT.md "Places")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import NotFound
from core.fast_rows import rows_data
from geo.selectors import postcode_detail_rows
from geo.serializers import ErrorSerializer, PostcodeSerializer


class PostcodeDetailApi(APIView):
    # Public reference data: anyone may look a postcode up, signed in or not.
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="geo_postcode_retrieve",
        summary="A Belgian postcode, its municipality and its point",
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="Four digits, e.g. 1000."
            )
        ],
        responses={
            200: PostcodeSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description='Unknown or malformed: code "unknown_postcode".'
            ),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        # A hot path: PostcodeSerializer writes the selector's row (core.fast_rows).
        rows = postcode_detail_rows(code=code)
        if not rows:
            raise NotFound("unknown_postcode", _("This is not a current Belgian postcode."))
        return Response(rows_data(PostcodeSerializer, rows)[0])
