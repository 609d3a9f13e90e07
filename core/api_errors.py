"""One place that turns exceptions into API error bodies (CONTRACT.md, "Conventions").

Services and selectors refuse in domain terms and know nothing of HTTP: they raise one of the
kinds below, and api_exception_handler, the one handler of every API view, maps the kind to its
status. Validation errors keep DRF's `{field: [messages]}` shape; domain errors become
`{"code": ..., "detail": ...}` (plus any extra facts they carry). Every 404 and 403 under /api/
has the domain shape too, whoever raised it (DRF's NotFound and PermissionDenied, Django's Http404
and PermissionDenied, a route that matches nothing: config/api_not_found.py), so a client reads
one shape: `{"code": "not_found" | "permission_denied" | <the service's code>, "detail": ...}`.
"""

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core import database_outage


class DomainError(Exception):
    """An expected refusal raised by a service, with a stable code: the input cannot be
    accepted (→ 400). The subclasses below are the other kinds of refusal.

    `status_code=` is for code not yet written with the kinds; new code raises a kind.
    """

    def __init__(self, code: str, detail: str, *, status_code: int | None = None, **extra):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra
        self._status_code = status_code

    @property
    def status_code(self) -> int:
        """The HTTP status of this refusal, for views (API and pages) that answer with one."""
        if self._status_code is not None:
            return self._status_code
        return next(code for kind, code in _STATUS_OF_KIND if isinstance(self, kind))


class NotAllowed(DomainError):
    """The person may see the thing but not do this (→ 403)."""


class NotFound(DomainError):
    """No such thing, or not the person's to see: the two look alike (→ 404)."""


class Conflict(DomainError):
    """The state of the thing does not allow it (any more) (→ 409)."""


class RateLimited(DomainError):
    """Too many attempts too quickly (→ 429)."""


# Most specific first: the first kind an error is an instance of gives its status.
_STATUS_OF_KIND = (
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (NotFound, status.HTTP_404_NOT_FOUND),
    (Conflict, status.HTTP_409_CONFLICT),
    (RateLimited, status.HTTP_429_TOO_MANY_REQUESTS),
    (DomainError, status.HTTP_400_BAD_REQUEST),
)

NOT_FOUND_CODE = exceptions.NotFound.default_code  # "not_found"
PERMISSION_DENIED_CODE = exceptions.PermissionDenied.default_code  # "permission_denied"


def not_found_body() -> dict:
    """The body of a 404 that no service explained (unknown route, Http404), in the active
    language."""
    return {"code": NOT_FOUND_CODE, "detail": str(exceptions.NotFound.default_detail)}


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
    response = exception_handler(exc, context)
    if (
        response is not None
        and response.status_code in (status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND)
        and isinstance(response.data, dict)
        and set(response.data) == {"detail"}
    ):
        # DRF's `{"detail"}` → `{"code", "detail"}`: the one 404/403 shape under /api/.
        response.data = {"code": _code_of(exc, response.status_code), **response.data}
    return response


def _code_of(exc: Exception, status_code: int) -> str:
    """The code of a 403/404 DRF answered: its own (e.g. "not_authenticated"), or the default
    of its status for Django's Http404 and PermissionDenied."""
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            return codes
    if status_code == status.HTTP_404_NOT_FOUND:
        return NOT_FOUND_CODE
    return PERMISSION_DENIED_CODE
