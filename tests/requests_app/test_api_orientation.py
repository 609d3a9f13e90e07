"""`orientation` on a request (CONTRACT.md, "Requests and matching", v2; issue 16, item 4): the
needs beyond the task a description suggests, with where to turn, for the requester's side and
coordinators, never for helpers."""

import pytest

from tests.clients import client_for
from tests.directory.fixtures import service_directory, service_directory_session  # noqa: F401
from tests.geo.factories import NAMUR
from tests.requests_app.conftest import mark_matched as matched
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

LONELY = (
    "Je vis seule et plus personne ne vient me voir depuis l'hiver. "
    "Quelqu'un pour m'accompagner au marché le samedi ?"
)
ORDINARY = "Courses au supermarché, une fois par semaine."


def body(description):
    return {
        "category": "shopping",
        "description": description,
        "location": {"lat": NAMUR.y, "lon": NAMUR.x},
        "duration_minutes": 60,
        "recurrence": "weekly",
    }


def test_a_new_request_that_mentions_isolation_gets_its_orientation(personas):
    response = client_for(personas.requester).post("/api/requests/", body(LONELY), format="json")

    assert response.status_code == 201, response.json()
    orientation = response.json()["orientation"]
    assert orientation["needs"] == ["isolation"]
    assert [service["kind"] for service in orientation["services"]] == [
        "cpas",
        "psychological_care",
        "gp",
    ]


@pytest.mark.usefixtures("service_directory")
def test_the_services_name_the_persons_own_cpas_in_their_language(personas):
    response = client_for(personas.requester).post(
        "/api/requests/",
        {**body(LONELY), "location": None, "postcode": "5000"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    cpas, psychological_care, _gp = response.json()["orientation"]["services"]
    assert cpas["name"] == "CPAS de Namur"
    assert cpas["service"]["municipality"]["refnis"] == "92094"
    assert psychological_care["name"] == "Soins psychologiques de première ligne"
    assert "mutualité" in psychological_care["why"]


def test_an_ordinary_request_has_no_needs_and_is_still_created(personas):
    response = client_for(personas.requester).post("/api/requests/", body(ORDINARY), format="json")

    assert response.status_code == 201
    assert response.json()["orientation"] == {"needs": [], "services": []}


@pytest.mark.parametrize("persona", ["requester", "coordinator"])
def test_the_requester_and_coordinators_see_it_on_the_request(personas, persona):
    help_request = HelpRequestFactory(requester=personas.requester, description=LONELY)

    data = client_for(getattr(personas, persona)).get(f"/api/requests/{help_request.pk}/").json()

    assert data["orientation"]["needs"] == ["isolation"]


def test_the_matched_helper_never_sees_it(personas):
    help_request = matched(personas)
    help_request.description = LONELY
    help_request.save(update_fields=["description"])

    data = client_for(personas.helper).get(f"/api/requests/{help_request.pk}/").json()

    assert "orientation" not in data
    assert LONELY == data["description"]


def test_the_list_of_ones_own_requests_leaves_it_out(personas):
    HelpRequestFactory(requester=personas.requester, description=LONELY)

    rows = client_for(personas.requester).get("/api/requests/").json()

    assert rows and all("orientation" not in row for row in rows)
