"""Schemathesis over the whole API, as described by its own OpenAPI schema (/api/schema/).

Every operation of the schema is called with generated data, in process through Django's WSGI
handler: schemathesis' deterministic boundary and negative cases ("coverage" phase: missing
fields, wrong types, values just outside the limits...) and then EXAMPLES_PER_OPERATION
hypothesis examples ("fuzzing" phase).

Each call is signed in as one of three personas: a requester, a verified helper or a
coordinator. The persona is a function of the example itself (a checksum of what is sent), so
across an operation's cases every persona is used, the run stays reproducible, and it costs one
pass instead of three. The world they act in is seeded first (requests, an offer, a
conversation, a visit, a proposal, a referral, a diary entry), and ids in generated paths are
mostly mapped onto those objects (and postcodes in bodies onto real ones), so the deeper
branches (mine, someone else's, wrong state) are reached instead of a 404 for a random id.

What must hold for every response (schemathesis' checks):
- never a server error (5xx);
- the status code is one the schema documents for the operation;
- the content type and body match the schema for that status;
- data the schema says is invalid is refused (4xx);
- operations needing a sign-in refuse a call without one, and unsupported methods get a 405.

Each example runs inside a savepoint that is rolled back, so every call sees the same seeded
world; `derandomize=True` makes the examples the same on every run, in CI too.
"""

import json
import zlib

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.core import NotSet

from carers.models import ReferralSource
from matching.vocabulary import Category
from messaging import ratelimit as messaging_rate_limits
from requests_app.services import match_confirm
from tests.carers.factories import DiaryEntryFactory, ReferralFactory
from tests.personas import People
from tests.ranking.factories import ProposalFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory, VisitFactory

# Bounded so the file takes well under two minutes on two cores: on top of the coverage cases
# (about 1,700 over the 48 operations), this many hypothesis examples per operation.
EXAMPLES_PER_OPERATION = 15

PERSONAS = ("requester", "helper", "coordinator")

# Every built-in check runs except this one: "schema-valid data must be accepted" cannot hold
# for rules a JSON schema cannot state (a postcode that exists in Belgium, the right password,
# a request that is still open, someone else's object...). Those refusals are 4xx the app's own
# tests cover; what matters here is that they are documented 4xx, never a 5xx.
NOT_CHECKED = [schemathesis.checks.positive_data_acceptance]


def _served_schema() -> dict:
    """The document /api/schema/ serves, built the way its view builds it: at import time,
    while pytest collects, there are no test settings or database to serve it over HTTP yet
    (test_the_fuzzed_schema_is_the_one_the_app_serves checks that both are the same)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = WSGIHandler()

# Filled by the `world` fixture of the running test and read by the hook below while the
# examples are generated (inside the test, after the fixtures).
SEEDED_IDS: dict[str, list] = {}


@schema.hook
def map_path_parameters(context, path_parameters):
    """Three generated ids in four are mapped onto seeded objects; the fourth is kept, so
    unknown ids (404) are exercised too. Values of the wrong type (negative cases) are kept."""
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for name, value in path_parameters.items():
        known = SEEDED_IDS.get(name)
        if not known or isinstance(value, bool):
            continue
        if isinstance(value, int):
            index = value
        elif isinstance(value, str) and name == "code":
            index = len(value)
        else:
            continue
        if index % 4 != 3:
            mapped[name] = known[index % len(known)]
    return mapped


@schema.hook
def map_body(context, body):
    """The same for postcodes in bodies: a random four-digit code is rarely a Belgian one, and
        every write that takes a place would stop at "unknown postcode". Only four-character
    strings, which the schema allows, are replaced, so a negative case stays negative."""
    postcode = body.get("postcode") if isinstance(body, dict) else None
    known = SEEDED_IDS.get("code")
    if not known or not isinstance(postcode, str) or len(postcode) != 4:
        return body
    index = sum(map(ord, postcode))
    if index % 4 == 3:
        return body
    return {**body, "postcode": known[index % len(known)]}


@pytest.fixture
def world(places):
    """A small neighbourhood around Namur, with an object of every kind the API addresses."""
    # The personas of tests/personas.py; the helper has hours to spare for every offer made.
    people = People(
        helper={"weekly_hours": 20.0, "categories": [Category.SHOPPING, Category.COMPANY]},
        help_request={"description": "Courses du samedi."},
    )
    coordinator, helper = people.coordinator, people.helper
    unverified_helper = people.unverified_helper
    open_request = people.help_request
    requester = people.requester
    other_request = HelpRequestFactory(description="Compagnie le dimanche.")
    offer = OfferFactory(request=open_request, helper=helper)
    matched_request = HelpRequestFactory(requester=requester, created_by=requester)
    conversation = match_confirm(offer=OfferFactory(request=matched_request, helper=helper))
    matched_request.refresh_from_db()
    visit = VisitFactory(request=matched_request)
    proposal = ProposalFactory(request=other_request, helper=helper)
    referral = ReferralFactory(person=requester, source=ReferralSource.MANUAL)
    diary_entry = DiaryEntryFactory(user=requester)
    people = {"requester": requester, "helper": helper, "coordinator": coordinator}
    return {
        "tokens": {
            persona: Token.objects.create(user=person).key for persona, person in people.items()
        },
        # Path parameter -> ids worth addressing: mine, someone else's, in another state.
        "ids": {
            "request_id": [open_request.pk, matched_request.pk, other_request.pk],
            "offer_id": [offer.pk],
            "conversation_id": [conversation.pk],
            "visit_id": [visit.pk],
            "proposal_id": [proposal.pk],
            "referral_id": [referral.pk],
            "entry_id": [diary_entry.pk],
            "user_id": [helper.pk, unverified_helper.pk, requester.pk],
            "code": ["5000", "1000", "9999"],
        },
    }


@pytest.fixture(autouse=True)
def _app_in_process(world, settings):
    """The app called in process, inside the test transaction."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Rate limits have tests of their own; here they would only turn the later examples into
    # 429s and hide the branches behind them.
    settings.RATE_LIMITS = {
        action: (10**6, window) for action, (_attempts, window) in settings.RATE_LIMITS.items()
    }
    settings.MESSAGING_RATE_LIMIT_MESSAGES = 10**6
    messaging_rate_limits.reset()
    # Django closes "obsolete" connections at the start and end of each request; inside the test
    # transaction that would break it, so (as django.test.Client does) not during these calls.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    SEEDED_IDS.update(world["ids"])
    yield
    SEEDED_IDS.clear()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def persona_for(case) -> str:
    """The persona an example is sent as: a checksum of what it sends (module docstring)."""
    body = None if isinstance(case.body, NotSet) else case.body
    sent = repr((case.method, case.path_parameters, case.query, body)).encode()
    return PERSONAS[zlib.crc32(sent) % len(PERSONAS)]


def test_the_fuzzed_schema_is_the_one_the_app_serves(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert json.loads(response.content) == schema.raw_schema


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures are per test, not per example, on purpose: each example is rolled back.
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_schema_and_never_fails(case, world):
    token = world["tokens"][persona_for(case)]
    with transaction.atomic():
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"}, excluded_checks=NOT_CHECKED
        )
        # Every example starts from the same seeded world.
        transaction.set_rollback(True)
