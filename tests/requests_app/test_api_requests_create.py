"""POST /api/requests/: every persona, the contract's answers, and bad input that must be a 400."""

import pytest

from requests_app.models import HelpRequest
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.geo.factories import NAMUR

pytestmark = pytest.mark.django_db

URL = "/api/requests/"


def body(**fields):
    return {
        "category": "shopping",
        "description": "Courses au supermarché, une fois par semaine.",
        "location": {"lat": NAMUR.y, "lon": NAMUR.x},
        "duration_minutes": 60,
        "recurrence": "weekly",
        **fields,
    }


def post(user, data, **headers):
    return client_for(user).post(URL, data, format="json", **headers)


@pytest.mark.parametrize("persona", ["requester", "helper", "outsider", "coordinator"])
def test_anyone_signed_in_may_ask_for_help(personas, persona):
    user = getattr(personas, persona)

    response = post(user, body())

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "open"
    assert data["requester"] == user.pk
    assert data["created_by"] == user.pk
    assert data["location"] == {"lat": NAMUR.y, "lon": NAMUR.x}
    assert data["location_is_exact"] is True
    assert data["approximate_location"] != data["location"]
    assert data["carer_signal"] == {"likely_carer": False, "reasons": []}
    assert HelpRequest.objects.get(pk=data["id"]).requester == user


def test_anonymous_is_401(personas):
    response = post(None, body())

    assert response.status_code == 401
    assert not HelpRequest.objects.exclude(pk=personas.help_request.pk).exists()


def test_the_response_has_the_contract_fields(personas):
    data = post(personas.requester, body(postcode="5000", location=None)).json()

    for field in (
        "id",
        "status",
        "category",
        "description",
        "postcode",
        "location",
        "duration_minutes",
        "recurrence",
        "starts_at",
        "languages",
        "for_someone_else",
        "relationship",
        "cared_for_age",
        "care_hours_per_week",
        "carer_signal",
    ):
        assert field in data, field
    assert data["postcode"] == "5000"


def test_a_likely_carer_is_signalled(personas):
    response = post(
        personas.requester,
        body(
            category="company",
            description=(
                "Je m'occupe de ma mère atteinte d'alzheimer jour et nuit, je suis épuisée."
            ),
            for_someone_else=True,
            relationship="parent",
            cared_for_age=84,
            care_hours_per_week=40,
        ),
    )

    assert response.status_code == 201, response.json()
    signal = response.json()["carer_signal"]
    assert signal["likely_carer"] is True
    assert signal["reasons"]


# --- On someone's behalf (extension of the contract: `requester`) -------------------------------


def test_a_coordinator_asks_on_behalf_of_a_person(personas):
    person = UserFactory(postcode="5000")

    response = post(personas.coordinator, body(requester=person.pk))

    assert response.status_code == 201, response.json()
    assert response.json()["requester"] == person.pk
    assert response.json()["created_by"] == personas.coordinator.pk
    help_request = HelpRequest.objects.get(pk=response.json()["id"])
    assert (help_request.requester, help_request.created_by) == (person, personas.coordinator)


@pytest.mark.parametrize("persona", ["requester", "helper", "outsider"])
def test_only_coordinators_may_name_another_requester(personas, persona):
    response = post(getattr(personas, persona), body(requester=personas.outsider.pk + 1000))

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_naming_oneself_as_requester_is_allowed(personas):
    response = post(personas.requester, body(requester=personas.requester.pk))

    assert response.status_code == 201


def test_a_coordinator_naming_an_unknown_person_gets_400(personas):
    response = post(personas.coordinator, body(requester=10**9))

    assert response.status_code == 400
    assert "requester" in response.json()


# --- The medical guard ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "word"),
    [("fr", "infirmi"), ("nl", "verpleeg"), ("de", "Pflege"), ("en", "nurs")],
)
def test_a_medical_task_is_refused_with_services_in_the_request_language(personas, language, word):
    response = post(
        personas.requester,
        body(description="Changer le pansement et faire la piqûre d'insuline"),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "medical_task"
    assert word.lower() in (data["detail"] + str(data["services"])).lower()
    kinds = [service["kind"] for service in data["services"]]
    assert kinds[:2] == ["gp", "home_nursing"]
    assert all(set(service) == {"kind", "name", "why"} for service in data["services"])
    assert {"wound_care", "insulin"} <= set(data["tasks"])
    assert HelpRequest.objects.count() == 1  # only the fixture's


def test_accompanying_to_the_doctor_is_accepted(personas):
    response = post(personas.requester, body(description="Accompagner maman chez le médecin"))

    assert response.status_code == 201


# --- Bad input: always a 400 naming the field, never a 5xx -------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "nursing"}, "category"),
        ({"category": 3}, "category"),
        ({"category": None}, "category"),
        ({"description": ""}, "description"),
        ({"description": "a" * 1001}, "description"),
        ({"description": "courses\x00"}, "description"),
        ({"description": ["courses"]}, "description"),
        ({"duration_minutes": 14}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"duration_minutes": 10**30}, "duration_minutes"),
        ({"duration_minutes": "60"}, "duration_minutes"),
        ({"duration_minutes": 60.5}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"recurrence": "daily"}, "recurrence"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": "2001-01-01T10:00:00+01:00"}, "starts_at"),
        ({"languages": ["fr", "es"]}, "languages"),
        ({"languages": "fr"}, "languages"),
        ({"for_someone_else": "yes"}, "for_someone_else"),
        ({"relationship": "boss"}, "relationship"),
        ({"cared_for_age": -1}, "cared_for_age"),
        ({"cared_for_age": 131}, "cared_for_age"),
        ({"cared_for_age": "80"}, "cared_for_age"),
        ({"care_hours_per_week": -0.5}, "care_hours_per_week"),
        ({"care_hours_per_week": 168.5}, "care_hours_per_week"),
        ({"care_hours_per_week": 10**400}, "care_hours_per_week"),
        ({"location": {"lat": 48.8566, "lon": 2.3522}}, "location"),
        ({"location": {"lat": 91, "lon": 4}}, "location"),
        ({"location": {"lat": "50", "lon": "4"}}, "location"),
        ({"location": [50.4, 4.8]}, "location"),
        ({"location": None}, "location"),
        ({"location": None, "postcode": "0000"}, "postcode"),
        ({"location": None, "postcode": "10000"}, "postcode"),
        ({"location": None, "postcode": 5000}, "postcode"),
        ({"requester": "me"}, "requester"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(personas, fields, field):
    response = post(personas.requester, body(**fields))

    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("payload", ["[]", "null", "42", '"text"', "{", '{"a": NaN}'])
def test_a_body_that_is_not_an_object_is_a_400(personas, payload):
    response = client_for(personas.requester).post(URL, payload, content_type="application/json")

    assert response.status_code == 400


def test_a_huge_body_is_refused_without_a_5xx(personas):
    response = post(personas.requester, body(description="x" * 2_000_000))

    assert 400 <= response.status_code < 500


def test_validation_messages_follow_the_request_language(personas):
    response = post(personas.requester, body(duration_minutes=5), HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 400
    message = response.json()["duration_minutes"][0]
    assert "15" in message
    assert "Ensure" not in message  # DRF's Dutch catalogue, not the English source


def test_walloon_services_are_only_offered_for_places_in_wallonia(personas):
    flemish = UserFactory(postcode="9000")
    description = "Wondverzorging na de operatie"

    in_ghent = post(flemish, body(description=description, location=None, postcode="9000"))
    in_namur = post(flemish, body(description=description, location=None, postcode="5000"))

    assert [service["kind"] for service in in_ghent.json()["services"]] == ["gp", "home_nursing"]
    assert [service["kind"] for service in in_namur.json()["services"]] == [
        "gp",
        "home_nursing",
        "casd",
    ]
