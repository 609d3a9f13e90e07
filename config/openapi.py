"""The OpenAPI schema's view of the errors every API operation can answer (CONTRACT.md,
"Conventions").

drf-spectacular documents what each view's `@extend_schema` names, usually the success and the
domain refusals. The errors that come from the framework around the view are the same for every
operation and are added here, once, instead of on each view:

- 400 for input the operation reads (a body, or query parameters): `{field: [messages]}` or
  `{"code", "detail"}`;
- 401 where signing in is required;
- 403 where a permission beyond being signed in is required (e.g. coordinators only);
- 404 where the path names an object (unknown, or not the caller's);
- 413 and 415 where the operation reads a body: too large (core/json_parser.py), or sent in
  another format than the one it accepts;
- 429 where the view is rate-limited.

A view's own documentation of a status always wins. Clients (and the schemathesis run in
tests/security/test_schema_fuzz.py) can then rely on the schema listing every status they may get.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny, IsAuthenticated

API_ERROR = "ApiError"
VALIDATION_ERROR = "ValidationErrorBody"

_COMPONENTS = {
    API_ERROR: {
        "type": "object",
        "description": '{"code": ..., "detail": ...}; DRF\'s own errors carry only "detail".',
        "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": (
            "{field: [messages]} (nested for nested input), or a domain refusal "
            '{"code": ..., "detail": ...}.'
        ),
        "additionalProperties": {},
    },
}


class TandemAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the framework-level errors (module docstring)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        parameters = operation.get("parameters", [])
        security = operation.get("security", [])

        reads_input = "requestBody" in operation or method in ("POST", "PUT", "PATCH")
        if reads_input or any(parameter["in"] == "query" for parameter in parameters):
            self._add_error(responses, 400, "Invalid input.", VALIDATION_ERROR)
        if security and {} not in security:
            self._add_error(responses, 401, "Not signed in.", API_ERROR)
        if any(
            not isinstance(permission, (AllowAny, IsAuthenticated))  # noqa: UP038 (DRF overloads |)
            for permission in self.view.get_permissions()
        ):
            self._add_error(responses, 403, "Not allowed for this person.", API_ERROR)
        if any(parameter["in"] == "path" for parameter in parameters):
            self._add_error(responses, 404, "Unknown, or not yours to see.", API_ERROR)
        if reads_input:
            self._add_error(responses, 413, "The body is too large.", API_ERROR)
            self._add_error(responses, 415, "Send the body as the operation says.", API_ERROR)
        if self.view.get_throttles():
            self._add_error(
                responses, 429, "Too many attempts; see the Retry-After header.", API_ERROR
            )
        return operation

    def _add_error(self, responses: dict, status_code: int, description: str, name: str) -> None:
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=_COMPONENTS[name],
        )
        self.registry.register_on_missing(component)
        responses.setdefault(
            str(status_code),
            {
                "content": {"application/json": {"schema": component.ref}},
                "description": description,
            },
        )
