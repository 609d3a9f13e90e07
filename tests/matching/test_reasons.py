"""Candidates' reasons: plain sentences for the strongest factors, in the requester's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from matching.vocabulary import Category
from ranking.selectors import MAX_REASONS, candidates_for
from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import AvailabilitySlotFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

# A Tuesday, 10:00 in Brussels: inside the factory's Tuesday 09:00–12:00 slot.
TUESDAY_MORNING = datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def strong_helper():
    requester = UserFactory(language="fr")
    profile = VerifiedHelperFactory(
        location=point_at(NAMUR, km=1.2),
        languages=["fr"],
        has_car=True,
        categories=[Category.TRANSPORT],
        weekly_hours=1,
    )
    AvailabilitySlotFactory(profile=profile)
    HelpRequestFactory(
        requester=requester, status=RequestStatus.COMPLETED, matched_helper=profile.user
    )
    help_request = HelpRequestFactory(
        requester=requester,
        category=Category.TRANSPORT,
        duration_minutes=60,
        starts_at=TUESDAY_MORNING,
    )
    return help_request


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Lives within 2 km", "Speaks French", "Is usually free on Tuesday mornings"]),
        (
            "fr",
            ["Habite à moins de 2 km", "Parle français", "Est généralement libre le mardi matin"],
        ),
        ("nl", ["Woont binnen 2 km", "Spreekt Frans", "Is meestal vrij op dinsdagvoormiddag"]),
        (
            "de",
            [
                "Wohnt im Umkreis von 2 km",
                "Spricht Französisch",
                "Hat dienstagvormittags meistens Zeit",
            ],
        ),
    ],
)
def test_reasons_are_the_strongest_factors_in_the_language_asked(strong_helper, language, expected):
    (candidate,) = candidates_for(help_request=strong_helper, language=language)

    assert candidate.reasons == expected
    assert len(candidate.reasons) <= MAX_REASONS


def test_weaker_factors_still_speak_when_the_strong_ones_are_silent():
    requester = UserFactory(language="en")
    profile = VerifiedHelperFactory(
        location=point_at(NAMUR, km=4.9),
        languages=["de"],
        has_car=True,
        categories=[Category.TRANSPORT],
        weekly_hours=1,  # this one-hour request takes all of it: no spare time to tell
    )
    HelpRequestFactory(
        requester=requester, status=RequestStatus.MATCHED, matched_helper=profile.user
    )

    (candidate,) = candidates_for(
        help_request=HelpRequestFactory(requester=requester, category=Category.TRANSPORT),
        language="en",
    )

    assert candidate.reasons == ["Has helped you before", "Has a car", "Lives within 5 km"]


def test_no_sentence_for_what_does_not_hold():
    requester = UserFactory(language="en")
    VerifiedHelperFactory(location=NAMUR, languages=["nl"], has_car=False, weekly_hours=1)

    (candidate,) = candidates_for(
        help_request=HelpRequestFactory(requester=requester, starts_at=TUESDAY_MORNING),
        language="en",
    )

    assert candidate.reasons == ["Lives within 1 km"]
