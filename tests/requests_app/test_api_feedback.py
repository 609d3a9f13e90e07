"""POST and GET /api/requests/<id>/feedback/: private notes for the coordinators."""

import pytest

from requests_app.models import Feedback
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def url(help_request) -> str:
    return f"/api/requests/{help_request.pk}/feedback/"


def leave(user, help_request, **fields):
    data = {"kind": "comment", "text": "Tout s'est bien passé.", **fields}
    return client_for(user).post(url(help_request), data, format="json")


def test_the_requester_leaves_feedback_about_the_helper(personas, matched):
    response = leave(personas.requester, matched, kind="no_show", text="")

    assert response.status_code == 201, response.json()
    feedback = Feedback.objects.get()
    assert (feedback.author, feedback.about, feedback.kind) == (
        personas.requester,
        personas.helper,
        "no_show",
    )


def test_the_matched_helper_leaves_feedback_about_the_requester(personas, matched):
    response = leave(personas.helper, matched, kind="concern", text="Elle semblait épuisée.")

    assert response.status_code == 201
    assert Feedback.objects.get().about == personas.requester


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("coordinator", 403), ("other_helper", 404), ("outsider", 404), ("anonymous", 401)],
)
def test_nobody_else_leaves_feedback(personas, matched, persona, expected):
    assert leave(getattr(personas, persona), matched).status_code == expected
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "stars"}, "kind"),
        ({"kind": 5}, "kind"),
        ({"kind": "concern", "text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_feedback_is_a_400(personas, matched, fields, field):
    response = leave(personas.requester, matched, **fields)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", 200),
        ("requester", 403),
        ("helper", 403),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_only_coordinators_read_feedback(personas, matched, persona, expected):
    leave(personas.requester, matched, text="Très gentil.")

    response = client_for(getattr(personas, persona)).get(url(matched))

    assert response.status_code == expected
    if expected == 200:
        assert [item["text"] for item in response.json()] == ["Très gentil."]
