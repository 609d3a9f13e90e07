"""Every 404 and 403 under /api/ has one body shape, `{"code": ..., "detail": ...}`, whoever
refused (a service's domain error, DRF, Django's Http404, a route that matches nothing); and
services and selectors refuse in domain terms, never with HTTP statuses (core.api_errors)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from tests.security.test_access_matrix import API, api_client_as, body_of

REFUSALS = (403, 404)


def refusal_cells():
    """The access matrix's API cells that answer 403 or 404."""
    return [cell for row in API for cell in row.cells() if cell.values[2] in REFUSALS]


def assert_one_shape(response) -> None:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert {"code", "detail"} <= set(body), body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona", "expected"), refusal_cells())
def test_every_refusal_of_the_access_matrix_has_the_one_shape(
    access_world, case, persona, expected
):
    client = api_client_as(access_world, persona)
    body = body_of(case, access_world)
    options = {"format": case.body_format} if body is not None else {}

    response = getattr(client, case.method.lower())(
        case.path.format(w=access_world), body, **options
    )

    assert response.status_code == expected
    assert_one_shape(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/requests/abc/",  # the route wants a number: no route matches
        "/api/nothing-here/",
        "/api/requests/{w.unknown_id}/offers/",  # Http404 from the view
        "/api/requests/{w.unknown_id}/visits/",
        "/api/requests/{w.unknown_id}/candidates/",  # a service's NotFound
    ],
)
@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_404_under_the_api_is_one_shape_in_every_language(access_world, path, language):
    client = api_client_as(access_world, "requester")

    response = client.get(path.format(w=access_world), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert_one_shape(response)
    assert response.json()["code"] == "not_found"


def _modules_named(*names: str):
    """The project's services and selectors modules (packages of that name included)."""
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/**/*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in (".venv", "tests", "node_modules") or parts[0].startswith("."):
            continue
        if any(part.removesuffix(".py") in names for part in parts[1:]):
            yield path


def _imports_http_statuses(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "rest_framework":
            if any(alias.name == "status" for alias in node.names):
                return True
        if isinstance(node, ast.ImportFrom) and node.module == "rest_framework.status":
            return True
        if isinstance(node, ast.Import) and any(
            alias.name == "rest_framework.status" for alias in node.names
        ):
            return True
    return False


def test_services_and_selectors_know_no_http_statuses():
    modules = list(_modules_named("services", "selectors"))
    assert len(modules) >= 10  # the search found them

    offenders = [
        str(path)
        for path in modules
        if _imports_http_statuses(ast.parse(path.read_text(), filename=str(path)))
    ]

    assert offenders == []
