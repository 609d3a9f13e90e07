"""Hostile input gets a clear 4xx, never a 5xx, and stores nothing (CONTRACT.md, "Conventions";
issue 6, scope item 2).

Every JSON write endpoint of the contract is listed once in ENDPOINTS with a valid body; the
tables below spoil that body in one way at a time (NUL characters, invalid UTF-8, bodies that
are not JSON, too large or too deep, wrong types, absurd numbers). Then absurd ids in URLs,
messages in the person's language, the web forms and the WebSocket.

Already covered elsewhere, not repeated here:
- tests/accounts/test_bad_input.py: bodies that are not an object, wrong types and sizes for
  registration, token and /api/me/;
- tests/requests_app/test_api_requests_create.py, test_api_offers.py, test_api_feedback.py: a
  NUL in a request's description, an offer's message, feedback text;
- tests/carers/test_api_assessments.py: assessment bodies that are not an object, NaN;
- tests/messaging/test_consumers.py (BAD_FRAMES, test_a_binary_frame_gets_an_error_frame):
  invalid JSON, binary frames (with NUL bytes), a 20 kB frame, bad fields, each answered with
  an error frame on a socket that stays open.
"""

import json
import uuid
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from carers.models import CareDiaryEntry, Referral
from matching.models import VettingChange
from messaging.models import Message
from requests_app.models import HelpRequest, Offer
from requests_app.services import match_confirm
from tests.accounts.factories import UserFactory
from tests.carers.factories import DiaryEntryFactory, ReferralFactory
from tests.clients import client_for
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.conftest import channel_layers_on
from tests.messaging.sockets import frame_of_type, join, send_message
from tests.pages.request_form import request_form_answers
from tests.personas import People
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

NUL = "\x00"
FIVE_MEGABYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Endpoint:
    """A JSON write endpoint: who calls it, where, and a body it accepts."""

    name: str
    method: str
    path: str  # formatted with the world's ids
    persona: str | None  # None: anonymous
    body: dict = field(default_factory=dict)
    success: int = 200


ENDPOINTS = [
    Endpoint(
        "register",
        "post",
        "/api/auth/register/",
        None,
        {
            "email": "new@example.be",
            "password": "Quiet-meadow-bicycle-71",
            "display_name": "Nouvelle",
            "language": "fr",
            "postcode": "1000",
        },
        201,
    ),
    Endpoint(
        "token",
        "post",
        "/api/auth/token/",
        None,
        {"email": "anne@example.be", "password": "tandem-Factory-pass-2024!"},
    ),
    Endpoint(
        "me",
        "patch",
        "/api/me/",
        "requester",
        {"display_name": "Anne", "language": "fr", "postcode": "5000"},
    ),
    Endpoint(
        "helper profile",
        "put",
        "/api/helpers/me/",
        "helper",
        {
            "postcode": "5000",
            "radius_km": 5,
            "categories": ["shopping", "company"],
            "weekly_hours": 4,
            "languages": ["fr"],
            "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
            "has_car": False,
            "active": True,
        },
    ),
    Endpoint(
        "help request",
        "post",
        "/api/requests/",
        "requester",
        {
            "category": "shopping",
            "description": "Courses au marché du samedi.",
            "postcode": "5000",
            "duration_minutes": 60,
            "recurrence": "weekly",
            "languages": ["fr"],
            "location": {"lat": 50.4669, "lon": 4.8675},
        },
        201,
    ),
    Endpoint(
        "offer",
        "post",
        "/api/requests/{open_request}/offers/",
        "helper",
        {"message": "Je peux passer mardi."},
        201,
    ),
    Endpoint(
        "message",
        "post",
        "/api/conversations/{conversation}/messages/",
        "requester",
        {"body": "Bonjour !", "client_id": "5b0c8c7e-8a4b-4a4e-9a55-3f4f2a1d9c01"},
        201,
    ),
    Endpoint(
        "assessment",
        "post",
        "/api/carers/assessments/",
        None,
        {
            "postcode": "5000",
            "contact_consent": False,
            "contact": {"email": "aidant@example.be"},
            "carer": {"hours_per_month": 60, "employment": "employee"},
            "cared_for": {"age": 82, "indicators": {"katz_package": "B"}},
        },
        201,
    ),
    Endpoint(
        "diary entry",
        "post",
        "/api/carers/diary/",
        "requester",
        {"date": "2025-01-06", "hours": "2.5", "kind": "care", "note": "Courses et repas."},
        201,
    ),
    Endpoint(
        "referral",
        "post",
        "/api/referrals/",
        "coordinator",
        {"postcode": "5000", "note": "Appel de la voisine."},
        201,
    ),
    Endpoint(
        "referral update",
        "patch",
        "/api/referrals/{referral}/",
        "coordinator",
        {"note": "Rappelée ce matin.", "outcome": ""},
    ),
    Endpoint("batch", "post", "/api/matching/batch/", "coordinator", {"dry_run": True}),
    Endpoint(
        "vetting",
        "post",
        "/api/helpers/{unverified_helper}/vetting/",
        "coordinator",
        {"state": "unverified", "reason": "ID seen.", "checks": {"id_document": "passport"}},
    ),
]
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


@pytest.fixture
def world(places, settings):
    """The people and objects the endpoints address, around Namur."""
    # Rate limits have their own tests; here a table of many calls must not hit them.
    settings.RATE_LIMITS = {
        action: (10**6, window) for action, (_attempts, window) in settings.RATE_LIMITS.items()
    }
    # The personas of tests/personas.py; the requester signs in by the address LOGIN names, and
    # the helper has hours to spare for every offer the table makes.
    people = People(requester={"email": "anne@example.be"}, helper={"weekly_hours": 20.0})
    requester, helper, coordinator = people.requester, people.helper, people.coordinator
    open_request = HelpRequestFactory()
    matched_request = HelpRequestFactory(requester=requester, created_by=requester)
    conversation = match_confirm(offer=OfferFactory(request=matched_request, helper=helper))
    referral = ReferralFactory(person=requester)
    DiaryEntryFactory(user=requester)
    return {
        "people": {"requester": requester, "helper": helper, "coordinator": coordinator},
        "ids": {
            "open_request": open_request.pk,
            "matched_request": matched_request.pk,
            "conversation": conversation.pk,
            "referral": referral.pk,
            "unverified_helper": people.unverified_helper.pk,
        },
    }


def call(world, endpoint: Endpoint, data, content_type="application/json", **headers):
    """`endpoint` called as its persona with `data` (a dict is sent as JSON, bytes or text as
    they are)."""
    client = client_for(world["people"].get(endpoint.persona)) if endpoint.persona else APIClient()
    if isinstance(data, dict | list):
        data = json.dumps(data)
    path = endpoint.path.format(**world["ids"])
    return client.generic(endpoint.method.upper(), path, data, content_type, **headers)


def stored_counts() -> tuple:
    """How many rows the write endpoints can add, to check a refusal stored nothing."""
    return tuple(
        model.objects.count()
        for model in (User, HelpRequest, Offer, Message, CareDiaryEntry, Referral, VettingChange)
    )


def assert_refused(response, *statuses):
    statuses = statuses or (400,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")


# --- The table is right: every body is accepted as it is -------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_the_valid_body_of_each_endpoint_is_accepted(world, endpoint):
    response = call(world, endpoint, endpoint.body)

    assert response.status_code == endpoint.success, response.content[:500]


# --- NUL characters ---------------------------------------------------------------------------


def string_leaves(value, path=()):
    """(path, text) of every string in a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_leaves(item, (*path, index))


def with_value_at(body, path, value):
    if not path:
        return value
    head, *rest = path
    copy = list(body) if isinstance(body, list) else dict(body)
    copy[head] = with_value_at(body[head], rest, value)
    return copy


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_a_nul_character_in_any_string_or_key_is_a_400_naming_the_field(world, endpoint, subtests):
    for path, text in string_leaves(endpoint.body):
        with subtests.test(".".join(map(str, path))):
            before = stored_counts()
            spoiled = with_value_at(endpoint.body, path, text[:2] + NUL + text[2:])

            response = call(world, endpoint, spoiled)

            assert_refused(response)
            assert path[0] in response.json()
            assert stored_counts() == before
    with subtests.test("in a key"):
        assert_refused(call(world, endpoint, {**endpoint.body, f"extra{NUL}field": "x"}))


# --- Bodies that are not (acceptable) JSON ----------------------------------------------------

NOT_JSON = {
    "invalid utf-8": (b'{"display_name": "\xff\xfe\xfa"}', "application/json", 400),
    "latin-1 text": ('{"display_name": "Ren\u00e9e"}'.encode("latin-1"), "application/json", 400),
    "NUL byte, raw": (b'{"display_name": "A\x00B"}', "application/json", 400),
    "not json": (b"display_name=Anne", "application/json", 400),
    "truncated": (b'{"display_name": "Anne"', "application/json", 400),
    "NaN": (b'{"radius_km": NaN}', "application/json", 400),
    "Infinity": (b'{"radius_km": -Infinity}', "application/json", 400),
    "form encoded": (b"display_name=Anne", "application/x-www-form-urlencoded", 415),
    "multipart": (b"--x\r\n\r\n--x--\r\n", "multipart/form-data; boundary=x", 415),
    "plain text": (b"Anne", "text/plain", 415),
    "nested 100000 deep": (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_a_body_that_is_not_acceptable_json_is_refused(world, endpoint, subtests):
    for case, (body, content_type, expected) in NOT_JSON.items():
        with subtests.test(case):
            before = stored_counts()

            response = call(world, endpoint, body, content_type)

            assert_refused(response, expected)
            assert stored_counts() == before


def test_the_body_size_limit_is_djangos_upload_limit():
    # What the size tests below rely on: 5 MB is over the limit.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < FIVE_MEGABYTES


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_a_five_megabyte_body_is_a_413_before_it_is_parsed(world, endpoint, subtests):
    for name in (next(iter(endpoint.body)), "unknown_padding"):
        with subtests.test(name):
            before = stored_counts()

            response = call(world, endpoint, {**endpoint.body, name: "x" * FIVE_MEGABYTES})

            assert_refused(response, 413)
            assert stored_counts() == before


# --- Wrong types and absurd numbers -----------------------------------------------------------

BAD_VALUES = [
    # (endpoint, field, value)
    ("help request", "duration_minutes", "60"),
    ("help request", "duration_minutes", 60.5),
    ("help request", "duration_minutes", -1),
    ("help request", "duration_minutes", 10**20),
    ("help request", "duration_minutes", 10**400),
    ("help request", "duration_minutes", [60]),
    ("help request", "category", ["shopping"]),
    ("help request", "description", {"text": "Courses"}),
    ("help request", "languages", "fr"),
    ("help request", "location", [4.8675, 50.4669]),
    ("help request", "location", {"lat": 1e308, "lon": 4.8675}),
    ("help request", "location", {"lat": "50.4669", "lon": 4.8675}),
    ("help request", "cared_for_age", -1),
    ("help request", "cared_for_age", 10**20),
    ("help request", "care_hours_per_week", 1e308),
    ("help request", "for_someone_else", "yes"),
    ("helper profile", "radius_km", -1),
    ("helper profile", "radius_km", 0),
    ("helper profile", "radius_km", 1e308),
    ("helper profile", "radius_km", "5"),
    ("helper profile", "radius_km", {"km": 5}),
    ("helper profile", "weekly_hours", 10**20),
    ("helper profile", "weekly_hours", -0.5),
    ("helper profile", "categories", "shopping"),
    ("helper profile", "categories", {"shopping": True}),
    ("helper profile", "availability", {"weekday": 1}),
    ("helper profile", "availability", [{"weekday": 10**20, "start": "09:00", "end": "10:00"}]),
    ("helper profile", "availability", [{"weekday": 1, "start": "25:00", "end": "26:00"}]),
    ("helper profile", "has_car", "false"),
    ("offer", "message", 42),
    ("offer", "message", ["Je peux"]),
    ("message", "body", 42),
    ("message", "client_id", 12),
    ("message", "client_id", {"id": 1}),
    ("diary entry", "hours", 10**20),
    ("diary entry", "hours", "1e308"),
    ("diary entry", "hours", -2),
    ("diary entry", "date", "9999999-01-01"),
    ("diary entry", "date", 20250106),
    ("assessment", "carer", {"hours_per_month": 1e308}),
    ("assessment", "carer", {"hours_per_month": -5}),
    ("assessment", "carer", ["hours"]),
    ("assessment", "cared_for", {"age": 10**20}),
    ("assessment", "contact_consent", "true"),
    ("referral update", "referred_to", 10**20),
    ("referral update", "referred_to", "1"),
    ("referral update", "assigned_to", -1),
    ("batch", "dry_run", "false"),
    ("vetting", "state", ["verified"]),
    ("vetting", "reason", 42),
    ("vetting", "checks", "passport"),
    ("vetting", "checks", {"interview_on": "9999999-01-01"}),
    ("vetting", "checks", {"interview_on": 20250106}),
    ("vetting", "checks", {"interviewed_by": 10**20}),
    ("vetting", "checks", {"interviewed_by": "1"}),
    ("vetting", "notes", ["Rappeler"]),
    ("me", "language", ["fr"]),
    ("me", "postcode", 5000),
]


@pytest.mark.parametrize("endpoint_name", sorted({case[0] for case in BAD_VALUES}))
def test_a_wrong_type_or_absurd_number_is_a_400_naming_the_field(world, endpoint_name, subtests):
    endpoint = BY_NAME[endpoint_name]
    for _endpoint_name, name, value in (case for case in BAD_VALUES if case[0] == endpoint_name):
        with subtests.test(f"{name}={str(value)[:30]}"):
            before = stored_counts()

            response = call(world, endpoint, {**endpoint.body, name: value})

            assert_refused(response)
            assert name in response.json()
            assert stored_counts() == before


OVERFLOWING_NUMBERS = ["1e400", "-1e400", "1" + "0" * 5000]


@pytest.mark.parametrize(
    ("endpoint_name", "name"),
    [
        ("helper profile", "radius_km"),
        ("help request", "duration_minutes"),
        ("help request", "care_hours_per_week"),
        ("diary entry", "hours"),
    ],
)
def test_a_json_number_beyond_float_range_is_a_400(world, endpoint_name, name, subtests):
    # 1e400 is valid JSON that Python reads as infinity, past the NaN/Infinity check.
    endpoint = BY_NAME[endpoint_name]
    for number in OVERFLOWING_NUMBERS:
        with subtests.test(number[:10]):
            text = json.dumps({**endpoint.body, name: "NUMBER"}).replace('"NUMBER"', number)

            assert_refused(call(world, endpoint, text.encode()))


# --- Absurd ids in URLs -----------------------------------------------------------------------

HUGE = "99999999999999999999"  # beyond PostgreSQL's bigint

ABSURD_URLS = [
    ("requester", "get", f"/api/requests/{HUGE}/"),
    ("requester", "get", f"/api/requests/{HUGE}/candidates/"),
    ("requester", "post", f"/api/requests/{HUGE}/cancel/"),
    ("helper", "post", f"/api/requests/{HUGE}/offers/"),
    ("requester", "post", f"/api/offers/{HUGE}/accept/"),
    ("requester", "get", f"/api/conversations/{HUGE}/messages/"),
    ("helper", "post", f"/api/proposals/{HUGE}/accept/"),
    ("coordinator", "post", f"/api/helpers/{HUGE}/verify/"),
    ("coordinator", "get", f"/api/helpers/{HUGE}/vetting/"),
    ("coordinator", "post", f"/api/helpers/{HUGE}/vetting/"),
    ("coordinator", "get", f"/api/referrals/{HUGE}/"),
    ("coordinator", "get", f"/api/referrals/{HUGE}/audit/"),
    ("requester", "get", f"/api/carers/diary/{HUGE}/"),
    ("helper", "post", f"/api/visits/{HUGE}/confirm/"),
    ("requester", "get", "/api/requests/-1/"),
    ("requester", "get", "/api/requests/1e3/"),
    ("requester", "get", "/api/requests/%00/"),
    ("requester", "get", "/api/geo/postcodes/%00%00%00%00/"),
    ("requester", "get", "/api/geo/postcodes/" + "9" * 1000 + "/"),
    ("requester", "get", "/api/nothing-here/"),
]


def test_an_absurd_id_in_the_url_is_a_json_404(world, subtests):
    for persona, method, url in ABSURD_URLS:
        with subtests.test(f"{method} {url[:60]}"):
            client = client_for(world["people"][persona])

            assert_refused(getattr(client, method)(url, format="json"), 404)


ABSURD_QUERIES = [
    "/api/conversations/{conversation}/messages/?after=-1&limit=" + HUGE,
    "/api/conversations/{conversation}/messages/?limit=-5",
    "/api/conversations/{conversation}/messages/?limit=abc",
    "/api/conversations/{conversation}/messages/?after=%00",
    "/api/requests/{matched_request}/candidates/?limit=" + HUGE,
    "/api/requests/?as=%00",
    "/api/proposals/?status=%00",
    "/api/carers/diary/totals/?date=99999-99-99",
    "/api/services/?postcode=%00%00%00%00",
]


def test_an_absurd_query_parameter_is_a_400(world, subtests):
    for url in ABSURD_QUERIES:
        with subtests.test(url):
            response = client_for(world["people"]["requester"]).get(url.format(**world["ids"]))

            assert_refused(response, 400)


def test_messages_after_an_id_beyond_any_are_none(world):
    url = f"/api/conversations/{world['ids']['conversation']}/messages/?after={HUGE}"

    response = client_for(world["people"]["requester"]).get(url)

    assert (response.status_code, response.json()) == (200, [])


# --- Messages in the person's language --------------------------------------------------------


def max_length_message(language: str, limit: int) -> str:
    with translation.override(language):
        return gettext("Ensure this field has no more than {max_length} characters.").format(
            max_length=limit
        )


def test_a_too_long_name_is_refused_in_the_persons_own_language(world):
    person = UserFactory(language="nl")
    browser = Client()
    browser.force_login(person)

    response = browser.patch(
        "/api/me/", json.dumps({"display_name": "x" * 10_000}), content_type="application/json"
    )

    assert_refused(response)
    assert response.json()["display_name"] == [max_length_message("nl", 80)]
    assert max_length_message("nl", 80) != max_length_message("en", 80)


def test_a_too_long_text_is_refused_in_the_language_asked_for(world):
    endpoint = BY_NAME["register"]

    response = call(
        world, endpoint, {**endpoint.body, "display_name": "x" * 10_000}, HTTP_ACCEPT_LANGUAGE="de"
    )

    assert_refused(response)
    assert response.json()["display_name"] == [max_length_message("de", 80)]


def test_a_nul_character_is_refused_in_the_language_asked_for(world):
    endpoint = BY_NAME["help request"]
    body = {**endpoint.body, "description": "Cour\x00ses"}

    response = call(world, endpoint, body, HTTP_ACCEPT_LANGUAGE="nl")

    with translation.override("nl"):
        expected = gettext("Null characters are not allowed.")
    assert response.json()["description"] == [expected]


# --- Web forms ----------------------------------------------------------------------------------

SIGNUP = {
    "email": "nouvelle@example.be",
    "password": "quatre chats dans le jardin",
    "display_name": "Nouvelle",
    "language": "fr",
    "postcode": "5000",
    "privacy_notice": "on",
    "privacy_notice_version": PRIVACY_NOTICE_VERSION,
}
LOGIN = {"email": "anne@example.be", "password": "tandem-Factory-pass-2024!"}
NEW_REQUEST = request_form_answers()
FORMS = (
    # Not the checkbox: a browser sends "on" or nothing, and any other value means "ticked".
    [("/signup/", None, SIGNUP, name) for name in SIGNUP if name != "privacy_notice"]
    + [("/login/", None, LOGIN, name) for name in LOGIN]
    + [
        ("/requests/new/", "requester", NEW_REQUEST, name)
        for name in ("category", "description", "postcode", "duration_minutes", "recurrence")
    ]
)


def test_a_nul_character_in_a_form_field_re_renders_the_form_with_an_error(world, subtests):
    for url, persona, answers, name in FORMS:
        with subtests.test(f"{url} {name}"):
            browser = Client()
            if persona:
                browser.force_login(world["people"][persona])
            before = stored_counts()
            spoiled = {**answers, name: answers[name][:2] + NUL + answers[name][2:]}

            response = browser.post(url, spoiled)

            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/html")
            assert response.context["form"].errors
            assert stored_counts() == before


def test_the_form_answers_without_nul_are_accepted(world):
    # The tables above are right: the same answers, unspoiled, go through.
    browser = Client()
    browser.force_login(world["people"]["requester"])
    assert Client().post("/signup/", SIGNUP).status_code == 302
    assert browser.post("/requests/new/", NEW_REQUEST).status_code == 302


# --- WebSocket --------------------------------------------------------------------------------


@pytest.fixture
def socket_world(transactional_db, places, settings):
    """A conversation between a requester and a helper, on a channel layer of this test's own
    (as tests/messaging/conftest.py does)."""
    settings.CHANNEL_LAYERS = channel_layers_on(
        settings.REDIS_URL, f"test-{uuid.uuid4().hex[:12]}."
    )
    requester = UserFactory()
    help_request = HelpRequestFactory(requester=requester, created_by=requester)
    helper = VerifiedHelperFactory().user
    conversation = match_confirm(offer=OfferFactory(request=help_request, helper=helper))
    return conversation, requester


def stored_bodies(conversation) -> list[str]:
    return list(Message.objects.filter(conversation=conversation).values_list("body", flat=True))


BAD_SOCKET_FRAMES = [
    pytest.param(
        json.dumps({"type": "message", "body": f"Bon{NUL}jour", "client_id": str(uuid.uuid4())}),
        "invalid_body",
        id="NUL in the body",
    ),
    pytest.param(
        json.dumps({"type": "message", "body": "Bonjour", "client_id": f"{NUL}" * 36}),
        "invalid_client_id",
        id="NUL in the client id",
    ),
    pytest.param(
        json.dumps({"type": "message", "body": "x" * 1024 * 1024, "client_id": str(uuid.uuid4())}),
        "frame_too_large",
        id="1 MB frame",
    ),
]


@pytest.mark.parametrize(("frame", "code"), BAD_SOCKET_FRAMES)
async def test_a_hostile_frame_gets_an_error_frame_and_the_socket_stays_open(
    socket_world, frame, code
):
    conversation, requester = socket_world
    socket = await join(conversation, requester)

    await socket.send_to(text_data=frame)

    error = await frame_of_type(socket, "error")
    assert (error["code"], bool(error["detail"])) == (code, True)
    ack = await send_message(socket, "Toujours là")
    assert ack["created"] is True
    assert await database_sync_to_async(stored_bodies)(conversation) == ["Toujours là"]
    await socket.disconnect()
