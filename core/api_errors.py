"""One place that turns exceptions into API error bodies (CONTRACT.md, "Conventions").

Validation errors keep DRF's `{field: [messages]}` shape; domain errors raised by services
become `{"code": ..., "detail": ...}` with the status they carry.
"""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core import database_outage


class DomainError(Exception):
    """An expected refusal raised by a service: carries a stable code and an HTTP status."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, detail: str, *, status_code: int | None = None, **extra):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra
        if status_code is not None:
            self.status_code = status_code


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "detail": str(exc.detail), **exc.extra}, status=exc.status_code
        )
    if database_outage.is_database_outage(exc):
        # The database is unreachable (also when it failed while authenticating the request):
        # say so instead of a 500, so clients retry. Pages get the same from
        # core.database_outage.DatabaseUnavailableMiddleware.
        return Response(
            {
                "code": database_outage.CODE,
                "detail": database_outage.database_unavailable_detail(),
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(database_outage.RETRY_AFTER_SECONDS)},
        )
    return exception_handler(exc, context)
