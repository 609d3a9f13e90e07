"""Every hot read that skips the ORM (core.fast_rows) answers, byte for byte, what its serializer
writes from the model instances, for every persona who may read it and in every language.

A fast path is one row of FAST_PATHS: its URL and its reference (the serializer on the ORM's
objects). The test adds nothing by hand: a field added to a serializer and not to its query, or
written differently, fails here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from directory.selectors import service_data, services_for_postcode_list
from geo.selectors import postcode_get
from geo.serializers import PostcodeSerializer
from matching import selectors as matching_selectors
from matching.serializers import HelperProfileOutputSerializer
from messaging import services as messaging_services
from messaging.models import Conversation, Message
from messaging.serializers import ConversationOutputSerializer
from ranking import selectors as ranking_selectors
from ranking.serializers import CandidateSerializer, NearbyRequestSerializer
from requests_app import selectors as request_selectors
from requests_app.models import HelpRequest, RequestStatus
from requests_app.serializers import HelpRequestOutputSerializer
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.carers.factories import ReferralFactory
from tests.clients import client_for
from tests.matching.factories import AvailabilitySlotFactory, VerifiedHelperFactory
from tests.messaging.factories import MessageFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["requester", "helper", "outsider", "coordinator"]
LANGUAGES = ["fr", "nl", "de", "en"]


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Requests and postcodes are checked against the place data (tests/conftest.py)."""


@pytest.fixture
def world() -> SimpleNamespace:
    """A likely carer's request matched to a helper, a second request made for the same person
    by a coordinator (no start, not matched), a conversation about the first with a message of
    an erased sender, and the helper's profile with its slots."""
    requester = UserFactory(postcode="5000", display_name="Anne")
    helper = VerifiedHelperFactory(user__display_name="Bruno")
    AvailabilitySlotFactory(profile=helper, weekday=3, start=time(14), end=time(17, 30))
    AvailabilitySlotFactory(profile=helper, weekday=1, start=time(9), end=time(12))
    coordinator = CoordinatorFactory(display_name="Coordinator")
    matched = HelpRequestFactory(
        requester=requester,
        status=RequestStatus.MATCHED,
        matched_helper=helper.user,
        description="Je m'occupe de ma mère atteinte de démence tous les jours, je suis "
        "épuisée, elle ne peut pas rester seule.",
        for_someone_else=True,
        relationship="parent",
        cared_for_age=82,
        care_hours_per_week=Decimal("12.5"),
        starts_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night summer time begins
    )
    HelpRequestFactory(requester=requester, created_by=coordinator, starts_at=None)
    conversation = messaging_services.conversation_open(
        participants=[requester, helper.user], help_request=matched
    )
    MessageFactory(conversation=conversation, sender=helper.user, body="Bonjour « Anne » ✓")
    erased = UserFactory()
    talk = messaging_services.conversation_open(
        participants=[requester, erased], referral_id=ReferralFactory(person=requester).pk
    )
    MessageFactory(conversation=talk, sender=erased, body="Hallo")
    Message.objects.filter(conversation=talk).update(sender=None)
    return SimpleNamespace(
        requester=requester,
        helper=helper.user,
        outsider=UserFactory(display_name="Outsider"),
        coordinator=coordinator,
        matched=matched,
    )


def _requests(queryset, user) -> list:
    return HelpRequestOutputSerializer(
        queryset[:200], many=True, context={"viewer": user, "carer_signal": False}
    ).data


def _conversations(world, user) -> list:
    """The conversations as the ORM gives them, with the last message and unread count that
    ConversationOutputSerializer reads, in the list's order."""
    conversations = []
    for own in user.conversation_memberships.select_related("conversation"):
        conversation = own.conversation
        conversation.last_message = conversation.messages.order_by("-id").first()
        conversation.unread_count = (
            conversation.messages.filter(id__gt=own.last_read_message_id)
            .exclude(sender_id=user.pk)
            .count()
        )
        conversations.append(conversation)
    conversations.sort(
        key=lambda c: (
            c.last_message is None,
            -(c.last_message.pk if c.last_message else 0),
            -c.created_at.timestamp(),
            -c.pk,
        )
    )
    return ConversationOutputSerializer(conversations, many=True).data


@dataclass
class FastPath:
    url: Callable[[SimpleNamespace], str]
    reference: Callable[[SimpleNamespace, object], object]  # (world, reader) → the serializer's
    readers: tuple[str, ...] = tuple(PERSONAS)  # who gets a 200
    refused: int | dict[str, int] = 404  # what the others get (by persona)


FAST_PATHS = {
    "a request": FastPath(
        url=lambda world: f"/api/requests/{world.matched.pk}/",
        reference=lambda world, user: (
            HelpRequestOutputSerializer(
                HelpRequest.objects.get(pk=world.matched.pk), context={"viewer": user}
            ).data
        ),
        readers=("requester", "helper", "coordinator"),
    ),
    "one's requests": FastPath(
        url=lambda world: "/api/requests/",
        reference=lambda world, user: _requests(
            request_selectors.help_requests_of(user=user), user
        ),
    ),
    "the requests one helps with": FastPath(
        url=lambda world: "/api/requests/?as=helper",
        reference=lambda world, user: _requests(
            request_selectors.help_requests_matched_to(helper_user=user), user
        ),
    ),
    "one's conversations": FastPath(
        url=lambda world: "/api/conversations/",
        reference=_conversations,
    ),
    "a postcode": FastPath(
        url=lambda world: "/api/geo/postcodes/5000/",
        reference=lambda world, user: PostcodeSerializer(postcode_get(code="5000")).data,
    ),
    "a postcode with a German name": FastPath(
        url=lambda world: "/api/geo/postcodes/4700/",
        reference=lambda world, user: PostcodeSerializer(postcode_get(code="4700")).data,
    ),
    "the services of a postcode": FastPath(
        url=lambda world: "/api/services/?postcode=1050",
        reference=lambda world, user: [
            service_data(service, language=translation.get_language())
            for service in services_for_postcode_list("1050")
        ],
    ),
    "one's helper profile": FastPath(
        url=lambda world: "/api/helpers/me/",
        reference=lambda world, user: (
            HelperProfileOutputSerializer(matching_selectors.helper_profile_get(user=user)).data
        ),
        readers=("helper",),
    ),
    "the requests near a helper": FastPath(
        url=lambda world: "/api/requests/nearby/",
        reference=lambda world, user: (
            NearbyRequestSerializer(
                ranking_selectors.nearby_requests_for(helper_user=user), many=True
            ).data
        ),
        readers=("helper",),
        refused=403,
    ),
    "the candidates of a request": FastPath(
        url=lambda world: f"/api/requests/{world.matched.pk}/candidates/",
        reference=lambda world, user: (
            CandidateSerializer(
                ranking_selectors.candidates_for(
                    help_request=HelpRequest.objects.get(pk=world.matched.pk),
                    language=world.requester.language,
                ),
                many=True,
            ).data
        ),
        readers=("requester", "coordinator"),
        refused={"helper": 403},  # the matched helper knows the request exists
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", FAST_PATHS)
def test_a_fast_path_answers_the_bytes_of_its_serializer(world, name, persona, language):
    fast_path, user = FAST_PATHS[name], getattr(world, persona)

    response = client_for(user).get(fast_path.url(world), HTTP_ACCEPT_LANGUAGE=language)

    if persona not in fast_path.readers:
        refused = fast_path.refused
        assert response.status_code == (
            refused.get(persona, 404) if isinstance(refused, dict) else refused
        )
        return
    with translation.override(language):
        expected = JSONRenderer().render(fast_path.reference(world, user))
    assert response.status_code == 200
    assert response.content == expected


def test_the_world_covers_what_differs_between_readers(world):
    """The comparisons above mean something: readers see different requests and places."""
    with translation.override("nl"):
        dutch = client_for(world.requester).get(f"/api/requests/{world.matched.pk}/").json()
    helper = client_for(world.helper).get(f"/api/requests/{world.matched.pk}/").json()

    assert dutch["carer_signal"]["likely_carer"] and dutch["carer_signal"]["reasons"]
    assert "carer_signal" not in helper and helper["location_is_exact"]
    assert len(client_for(world.coordinator).get("/api/requests/").json()) == 1
    assert Conversation.objects.count() == 2
    assert len(client_for(world.helper).get("/api/requests/nearby/").json()) == 1
    candidates = f"/api/requests/{world.matched.pk}/candidates/"
    assert client_for(world.requester).get(candidates).json()[0]["reasons"]
