"""Every state-changing form and the session-authenticated API refuse a post without its CSRF
token (403), and nothing changes: a page on another site cannot act for a signed-in person."""

import pytest
from django.test import Client

from requests_app.models import HelpRequest, RequestStatus
from tests.accounts.factories import UserFactory
from tests.pages.request_form import request_form_answers
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester(places):
    return UserFactory(postcode="5000")


@pytest.fixture
def forged_client(requester) -> Client:
    """The requester's browser, signed in, posting from a page that does not know the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(requester)
    return client


NEW_REQUEST = request_form_answers()


def test_posting_a_new_request_without_the_token_is_refused(forged_client, requester):
    response = forged_client.post("/requests/new/", NEW_REQUEST)

    assert response.status_code == 403
    assert not HelpRequest.objects.filter(requester=requester).exists()


def test_cancelling_without_the_token_is_refused(forged_client, requester):
    help_request = HelpRequestFactory(requester=requester)

    response = forged_client.post(f"/requests/{help_request.pk}/cancel/")

    assert response.status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.OPEN


def test_deleting_the_account_without_the_token_is_refused(forged_client, requester):
    response = forged_client.post("/account/delete/", {"password": "whatever"})

    assert response.status_code == 403
    requester.refresh_from_db()
    assert requester.is_active


def test_the_api_with_a_session_but_no_token_is_refused(forged_client, requester):
    body = {**NEW_REQUEST, "duration_minutes": 60, "for_someone_else": False}

    response = forged_client.post("/api/requests/", body, content_type="application/json")

    assert response.status_code == 403
    assert not HelpRequest.objects.filter(requester=requester).exists()


def test_the_same_post_with_the_token_goes_through(requester):
    """The control: the refusals above come from the missing token, not from the form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(requester)
    client.get("/requests/new/")
    token = client.cookies["csrftoken"].value

    response = client.post("/requests/new/", {**NEW_REQUEST, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert HelpRequest.objects.filter(requester=requester).count() == 1
