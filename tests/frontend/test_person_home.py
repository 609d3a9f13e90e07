"""The home page after login: one section per part a person plays, read without N+1 queries;
and the coordinators' batch run as a page (dry run, then create proposals)."""

import datetime
import re

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carers.models import ReferralSource
from messaging.models import Participant
from ranking.models import Proposal, ProposalStatus
from requests_app.models import RequestStatus
from tests.carers.factories import ReferralFactory
from tests.matching.factories import HelperProfileFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_request(personas):
    """The requester's open shopping request in Namur, which Bruno and Chloé cover."""
    return personas.help_request


def home_html(client, user, language="en") -> str:
    client.force_login(user)
    response = client.get("/", {"lang": language})
    assert response.status_code == 200
    return response.content.decode()


def queries_of_home(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/", {"lang": "en"}).status_code == 200
    return len(captured.captured_queries)


def test_a_stranger_still_sees_what_tandem_is(client):
    html = client.get("/", {"lang": "en"}).content.decode()

    assert "Neighbours helping neighbours" in html
    assert "Your requests for help" not in html


def test_the_helppie_sees_their_requests_offers_to_answer_visits_to_confirm_and_conversations(
    client, requester, help_request, helper
):
    OfferFactory(request=help_request, helper=helper)
    matched = HelpRequestFactory(
        requester=requester, status=RequestStatus.MATCHED, matched_helper=helper
    )
    VisitFactory(request=matched, hours="2.00")
    conversation = ConversationFactory(participants=[requester, helper], request=matched)
    MessageFactory(conversation=conversation, sender=helper, body="Mardi?")
    MessageFactory(conversation=conversation, sender=helper, body="Ou mercredi?")

    html = home_html(client, requester)

    assert "Your requests for help" in html
    assert "Bruno offers to help: Shopping" in html
    assert re.search(r"Bruno: 2 hours on \d+ \w+ \d{4}", html)
    assert 'class="state state--open"' in html and 'class="state state--matched"' in html
    assert f'href="/conversations/{conversation.pk}/"' in html
    assert "2 unread messages" in html
    assert "Your help" not in html and "Coordination" not in html


def test_the_helper_sees_proposals_nearby_requests_people_helped_and_hours_this_month(
    client, requester, help_request, helper
):
    from tests.ranking.factories import ProposalFactory

    matched = HelpRequestFactory(
        requester=requester, status=RequestStatus.MATCHED, matched_helper=helper
    )
    VisitFactory(request=matched, hours="1.50")
    VisitFactory(request=matched, hours="1.00")
    # Last month's visit does not count this month.
    VisitFactory(
        request=matched,
        hours="3.00",
        date=timezone.localdate().replace(day=1) - datetime.timedelta(days=1),
    )
    ProposalFactory(request=HelpRequestFactory(category="meals"), helper=helper)

    html = home_html(client, helper)

    assert "Your help" in html
    assert re.search(r'id="hours-this-month">2 hours 30 minutes', html)
    assert 'id="proposals"' in html and "Meals" in html
    assert 'id="nearby"' in html  # the requester's open shopping request is in Bruno's radius
    assert "Shopping, about" in html


def test_the_coordinator_sees_each_queue_with_its_count(client, coordinator, help_request, helper):
    HelperProfileFactory()
    HelperProfileFactory()
    ReferralFactory(source=ReferralSource.HELPER_CONCERN)
    ReferralFactory()
    matched = HelpRequestFactory(status=RequestStatus.MATCHED, matched_helper=helper)
    VisitFactory(request=matched)
    # An open request in Liège: no helper of the test world covers it.
    HelpRequestFactory(location=Point(5.5797, 50.6326, srid=4326), postcode="4000")

    html = home_html(client, coordinator)

    def count(queue: str) -> int:
        return int(re.search(rf'data-queue="{queue}">(\d+)<', html).group(1))

    assert count("helpers_to_verify") == 2
    assert count("concerns") == 1
    assert count("referrals_draft") == 2
    assert count("visits_unconfirmed") == 1
    assert count("open_requests") == 2
    assert count("without_candidates") == 1
    assert 'href="/coordinator/batch/"' in html


def test_the_home_page_reads_the_same_number_of_queries_for_one_row_or_many(
    client, requester, helper, other_helper
):
    def add_rows(times: int) -> None:
        for _ in range(times):
            open_request = HelpRequestFactory(requester=requester)
            OfferFactory(request=open_request, helper=helper)
            matched = HelpRequestFactory(
                requester=requester, status=RequestStatus.MATCHED, matched_helper=other_helper
            )
            VisitFactory(request=matched)
            conversation = ConversationFactory(
                participants=[requester, other_helper], request=matched
            )
            MessageFactory(conversation=conversation, sender=other_helper)

    add_rows(1)
    few = queries_of_home(client, requester)
    add_rows(5)
    many = queries_of_home(client, requester)

    assert many == few


def test_the_helper_home_does_not_grow_with_proposals_or_people_helped(client, helper):
    from tests.ranking.factories import ProposalFactory

    def add_rows(times: int) -> None:
        for _ in range(times):
            ProposalFactory(helper=helper)
            HelpRequestFactory(status=RequestStatus.MATCHED, matched_helper=helper)

    add_rows(1)
    few = queries_of_home(client, helper)
    add_rows(5)
    many = queries_of_home(client, helper)

    assert many == few


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_each_home_is_written_in_the_readers_language(client, coordinator, language):
    titles = {"fr": "Coordination", "nl": "Coördinatie", "de": "Koordination", "en": "Coordination"}
    html = home_html(client, coordinator, language)

    assert f'<html lang="{language}">' in html
    assert titles[language] in html


# --- The batch page -----------------------------------------------------------------------------


def test_the_batch_page_is_for_coordinators_only(client, helper, requester):
    assert client.get("/coordinator/batch/").status_code == 302  # to the login page
    client.force_login(helper)
    assert client.get("/coordinator/batch/").status_code == 403
    assert client.post("/coordinator/batch/", {"action": "dry_run"}).status_code == 403


def test_a_dry_run_shows_the_plan_and_writes_nothing(client, coordinator, help_request, helper):
    client.force_login(coordinator)

    response = client.post("/coordinator/batch/?lang=en", {"action": "dry_run"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: the plan" in html
    assert f'name="request" value="{help_request.pk}"' in html
    assert "Bruno" in html
    assert not Proposal.objects.exists()


def test_create_proposals_proposes_the_dry_runs_requests_and_lists_them(
    client, coordinator, help_request, helper
):
    client.force_login(coordinator)
    client.post("/coordinator/batch/", {"action": "dry_run"})

    response = client.post(
        "/coordinator/batch/?lang=en", {"action": "create", "request": [help_request.pk]}
    )

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.request_id == help_request.pk and proposal.status == ProposalStatus.PROPOSED
    page = client.get(response["Location"] + "&lang=en").content.decode()
    assert "1 proposal created." in page
    assert 'id="created-proposals"' in page


def test_create_proposals_with_a_request_no_longer_open_says_so(client, coordinator, help_request):
    help_request.status = RequestStatus.CANCELLED
    help_request.save()
    client.force_login(coordinator)

    response = client.post(
        "/coordinator/batch/", {"action": "create", "request": [help_request.pk]}, follow=True
    )

    assert response.status_code == 200
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("bad", [[], ["x"], ["0"], ["-3"]])
def test_create_proposals_with_bad_ids_answers_with_a_message_not_an_error(
    client, coordinator, bad
):
    client.force_login(coordinator)

    response = client.post("/coordinator/batch/", {"action": "create", "request": bad}, follow=True)

    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_a_participant_with_everything_read_has_no_unread_badge(client, requester, helper):
    conversation = ConversationFactory(participants=[requester, helper])
    message = MessageFactory(conversation=conversation, sender=helper)
    Participant.objects.filter(conversation=conversation, user=requester).update(
        last_read_message_id=message.pk
    )

    html = home_html(client, requester)

    assert "unread message" not in html
