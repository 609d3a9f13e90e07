"""POST /api/carers/assessments/ (CONTRACT.md, "Carers and referrals", "Assessment shape")."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from carers.models import Assessment
from tests.accounts.factories import UserFactory
from tests.carers.factories import AnswersFactory

pytestmark = pytest.mark.django_db

URL = "/api/carers/assessments/"


@pytest.fixture
def api():
    # CSRF checks on, as in production: anonymous JSON clients must not need a token.
    return APIClient(enforce_csrf_checks=True)


def post(api, body, **headers):
    return api.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def reason_shape_ok(item):
    return set(item) >= {"code", "text", "source"} and item["text"] and item["source"]


def test_an_anonymous_visitor_gets_201_with_the_contract_shape(api, service_directory):
    response = post(api, {"postcode": "5000", **AnswersFactory()}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {
        "id",
        "rules_version",
        "general",
        "social_rights",
        "missing",
        "next_steps",
        "leave",
        "services",
    }
    assert body["rules_version"] == "2024-09-19"
    assert body["general"]["status"] == "likely"
    assert body["social_rights"]["status"] == "likely"
    assert body["missing"] == []
    for part in ("general", "social_rights"):
        assert body[part]["reasons"] and all(map(reason_shape_ok, body[part]["reasons"]))
    assert body["next_steps"] and all(map(reason_shape_ok, body["next_steps"]))
    assert body["leave"]["eligible"] is True
    # The service directory (issue 5, item 6): the CPAS of the postcode comes first.
    assert body["services"][0]["name"] == "CPAS de Namur"
    assert all(service["source"] for service in body["services"])

    assessment = Assessment.objects.get(pk=body["id"])
    assert assessment.user is None
    assert assessment.language == "en"
    assert assessment.postcode == "5000"
    assert assessment.rules_version == "2024-09-19"
    assert assessment.answers["carer"]["hours_per_month"] == 60
    assert assessment.outcome["social_rights"]["status"] == "likely"
    assert assessment.contact == {} and assessment.contact_consent is False


def test_an_empty_body_is_a_valid_but_incomplete_assessment(api):
    response = post(api, {})

    assert response.status_code == 201
    body = response.json()
    assert body["general"]["status"] == "incomplete"
    assert body["social_rights"]["status"] == "incomplete"
    assert "carer.trust_relationship" in body["missing"]
    assert body["leave"]["eligible"] is None


def test_texts_and_sources_follow_accept_language_dutch(api):
    response = post(api, AnswersFactory(), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")

    assert response.status_code == 201
    body = response.json()
    steps = {step["code"]: step for step in body["next_steps"]}
    assert "ziekenfonds" in steps["apply_at_own_mutuality"]["text"]
    assert "binnen 30 dagen" in steps["sworn_statement"]["text"]
    assert steps["apply_at_own_mutuality"]["source"].startswith("Wet van 12 mei 2014")
    allowance = next(r for r in body["leave"]["reasons"] if r["code"] == "leave.allowance")
    assert "1.017,77 €" in allowance["text"] and "1 mei 2024" in allowance["text"]
    assert Assessment.objects.get(pk=body["id"]).language == "nl"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "mutualité"),
        ("de", "Krankenkasse"),
        ("en", "health insurance fund"),
    ],
)
def test_texts_follow_accept_language(api, language, expected):
    body = post(api, AnswersFactory(), HTTP_ACCEPT_LANGUAGE=language).json()
    steps = {step["code"]: step for step in body["next_steps"]}
    assert expected in steps["apply_at_own_mutuality"]["text"]


def test_contact_details_are_stored_with_consent(api):
    body = {
        **AnswersFactory(),
        "postcode": "1000",
        "contact_consent": True,
        "contact": {"email": "Someone@Example.org", "phone": "+32 470 12 34 56"},
    }
    response = post(api, body)

    assert response.status_code == 201
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.contact_consent is True
    assert assessment.contact["phone"] == "+32 470 12 34 56"
    assert assessment.contact["email"].lower() == "someone@example.org"
    # Contact details are not answers to the check.
    assert "contact" not in assessment.answers


def test_contact_details_without_consent_are_not_kept(api):
    response = post(api, {"contact_consent": False, "contact": {"email": "a@example.org"}})

    assert response.status_code == 201
    assert Assessment.objects.get(pk=response.json()["id"]).contact == {}


def test_consent_without_any_contact_detail_is_refused(api):
    response = post(api, {"contact_consent": True, "contact": {}})

    assert response.status_code == 400
    assert "contact" in response.json()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field_path"),
    [
        ({"carer": {"trust_relationship": "true"}}, ("carer", "trust_relationship")),
        ({"carer": {"trust_relationship": 1}}, ("carer", "trust_relationship")),
        ({"carer": {"hours_per_month": "50"}}, ("carer", "hours_per_month")),
        ({"carer": {"hours_per_month": True}}, ("carer", "hours_per_month")),
        ({"carer": {"hours_per_month": -1}}, ("carer", "hours_per_month")),
        ({"carer": {"hours_per_month": 745}}, ("carer", "hours_per_month")),
        ({"carer": {"hours_per_year": -0.5}}, ("carer", "hours_per_year")),
        ({"carer": {"hours_per_year": 8785}}, ("carer", "hours_per_year")),
        ({"carer": {"hours_per_year": 10**400}}, ("carer", "hours_per_year")),
        ({"carer": {"employment": "freelancer"}}, ("carer", "employment")),
        ({"carer": {"employment": ["employee"]}}, ("carer", "employment")),
        ({"carer": {"employment": "employee\u0000"}}, ("carer", "employment")),
        ({"cared_for": {"age": 12.5}}, ("cared_for", "age")),
        ({"cared_for": {"age": "80"}}, ("cared_for", "age")),
        ({"cared_for": {"age": -1}}, ("cared_for", "age")),
        ({"cared_for": {"age": 131}}, ("cared_for", "age")),
        (
            {"cared_for": {"permanent_residential_care_days": -3}},
            ("cared_for", "permanent_residential_care_days"),
        ),
        ({"cared_for": {"recognised_carers": -1}}, ("cared_for", "recognised_carers")),
        (
            {"cared_for": {"indicators": {"autonomy_points": 101}}},
            ("cared_for", "indicators", "autonomy_points"),
        ),
        (
            {"cared_for": {"indicators": {"child_pillar3_points": 19}}},
            ("cared_for", "indicators", "child_pillar3_points"),
        ),
        (
            {"cared_for": {"indicators": {"katz_package": "D"}}},
            ("cared_for", "indicators", "katz_package"),
        ),
        ({"cared_for": {"indicators": []}}, ("cared_for", "indicators")),
        (
            {"cared_for": {"indicators": {"unknown_scale": 3}}},
            ("cared_for", "indicators", "unknown_scale"),
        ),
        ({"carer": "yes"}, ("carer",)),
        ({"postcode": "50\u000000"}, ("postcode",)),
        ({"postcode": 5000}, ("postcode",)),
        ({"postcode": "0999"}, ("postcode",)),
        ({"postcode": "9999"}, ("postcode",)),
        ({"contact_consent": "yes"}, ("contact_consent",)),
        (
            {"contact_consent": True, "contact": {"email": "a\u0000@example.org"}},
            ("contact", "email"),
        ),
        ({"contact_consent": True, "contact": {"phone": "call me"}}, ("contact", "phone")),
        ({"surprise": 1}, ("surprise",)),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, field_path):
    response = post(api, body)

    assert response.status_code == 400, response.content
    errors = response.json()
    for key in field_path:
        assert key in errors, errors
        errors = errors[key]
    assert errors  # a non-empty list of messages
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"[1, 2]", b"null", b'"text"', b"{not json", b'{"carer": {"hours_per_month": NaN}}'],
)
def test_malformed_json_is_a_400(api, raw):
    response = api.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_a_form_encoded_body_is_refused_as_unsupported(api):
    response = api.post(URL, data={"postcode": "5000"})

    assert response.status_code == 415


def test_a_token_user_is_linked_to_the_assessment(api):
    user = UserFactory()
    token = Token.objects.create(user=user)

    response = post(api, AnswersFactory(), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 201
    assert Assessment.objects.get(pk=response.json()["id"]).user == user


def test_a_session_user_needs_the_csrf_token(api):
    api.force_login(UserFactory())

    response = post(api, AnswersFactory())

    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/carers/assessments/" in schema["paths"]
