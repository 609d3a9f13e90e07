"""Garbage in gives a 400, never a 5xx (CONTRACT.md "Conventions")."""

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "/api/auth/register/": {
        "email": "new@example.be",
        "password": "Quiet-meadow-bicycle-71",
        "display_name": "New",
        "language": "fr",
        "postcode": "1000",
    },
    "/api/auth/token/": {"email": "new@example.be", "password": "Quiet-meadow-bicycle-71"},
    "/api/me/": {"display_name": "New", "language": "fr", "postcode": "1000"},
}

RAW_BODIES = {
    "null": "null",
    "list": '[{"email": "new@example.be"}]',
    "number": "42",
    "string": '"hello"',
    "broken json": '{"email": ',
    "empty": "",
}


def send(client, url, body: str):
    method = client.patch if url == "/api/me/" else client.post
    return method(url, body, content_type="application/json")


@pytest.fixture
def client(api_client):
    api_client.force_authenticate(UserFactory())
    return api_client


@pytest.mark.parametrize("url", list(VALID))
@pytest.mark.parametrize("body", list(RAW_BODIES.values()), ids=list(RAW_BODIES))
def test_a_body_that_is_not_an_object_is_a_400(client, url, body):
    response = send(client, url, body)

    # PATCH /api/me/ with an empty body changes nothing and is fine.
    if url == "/api/me/" and body == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 400


BAD_VALUES = [
    ("display_name", "x" * 10_000),
    ("email", "new\x00@example.be"),
    ("password", "Quiet-meadow\x00-71"),
    ("email", "x" * 10_000 + "@example.be"),
    ("postcode", "1\x00000"),
    ("language", ["fr"]),
    ("language", {"fr": True}),
    ("email", 12),
    ("postcode", None),
    ("display_name", {"name": "New"}),
]


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        pytest.param(url, field, value, id=f"{url} {field}={str(value)[:20]!r}")
        for url, fields in VALID.items()
        for field, value in BAD_VALUES
        if field in fields
    ],
)
def test_a_field_of_the_wrong_type_or_size_is_a_400(client, url, field, value):
    body = {**VALID[url], field: value}

    if url == "/api/me/":
        response = client.patch(url, body, format="json")
    else:
        response = client.post(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
