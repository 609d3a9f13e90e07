"""/requests/<id>/: each persona sees what is theirs to see, and acts through the real services."""

import pytest
from django.utils import timezone

from matching.models import HelperProfile
from messaging.models import Conversation
from requests_app.models import Feedback, FeedbackKind, OfferStatus, RequestStatus, Visit
from tests.pages.conftest import client_for
from tests.pages.html import assert_every_control_is_labelled, assert_light, page_of
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db


def url(help_request, action: str = "") -> str:
    return f"/requests/{help_request.pk}/{action}"


def matched(personas):
    """The request, matched with personas.helper through an accepted offer."""
    offer = OfferFactory(request=personas.help_request, helper=personas.helper)
    client_for(personas.requester).post(url(personas.help_request, "accept/"), {"offer": offer.pk})
    personas.help_request.refresh_from_db()
    assert personas.help_request.status == RequestStatus.MATCHED
    return personas.help_request


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("helper", 404),  # not matched: the request is none of their business
        ("requester", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_see_a_request(personas, persona, status):
    response = client_for(getattr(personas, persona)).get(url(personas.help_request))

    assert response.status_code == status


def test_the_matched_helper_may_see_it(personas):
    help_request = matched(personas)

    response = client_for(personas.helper).get(url(help_request))

    assert response.status_code == 200
    assert "You are helping Anne Lambert." in response.content.decode()


def test_the_requester_sees_offers_with_reasons_and_accepts_one(personas):
    offer = OfferFactory(request=personas.help_request, helper=personas.helper, message="Mardi?")
    client = client_for(personas.requester)

    page = client.get(url(personas.help_request))
    html = page.content.decode()
    assert "Waiting for a helper" in html
    assert "Accept the help of Bruno" in html
    assert "Lives within" in html  # a candidate's reason, in plain words
    assert "Chloé" in html  # another neighbour who fits, without an offer yet
    assert_light(page)

    response = client.post(url(personas.help_request, "accept/"), {"offer": offer.pk}, follow=True)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    conversation = Conversation.objects.get(request=personas.help_request)
    html = response.content.decode()
    assert "You accepted the offer of Bruno" in html
    assert f'href="/conversations/{conversation.pk}/"' in html
    assert "Bruno is helping." in html


def test_accepting_after_someone_else_was_matched_says_so_plainly(personas):
    late = OfferFactory(request=personas.help_request, helper=personas.other_helper)
    matched(personas)
    late.refresh_from_db()
    assert late.status == OfferStatus.DECLINED

    response = client_for(personas.requester).post(
        url(personas.help_request, "accept/"), {"offer": late.pk}, follow=True
    )

    page = page_of(response)
    alert = page.find("div", role="alert")
    assert "no longer open" in alert.text
    personas.help_request.refresh_from_db()
    assert personas.help_request.matched_helper == personas.helper


def test_an_offer_of_another_request_is_not_found(personas):
    elsewhere = OfferFactory(request=HelpRequestFactory(), helper=personas.helper)

    response = client_for(personas.requester).post(
        url(personas.help_request, "accept/"), {"offer": elsewhere.pk}
    )

    assert response.status_code == 404


def test_the_helper_logs_a_visit_and_the_requester_confirms_it(personas):
    help_request = matched(personas)
    helper = client_for(personas.helper)

    form_page = helper.get(url(help_request))
    assert_every_control_is_labelled(form_page)
    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    refused = helper.post(url(help_request, "visits/"), {"visit-date": future, "visit-hours": "1"})
    assert refused.status_code == 200
    assert "cannot be in the future" in refused.content.decode()
    assert not Visit.objects.exists()

    today = timezone.localdate().isoformat()
    helper.post(url(help_request, "visits/"), {"visit-date": today, "visit-hours": "1.5"})

    visit = Visit.objects.get()
    assert (visit.helper, str(visit.hours), visit.confirmed_by_requester) == (
        personas.helper,
        "1.50",
        False,
    )
    requester = client_for(personas.requester)
    assert "Yes, this visit took place" in requester.get(url(help_request)).content.decode()
    requester.post(url(help_request, f"visits/{visit.pk}/confirm/"))
    visit.refresh_from_db()
    assert visit.confirmed_by_requester


def test_only_the_requester_confirms_a_visit(personas):
    help_request = matched(personas)
    visit = Visit.objects.create(
        request=help_request, helper=personas.helper, date=timezone.localdate(), hours="1"
    )

    response = client_for(personas.helper).post(
        url(help_request, f"visits/{visit.pk}/confirm/"), follow=True
    )

    visit.refresh_from_db()
    assert not visit.confirmed_by_requester
    assert "Only the person who was helped" in page_of(response).find("div", role="alert").text


def test_both_sides_may_leave_private_feedback(personas):
    help_request = matched(personas)

    client_for(personas.requester).post(
        url(help_request, "feedback/"), {"feedback-kind": "no_show", "feedback-text": ""}
    )
    empty_concern = client_for(personas.helper).post(
        url(help_request, "feedback/"), {"feedback-kind": "concern", "feedback-text": ""}
    )

    feedback = Feedback.objects.get()
    assert (feedback.author, feedback.about, feedback.kind) == (
        personas.requester,
        personas.helper,
        FeedbackKind.NO_SHOW,
    )
    assert empty_concern.status_code == 200
    assert page_of(empty_concern).by_id("id_feedback-text").attrs.get("aria-invalid") == "true"


def test_complete_gives_the_helper_their_hours_back(personas):
    help_request = matched(personas)
    profile = HelperProfile.objects.get(user=personas.helper)
    assert profile.committed_weekly_hours == 1.0

    client_for(personas.requester).post(url(help_request, "complete/"))

    help_request.refresh_from_db()
    profile.refresh_from_db()
    assert help_request.status == RequestStatus.COMPLETED
    assert profile.committed_weekly_hours == 0.0


def test_cancel_by_the_requester_but_not_by_the_helper(personas):
    help_request = matched(personas)

    helper_try = client_for(personas.helper).post(url(help_request, "cancel/"), follow=True)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.MATCHED
    assert page_of(helper_try).find("div", role="alert")

    client_for(personas.requester).post(url(help_request, "cancel/"))
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CANCELLED


def test_outsiders_cannot_act_on_a_request(personas):
    for action in ("cancel/", "complete/", "feedback/", "visits/", "carer-note/hide/"):
        response = client_for(personas.outsider).post(url(personas.help_request, action))
        assert response.status_code == 404, action


CARER_WORDS = "Courses pour ma mère qui a Alzheimer, je ne peux plus la laisser seule"


def test_a_likely_carer_gets_a_gentle_note_they_can_hide(personas):
    help_request = HelpRequestFactory(
        requester=personas.requester,
        description=CARER_WORDS,
        for_someone_else=True,
        relationship="parent",
        cared_for_age=84,
        care_hours_per_week=20,
    )
    client = client_for(personas.requester)

    page = page_of(client.get(url(help_request)))
    note = page.find("aside")
    assert "informal carer" in note.text
    assert page.find("a", href="/carers/assessment/")
    # The coordinator reading the same request is not addressed as a carer.
    assert (
        "informal carer"
        not in client_for(personas.coordinator).get(url(help_request)).content.decode()
    )

    client.post(url(help_request, "carer-note/hide/"))

    assert "informal carer" not in client.get(url(help_request)).content.decode()


def test_no_carer_note_for_an_ordinary_request(personas):
    response = client_for(personas.requester).get(url(personas.help_request))

    assert "informal carer" not in response.content.decode()
