"""A session ends after SESSION_COOKIE_AGE seconds without activity, and each visit extends it
(config/settings.py: SESSION_SAVE_EVERY_REQUEST). A shared tablet left signed in at the library
does not stay signed in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, places):
    client.force_login(UserFactory(postcode="5000"))
    return client


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_visit_pushes_the_expiry_to_a_full_idle_period_from_now(signed_in):
    session = stored_session(signed_in)
    session.expire_date = timezone.now() + timedelta(minutes=5)  # nearly idle for too long
    session.save()

    assert signed_in.get("/requests/new/").status_code == 200

    expires_in = stored_session(signed_in).expire_date - timezone.now()
    assert expires_in > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert expires_in <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_after_the_idle_period_the_person_must_sign_in_again(signed_in):
    session = stored_session(signed_in)
    session.expire_date = timezone.now() - timedelta(seconds=1)  # idle longer than the period
    session.save()

    response = signed_in.get("/requests/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
