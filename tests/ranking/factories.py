"""Proposals of a coordinator's batch run (ranking)."""

import uuid

import factory
from factory.django import DjangoModelFactory

from ranking.models import Proposal
from tests.matching.factories import VerifiedHelperFactory


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    # Named by its path: a proposal is about a request, whose factory (tests/requests_app)
    # itself builds on the helper factories above, so importing it here would be circular.
    request = factory.SubFactory("tests.requests_app.factories.HelpRequestFactory")
    helper = factory.LazyAttribute(lambda proposal: VerifiedHelperFactory().user)
    score = 0.8
    batch_id = factory.LazyFunction(uuid.uuid4)
