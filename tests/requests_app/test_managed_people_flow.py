"""The request flow of a person without e-mail (issue 15, item 3): a coordinator of their team
asks for help in their name; offers, the match, visits to confirm and their notifications go to
the coordinators who manage them; one of them accepts on the person's behalf, and the
conversation opens between that team and the helper."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ManagedPerson
from messaging.models import Conversation
from notifications.models import Notification
from requests_app.models import HelpRequest, RequestStatus
from requests_app.permissions import help_request_permissions
from tests.accounts.factories import CoordinatorFactory, ManagedPersonFactory

pytestmark = pytest.mark.django_db

NEW_REQUEST = {
    "category": "shopping",
    "description": "Courses au marché le mardi.",
    "duration_minutes": 60,
    "recurrence": "once",
}


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def team(personas):
    """The persona coordinator and a colleague manage Marcel, who has no e-mail."""
    return [personas.coordinator, CoordinatorFactory(display_name="Colin Colleague")]


@pytest.fixture
def marcel(team) -> ManagedPerson:
    return ManagedPersonFactory(managed_by=team, user__display_name="Marcel", user__postcode="5000")


def ask_for(marcel, coordinator) -> dict:
    response = client_of(coordinator).post(
        "/api/requests/", {**NEW_REQUEST, "requester": marcel.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_team_asks_for_help_in_their_name_at_their_postcode(marcel, team):
    created = ask_for(marcel, team[1])

    help_request = HelpRequest.objects.get(pk=created["id"])
    assert help_request.requester_id == marcel.pk and help_request.created_by == team[1]
    assert help_request.postcode == "5000"


def test_a_coordinator_of_another_team_may_not_ask_in_their_name(marcel):
    response = client_of(CoordinatorFactory()).post(
        "/api/requests/", {**NEW_REQUEST, "requester": marcel.pk}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_your_person"
    assert not HelpRequest.objects.filter(requester=marcel.user).exists()


def test_an_offer_reaches_every_coordinator_of_the_team_and_not_the_person(marcel, team, personas):
    created = ask_for(marcel, team[0])

    response = client_of(personas.helper).post(
        f"/api/requests/{created['id']}/offers/", {"message": "Je peux mardi."}, format="json"
    )

    assert response.status_code == 201
    assert kinds_of(team[0]) == ["offer.received"] and kinds_of(team[1]) == ["offer.received"]
    assert kinds_of(marcel.user) == []
    # The inbox of each coordinator shows it.
    inbox = client_of(team[1]).get("/api/notifications/").json()
    assert [entry["kind"] for entry in inbox] == ["offer.received"]
    # It names the person the coordinator reads it for.
    assert "Marcel" in inbox[0]["body"]


def test_a_coordinator_accepts_on_their_behalf_and_the_team_talks_with_the_helper(
    marcel, team, personas
):
    created = ask_for(marcel, team[0])
    offer = (
        client_of(personas.helper)
        .post(f"/api/requests/{created['id']}/offers/", {}, format="json")
        .json()
    )

    accepted = client_of(team[1]).post(f"/api/offers/{offer['id']}/accept/")

    assert accepted.status_code == 200, accepted.content
    conversation = Conversation.objects.get(pk=accepted.json()["conversation"])
    assert sorted(conversation.participants.values_list("pk", flat=True)) == sorted(
        [team[0].pk, team[1].pk, personas.helper.pk]
    )
    assert HelpRequest.objects.get(pk=created["id"]).status == RequestStatus.MATCHED
    assert "request.matched" in kinds_of(team[0]) and "request.matched" in kinds_of(team[1])
    for member in team:
        listed = client_of(member).get("/api/conversations/").json()
        assert [entry["id"] for entry in listed] == [conversation.pk]
    sent = client_of(team[0]).post(
        f"/api/conversations/{conversation.pk}/messages/",
        {
            "body": "Bonjour, Marcel vous attend mardi.",
            "client_id": "6c1d5d1e-3f0b-4c59-8f2a-1f1f3c1e2a01",
        },
        format="json",
    )
    assert sent.status_code == 201


def test_the_team_confirms_the_visits_the_person_told_them_of(marcel, team, personas):
    created = ask_for(marcel, team[0])
    offer = (
        client_of(personas.helper)
        .post(f"/api/requests/{created['id']}/offers/", {}, format="json")
        .json()
    )
    client_of(team[0]).post(f"/api/offers/{offer['id']}/accept/")

    logged = client_of(personas.helper).post(
        f"/api/requests/{created['id']}/visits/",
        {"date": timezone.localdate().isoformat(), "hours": 1},
        format="json",
    )

    assert logged.status_code == 201, logged.content
    assert "visit.to_confirm" in kinds_of(team[0]) and "visit.to_confirm" in kinds_of(team[1])
    visit_id = logged.json()["id"]
    other = client_of(CoordinatorFactory()).post(f"/api/visits/{visit_id}/confirm/")
    confirmed = client_of(team[1]).post(f"/api/visits/{visit_id}/confirm/")
    assert other.status_code == 403
    assert confirmed.status_code == 200


def test_only_the_team_confirms_visits_in_the_rules(marcel, team, personas):
    help_request = HelpRequest.objects.get(pk=ask_for(marcel, team[0])["id"])

    assert help_request_permissions(user=team[1], help_request=help_request).may_confirm_visits
    assert not help_request_permissions(
        user=CoordinatorFactory(), help_request=help_request
    ).may_confirm_visits
    assert not help_request_permissions(
        user=personas.requester, help_request=help_request
    ).may_confirm_visits
