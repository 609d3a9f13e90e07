"""Web Push: subscriptions per browser, pushes sent by a job (never in the request), signed with
the server's VAPID key and encrypted to the browser, received by a push service on the loopback
(tests/notifications/push_server.py) that checks both; a subscription the push service says is
gone (410) is removed."""

import base64
import io

import pytest
from django.core.management import call_command

from notifications.models import Delivery, PushSubscription
from notifications.push_messages import vapid_public_key
from requests_app.services import offer_create
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.jobs import jobs_run
from tests.notifications.push_server import PushServer

pytestmark = pytest.mark.django_db


def new_vapid_private_key() -> str:
    out = io.StringIO()
    call_command("vapid_keys", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("VAPID_"))
    return line.split("=", 1)[1]


@pytest.fixture
def push_on(settings):
    settings.VAPID_PRIVATE_KEY = new_vapid_private_key()
    settings.VAPID_SUBJECT = "mailto:tech@tandem.example"
    settings.PUSH_ALLOW_HTTP_ENDPOINTS = True  # the loopback push service speaks plain HTTP
    return settings


@pytest.fixture
def push_server():
    with PushServer() as server:
        yield server


def test_the_key_command_prints_a_key_the_server_accepts_and_the_api_gives_its_public_half(
    push_on,
):
    raw = base64.urlsafe_b64decode(push_on.VAPID_PRIVATE_KEY + "=")
    assert len(raw) == 32
    body = client_for(None).get("/api/push/public-key/").json()
    assert body == {"key": vapid_public_key()}
    assert len(base64.urlsafe_b64decode(body["key"] + "=")) == 65  # an uncompressed P-256 point


def test_without_a_key_push_is_off_and_the_api_says_so(settings):
    settings.VAPID_PRIVATE_KEY = ""
    response = client_for(None).get("/api/push/public-key/")
    assert response.status_code == 404
    assert response.json()["code"] == "push_not_configured"


def test_a_browser_subscribes_and_unsubscribes(push_on, push_server):
    person = UserFactory()
    api = client_for(person)

    response = api.post("/api/push/subscriptions/", push_server.subscription("a"), format="json")
    assert response.status_code == 201
    subscription_id = response.json()["id"]
    # The same browser again: still one subscription, its keys updated.
    again = api.post("/api/push/subscriptions/", push_server.subscription("a"), format="json")
    assert again.status_code == 201 and again.json()["id"] == subscription_id
    assert PushSubscription.objects.filter(user=person).count() == 1

    # Someone else cannot remove it.
    assert (
        client_for(UserFactory()).delete(f"/api/push/subscriptions/{subscription_id}/").status_code
        == 404
    )
    assert api.delete(f"/api/push/subscriptions/{subscription_id}/").status_code == 204
    assert not PushSubscription.objects.exists()
    assert api.delete(f"/api/push/subscriptions/{subscription_id}/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"endpoint": "https://push.example/x"},
        {"endpoint": "ftp://push.example/x", "keys": {"p256dh": "A" * 87, "auth": "A" * 22}},
        {"endpoint": "https://push.example/x", "keys": {"p256dh": "short", "auth": "A" * 22}},
        {"endpoint": "https://push.example/x", "keys": {"p256dh": "A" * 87, "auth": "!!"}},
        {"endpoint": "https://push.example/x", "keys": "nope"},
        {"endpoint": 5, "keys": {"p256dh": "A" * 87, "auth": "A" * 22}},
        [],
    ],
)
def test_bad_subscriptions_are_refused_with_a_400(push_on, body):
    response = client_for(UserFactory()).post("/api/push/subscriptions/", body, format="json")
    assert response.status_code == 400


def test_plain_http_endpoints_are_refused_outside_tests(push_on):
    push_on.PUSH_ALLOW_HTTP_ENDPOINTS = False
    body = {"endpoint": "http://127.0.0.1:9/push/x", "keys": {"p256dh": "A" * 87, "auth": "A" * 22}}
    response = client_for(UserFactory()).post("/api/push/subscriptions/", body, format="json")
    assert response.status_code == 400


def test_anonymous_people_cannot_subscribe(push_on, push_server):
    response = client_for(None).post(
        "/api/push/subscriptions/", push_server.subscription("a"), format="json"
    )
    assert response.status_code == 401


def test_an_offer_reaches_the_requesters_browser_encrypted_and_signed_by_a_job(
    push_on, push_server, requester, helper, personas
):
    requester.language = "nl"
    requester.save()
    client_for(requester).post(
        "/api/push/subscriptions/", push_server.subscription("phone"), format="json"
    )

    offer_create(help_request=personas.help_request, helper_user=helper)

    # Nothing is sent while the offer is being made: only a job and a delivery row wait.
    assert push_server.received == []
    delivery = Delivery.objects.get(channel=Delivery.Channel.PUSH)
    assert delivery.status == "pending"

    jobs_run()

    [push] = push_server.received
    assert push.problems == []
    assert push.vapid_public_key == vapid_public_key()
    assert push.vapid_claims["aud"] == push_server.origin
    assert push.vapid_claims["sub"] == "mailto:tech@tandem.example"
    assert push.payload["kind"] == "offer.received"
    assert push.payload["title"] == "Een buur biedt hulp aan: Boodschappen"
    assert push.payload["url"] == f"/requests/{personas.help_request.pk}/"
    # Never the request's own words on a lock screen.
    assert personas.help_request.description not in str(push.payload)
    delivery.refresh_from_db()
    assert delivery.status == "sent"

    # The job run again sends nothing more.
    from notifications.jobs import push_deliver

    assert push_deliver.call(delivery_id=delivery.pk) == "already handled"
    assert len(push_server.received) == 1


def test_a_410_from_the_push_service_removes_the_subscription(
    push_on, push_server, requester, helper, personas
):
    api = client_for(requester)
    api.post("/api/push/subscriptions/", push_server.subscription("old-phone"), format="json")
    push_server.status = 410

    offer_create(help_request=personas.help_request, helper_user=helper)
    jobs_run()

    assert len(push_server.received) == 1
    assert not PushSubscription.objects.filter(user=requester).exists()
    delivery = Delivery.objects.get(channel=Delivery.Channel.PUSH)
    assert delivery.status == "skipped" and "gone" in delivery.last_error


def test_a_push_service_error_is_recorded_and_retried_not_dropped(
    push_on, push_server, requester, helper, personas
):
    client_for(requester).post(
        "/api/push/subscriptions/", push_server.subscription("phone"), format="json"
    )
    push_server.status = 500

    offer_create(help_request=personas.help_request, helper_user=helper)
    jobs_run()

    delivery = Delivery.objects.get(channel=Delivery.Channel.PUSH)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "500" in delivery.last_error
    assert PushSubscription.objects.filter(user=requester).exists()


def test_a_kind_turned_off_for_push_or_a_person_without_browser_gets_no_push(
    push_on, push_server, requester, helper, personas
):
    api = client_for(requester)
    api.put("/api/me/notification-settings/", {"push": {"offer.received": False}}, format="json")
    api.post("/api/push/subscriptions/", push_server.subscription("phone"), format="json")

    offer_create(help_request=personas.help_request, helper_user=helper)
    jobs_run()

    assert push_server.received == []
    assert not Delivery.objects.filter(channel=Delivery.Channel.PUSH).exists()


def test_the_test_push_service_itself_refuses_a_forged_signature(push_on):
    """The checks above could fail: a token signed by another key than the one named is caught."""
    from py_vapid import Vapid

    from tests.notifications.push_server import vapid_check

    signer, other = Vapid(), Vapid()
    signer.generate_keys()
    other.generate_keys()
    origin = "http://127.0.0.1:1"
    header = signer.sign({"sub": "mailto:a@b.example", "aud": origin})["Authorization"]
    claims, _key, problems = vapid_check(header, origin)
    assert problems == [] and claims["aud"] == origin
    forged = (
        header.split(",k=")[0]
        + ",k="
        + other.sign({"sub": "mailto:a@b.example", "aud": origin})["Authorization"].split(",k=")[1]
    )
    assert vapid_check(forged, origin)[2][0].startswith("bad VAPID signature")


def test_a_persons_subscriptions_are_in_their_export(push_on, push_server):
    person = UserFactory()
    api = client_for(person)
    subscription = push_server.subscription("tablet")
    api.post("/api/push/subscriptions/", subscription, format="json")

    exported = api.get("/api/me/export/").content.decode()

    assert subscription["endpoint"] in exported
    assert subscription["keys"]["auth"] not in exported
