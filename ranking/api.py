"""Ranking API: the candidates of a request and the requests near a helper (CONTRACT.md
"Requests and matching")."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import NotAllowed, NotFound
from core.fast_rows import rows_data
from ranking import selectors
from ranking.serializers import (
    CandidateSerializer,
    CandidatesQuerySerializer,
    NearbyRequestSerializer,
)
from requests_app.permissions import help_request_permissions


def _not_found() -> NotFound:
    return NotFound("not_found", _("No such request."))


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
        permissions = help_request_permissions(user=request.user, help_request=help_request)
        if not permissions.may_see:
            raise _not_found()
        if not permissions.may_see_candidates:
            # They may read the request itself, so its existence is no secret to them.
            raise NotAllowed(
                "forbidden", _("Only the person asking and coordinators see the candidates.")
            )
        query = CandidatesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Reasons speak to the person asking, in their language, whoever reads them.
        requester = help_request.requester
        language = requester.language if requester is not None else get_language()
        candidates = selectors.candidates_for(
            help_request=help_request, limit=query.validated_data["limit"], language=language
        )
        return Response(CandidateSerializer(candidates, many=True).data)


class NearbyRequestsApi(APIView):
    @extend_schema(
        responses={
            200: NearbyRequestSerializer(many=True),
            403: OpenApiResponse(description="No helper profile."),
        }
    )
    def get(self, request: Request) -> Response:
        # The heaviest call of a helper's day: rows written as NearbyRequestSerializer writes
        # them (core.fast_rows), no models nor GEOS points. The one profile query tells both
        # whether they are a helper and where to look.
        rows = selectors.nearby_request_rows_for(helper_user=request.user)
        if rows is None:
            raise NotAllowed(
                "no_helper_profile",
                _("Only helpers see nearby requests: set up your helper profile first."),
            )
        return Response(rows_data(NearbyRequestSerializer, rows))
