"""Asking for help through the API and through the pages: one service decides
(requests_app.services.help_request_create), so both accept, complete and refuse a request
alike — who may ask on someone's behalf, the place when a coordinator leaves it out, and the
answers about someone else when the help is for nobody else."""

import pytest
from django.test import Client

from core.api_errors import NotAllowed
from requests_app import services
from requests_app.models import HelpRequest
from tests.accounts.factories import UserFactory
from tests.clients import client_for

pytestmark = pytest.mark.django_db

DOORS = ["api", "page"]
DESCRIPTION = "Conduire Madame chez le médecin jeudi matin."


def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(door: str, user, *, person=None, postcode: str = "", **answers):
    """Asks for help as `user` (for `person` if given) through the API or the page; returns
    the response."""
    if door == "api":
        body = {
            "category": "transport",
            "description": DESCRIPTION,
            "duration_minutes": 120,
            "recurrence": "once",
            **({"postcode": postcode} if postcode else {}),
            **({"requester": person.pk} if person is not None else {}),
            **answers,
        }
        return client_for(user).post("/api/requests/", body, format="json")
    form = {
        "category": "transport",
        "description": DESCRIPTION,
        "postcode": postcode,
        "duration_minutes": "120",
        "recurrence": "once",
        **{
            name: ("yes" if value else "no") if isinstance(value, bool) else str(value)
            for name, value in answers.items()
        },
    }
    form.setdefault("for_someone_else", "no")
    if person is not None:
        form["person_email"] = person.email
        return browser_for(user).post("/coordinator/requests/new/", form)
    return browser_for(user).post("/requests/new/", form)


def created() -> HelpRequest:
    return HelpRequest.objects.get(description=DESCRIPTION)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("persona", ["requester", "helper", "outsider"])
def test_only_a_coordinator_asks_on_someone_elses_behalf(personas, door, persona):
    person = UserFactory(postcode="1000")

    response = ask(door, getattr(personas, persona), person=person, postcode="5000")

    assert response.status_code == 403
    assert not HelpRequest.objects.filter(description=DESCRIPTION).exists()


def test_the_service_itself_refuses_someone_else_asking_on_behalf(personas):
    with pytest.raises(NotAllowed):
        services.help_request_create(
            requester=personas.outsider,
            created_by=personas.requester,
            category="transport",
            description=DESCRIPTION,
            postcode="5000",
            duration_minutes=60,
            recurrence="once",
        )


@pytest.mark.parametrize("door", DOORS)
def test_a_coordinator_who_gives_no_place_asks_at_the_persons_postcode(personas, door):
    person = UserFactory(postcode="1000")

    response = ask(door, personas.coordinator, person=person)

    assert response.status_code in (201, 302), response.content[:300]
    help_request = created()
    assert (help_request.requester, help_request.postcode) == (person, "1000")


@pytest.mark.parametrize("door", DOORS)
def test_answers_about_someone_else_count_only_when_the_help_is_for_someone_else(personas, door):
    response = ask(
        door,
        personas.requester,
        postcode="5000",
        for_someone_else=False,
        relationship="parent",
        cared_for_age=82,
        care_hours_per_week=12,
    )

    assert response.status_code in (201, 302), response.content[:300]
    help_request = created()
    assert (
        help_request.for_someone_else,
        help_request.relationship,
        help_request.cared_for_age,
        help_request.care_hours_per_week,
    ) == (False, "", None, None)


@pytest.mark.parametrize("door", DOORS)
def test_answers_about_someone_else_are_kept_when_it_is_for_them(personas, door):
    response = ask(
        door,
        personas.requester,
        postcode="5000",
        for_someone_else=True,
        relationship="parent",
        cared_for_age=82,
        care_hours_per_week=12,
    )

    assert response.status_code in (201, 302), response.content[:300]
    help_request = created()
    assert (help_request.relationship, help_request.cared_for_age) == ("parent", 82)
    assert help_request.care_hours_per_week == 12
