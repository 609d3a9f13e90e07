"""POST /api/matching/batch/ and the proposals it makes (CONTRACT.md "Requests and matching")."""

from unittest import mock

import pytest
from rest_framework.test import APIClient

from matching.vocabulary import Recurrence
from ranking.models import Proposal, ProposalStatus
from requests_app.models import HelpRequest, RequestStatus
from tests.clients import client_for
from tests.geo.factories import NAMUR, point_at
from tests.personas import People
from tests.requests_app.factories import HelpRequestFactory

BATCH_URL = "/api/matching/batch/"
PROPOSALS_URL = "/api/proposals/"


def accept_url(proposal_id: int) -> str:
    return f"{PROPOSALS_URL}{proposal_id}/accept/"


def decline_url(proposal_id: int) -> str:
    return f"{PROPOSALS_URL}{proposal_id}/decline/"


@pytest.fixture
def people(db) -> People:
    """An open shopping request in Namur and a verified helper there who fits it (personas of
    tests/personas.py, created up front: the batch plans for everyone who exists)."""
    return People().create("requester", "help_request", "helper", "outsider", "coordinator")


def real_run(coordinator, django_capture_on_commit_callbacks, **body):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            BATCH_URL, {"dry_run": False, **body}, format="json"
        )
    assert response.status_code == 200, response.content
    return response.json()


# --- Who may run a batch ---------------------------------------------------------------------


def test_a_coordinator_gets_the_plan(people):
    response = client_for(people.coordinator).post(BATCH_URL, {"dry_run": True}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert [(a["request"], a["helper"]) for a in body["assignments"]] == [
        (people.help_request.id, people.helper.id)
    ]
    assert 0 < body["assignments"][0]["score"] <= 1
    assert body["total_score"] == pytest.approx(body["assignments"][0]["score"])
    assert body["unassigned"] == []
    assert body["optimal"] is True
    assert "proposals" not in body


@pytest.mark.parametrize("persona", ["requester", "helper", "outsider"])
def test_anyone_but_a_coordinator_is_refused(people, persona):
    response = client_for(getattr(people, persona)).post(
        BATCH_URL, {"dry_run": True}, format="json"
    )

    assert response.status_code == 403


def test_someone_not_signed_in_is_asked_to_sign_in(people):
    response = APIClient().post(BATCH_URL, {"dry_run": True}, format="json")

    assert response.status_code == 401


# --- What a run does -------------------------------------------------------------------------


def test_a_dry_run_writes_nothing(people):
    with mock.patch("ranking.batch.notify_user") as notify:
        client_for(people.coordinator).post(BATCH_URL, {"dry_run": True}, format="json")

    assert not Proposal.objects.exists()
    people.help_request.refresh_from_db()
    assert people.help_request.status == RequestStatus.OPEN
    assert not people.help_request.offers.exists()
    notify.assert_not_called()


def test_without_the_flag_a_run_is_dry(people):
    response = client_for(people.coordinator).post(BATCH_URL, {}, format="json")

    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_a_real_run_proposes_each_assignment_to_its_helper(
    people, django_capture_on_commit_callbacks
):
    with mock.patch("ranking.batch.notify_user") as notify:
        body = real_run(people.coordinator, django_capture_on_commit_callbacks)

    proposal = Proposal.objects.get()
    assert (proposal.request, proposal.helper, proposal.status) == (
        people.help_request,
        people.helper,
        ProposalStatus.PROPOSED,
    )
    assert proposal.created_by == people.coordinator
    assert proposal.score == pytest.approx(body["assignments"][0]["score"])
    assert [p["id"] for p in body["proposals"]] == [proposal.id]
    assert body["batch"] == str(proposal.batch_id)
    notify.assert_called_once()
    assert notify.call_args.kwargs["user_id"] == people.helper.id
    assert notify.call_args.kwargs["event"]["type"] == "proposal.created"
    # Proposing is not matching: the request stays open until the helper accepts.
    people.help_request.refresh_from_db()
    assert people.help_request.status == RequestStatus.OPEN


def test_a_failing_notification_does_not_undo_the_proposals(
    people, django_capture_on_commit_callbacks
):
    with mock.patch("ranking.batch.notify_user", side_effect=ConnectionError("redis down")):
        real_run(people.coordinator, django_capture_on_commit_callbacks)

    assert Proposal.objects.filter(status=ProposalStatus.PROPOSED).count() == 1


def test_a_new_run_supersedes_the_open_proposals_of_the_requests_it_plans(
    people, django_capture_on_commit_callbacks
):
    first = real_run(people.coordinator, django_capture_on_commit_callbacks)
    second = real_run(people.coordinator, django_capture_on_commit_callbacks)

    assert Proposal.objects.get(id=first["proposals"][0]["id"]).status == ProposalStatus.SUPERSEDED
    assert Proposal.objects.get(id=second["proposals"][0]["id"]).status == ProposalStatus.PROPOSED
    assert Proposal.objects.filter(status=ProposalStatus.PROPOSED).count() == 1


def test_a_helper_gets_no_more_than_their_spare_hours(people):
    # The helper has 4 hours a week; two weekly requests of 3 hours cannot both be theirs.
    HelpRequest.objects.all().delete()
    first, second = (
        HelpRequestFactory(duration_minutes=180, recurrence=Recurrence.WEEKLY) for _ in range(2)
    )

    body = client_for(people.coordinator).post(BATCH_URL, {"dry_run": True}, format="json").json()

    assert len(body["assignments"]) == 1
    assert sorted([body["assignments"][0]["request"], *body["unassigned"]]) == sorted(
        [first.id, second.id]
    )


def test_only_the_requests_asked_for_are_planned(people):
    far_away = HelpRequestFactory(location=point_at(NAMUR, km=30))

    body = (
        client_for(people.coordinator)
        .post(BATCH_URL, {"dry_run": True, "request_ids": [far_away.id]}, format="json")
        .json()
    )

    assert body["assignments"] == []
    assert body["unassigned"] == [far_away.id]


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"dry_run": "perhaps"}, "dry_run"),
        ({"dry_run": True, "request_ids": "all"}, "request_ids"),
        ({"dry_run": True, "request_ids": ["one"]}, "request_ids"),
        ({"dry_run": True, "request_ids": []}, "request_ids"),
        ({"dry_run": True, "request_ids": [-3]}, "request_ids"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(people, body, field):
    response = client_for(people.coordinator).post(BATCH_URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_request_that_is_not_open_is_a_400(people):
    people.help_request.status = RequestStatus.CANCELLED
    people.help_request.save()

    response = client_for(people.coordinator).post(
        BATCH_URL,
        {"dry_run": False, "request_ids": [people.help_request.id, 999_999]},
        format="json",
    )

    assert response.status_code == 400
    assert "request_ids" in response.json()
    assert not Proposal.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(people):
    response = client_for(people.coordinator).post(BATCH_URL, [1, 2], format="json")

    assert response.status_code == 400


# --- The helper's side -----------------------------------------------------------------------


@pytest.fixture
def proposal(people, django_capture_on_commit_callbacks) -> Proposal:
    real_run(people.coordinator, django_capture_on_commit_callbacks)
    return Proposal.objects.get()


def test_a_helper_lists_their_own_proposals(people, proposal):
    response = client_for(people.helper).get(PROPOSALS_URL)

    assert response.status_code == 200
    [shown] = response.json()
    assert (shown["id"], shown["request"], shown["helper"], shown["status"]) == (
        proposal.id,
        people.help_request.id,
        people.helper.id,
        "proposed",
    )
    # Only the approximate place, as for every unmatched request.
    approximate = people.help_request.approximate_location
    assert shown["location"] == {"lat": approximate.y, "lon": approximate.x}


@pytest.mark.parametrize("persona", ["requester", "outsider", "coordinator"])
def test_nobody_else_sees_a_helpers_proposals(people, proposal, persona):
    response = client_for(getattr(people, persona)).get(PROPOSALS_URL)

    assert response.status_code == 200
    assert response.json() == []


def test_proposals_need_a_signed_in_person(proposal):
    assert APIClient().get(PROPOSALS_URL).status_code == 401
    assert APIClient().post(accept_url(proposal.id)).status_code == 401
    assert APIClient().post(decline_url(proposal.id)).status_code == 401


def test_accepting_a_proposal_matches_the_request_and_opens_a_conversation(
    people, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.helper).post(accept_url(proposal.id))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted"
    people.help_request.refresh_from_db()
    assert people.help_request.status == RequestStatus.MATCHED
    assert people.help_request.matched_helper == people.helper
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    from messaging.models import Conversation

    conversation = Conversation.objects.get(id=body["conversation"])
    assert conversation.request_id == people.help_request.id
    offer = people.help_request.offers.get()
    assert (offer.helper, offer.status) == (people.helper, "accepted")


@pytest.mark.parametrize("persona", ["requester", "outsider", "coordinator"])
def test_only_the_proposed_helper_can_answer(people, proposal, persona):
    client = client_for(getattr(people, persona))

    assert client.post(accept_url(proposal.id)).status_code == 404
    assert client.post(decline_url(proposal.id)).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_an_unknown_proposal_is_a_404(people):
    assert client_for(people.helper).post(accept_url(424242)).status_code == 404


def test_declining_a_proposal_leaves_the_request_open(people, proposal):
    response = client_for(people.helper).post(decline_url(proposal.id))

    assert response.status_code == 200
    assert response.json() == {"status": "declined"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    people.help_request.refresh_from_db()
    assert people.help_request.status == RequestStatus.OPEN


def test_a_proposal_is_answered_once(people, proposal):
    client = client_for(people.helper)
    client.post(decline_url(proposal.id))

    assert client.post(accept_url(proposal.id)).status_code == 409
    assert client.post(decline_url(proposal.id)).status_code == 409


def test_accepting_a_proposal_for_a_request_no_longer_open_is_a_409(people, proposal):
    HelpRequest.objects.filter(id=people.help_request.id).update(status=RequestStatus.CANCELLED)

    response = client_for(people.helper).post(accept_url(proposal.id))

    assert response.status_code == 409
    assert not people.help_request.offers.exists()


def test_a_proposal_whose_request_was_matched_otherwise_reads_as_superseded(people, proposal):
    HelpRequest.objects.filter(id=people.help_request.id).update(status=RequestStatus.MATCHED)
    client = client_for(people.helper)

    [shown] = client.get(PROPOSALS_URL).json()
    open_ones = client.get(PROPOSALS_URL, {"status": "proposed"}).json()

    assert shown["status"] == "superseded"
    assert open_ones == []
