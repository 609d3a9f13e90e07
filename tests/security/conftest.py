"""The world of the access-control matrix (tests/security/test_access_matrix.py).

The personas of tests/personas.py around Namur (5000), and the objects they may or may not touch.
Every object is built on first use (a cached property), so a row pays only for what its path and
body name, and every test gets a world of its own: a row that changes something never affects
another.

- requester: a helppie with requests of their own (open, matched, proposed), a referral about
  them (read once by the coordinator: `access_record`, in their access log) and a care-diary
  entry;
- other_requester: a helppie with a request of their own, nothing to do with the requester's;
- helper: a verified helper who covers the requester's requests, matched with `matched_request`
  (hence in `conversation`), who offered on `open_request` (`pending_offer`) and was
  proposed `proposed_request` by a batch (`proposal`);
- unverified_helper: a helper profile a coordinator has not verified yet;
- coordinator, who manages `managed_person` (a person without e-mail), while another team
  manages `other_team_person`;
- service_worker, a worker of the partner service A (`partner_service`), which got
  `sent_referral` (about the requester) and had `withdrawn_referral` taken back; and, in the
  partner table only, other_service_worker, a worker of service B, which got
  `other_sent_referral` (about the other requester).
"""

import uuid
from functools import cached_property

import pytest

from audit.services import access_recorded
from carers.services.loop import (
    referral_consent_withdraw,
)
from tests.accounts.factories import ManagedPersonFactory
from tests.carers.factories import DiaryEntryFactory, ReferralFactory, referral_sent
from tests.directory.factories import ServiceFactory
from tests.personas import People
from tests.ranking.factories import ProposalFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory, VisitFactory

# An id no object has: unknown objects must answer like other people's ones.
UNKNOWN_ID = 987654321

# The matrix's columns, in this order.
PERSONAS = (
    "anonymous",
    "requester",
    "other_requester",
    "helper",
    "unverified_helper",
    "coordinator",
    "service_worker",
)


class World(People):
    """The personas and their objects, each created on first use."""

    unknown_id = UNKNOWN_ID

    @cached_property
    def open_request(self):
        return self.help_request

    @cached_property
    def service(self):
        """A directory entry (a fictional test one)."""
        return ServiceFactory(key="test-matrix-service", name_fr="Test (fictional)")

    @cached_property
    def pending_offer(self):
        return OfferFactory(request=self.open_request, helper=self.helper)

    @cached_property
    def matched_request(self):
        from requests_app.services import match_confirm

        help_request = HelpRequestFactory(
            requester=self.requester, description="Compagnie le jeudi après-midi."
        )
        self.__dict__["conversation"] = match_confirm(
            offer=OfferFactory(request=help_request, helper=self.helper)
        )
        help_request.refresh_from_db()
        return help_request

    @cached_property
    def conversation(self):
        self.matched_request  # noqa: B018  (matching opens the conversation)
        return self.__dict__["conversation"]

    @cached_property
    def visit(self):
        return VisitFactory(request=self.matched_request)

    @cached_property
    def proposed_request(self):
        return HelpRequestFactory(
            requester=self.requester, description="Petites courses du samedi."
        )

    @cached_property
    def proposal(self):
        return ProposalFactory(request=self.proposed_request, helper=self.helper)

    @cached_property
    def referral(self):
        return ReferralFactory(person=self.requester)

    @cached_property
    def signal_referral(self):
        """A referral raised by the carer signal on one of the requester's requests."""
        return ReferralFactory(person=self.requester, help_request=self.open_request)

    def _sent(self, person, service):
        """A new referral about `person`, sent to `service` with their consent (given online)."""
        return referral_sent(person=person, service=service, coordinator=self.coordinator)

    @cached_property
    def sent_referral(self):
        """A referral about the requester, sent to service A (`partner_service`, whose worker
        is `service_worker`) with the requester's consent."""
        return self._sent(self.requester, self.partner_service)

    @cached_property
    def other_sent_referral(self):
        """A referral about the other requester, sent to service B (`other_partner_service`,
        whose worker is `other_service_worker`) with their consent."""
        return self._sent(self.other_requester, self.other_partner_service)

    @cached_property
    def withdrawn_referral(self):
        """A referral sent to service A, then the requester withdrew their consent."""
        referral = self._sent(self.requester, self.partner_service)
        return referral_consent_withdraw(referral=referral, actor=self.requester)

    @cached_property
    def diary_entry(self):
        return DiaryEntryFactory(user=self.requester)

    @cached_property
    def managed_person(self):
        return ManagedPersonFactory(managed_by=[self.coordinator])

    @cached_property
    def other_team_person(self):
        return ManagedPersonFactory()

    @cached_property
    def access_record(self):
        """The coordinator's read of the requester's referral, in the requester's access log."""
        return access_recorded(
            reader=self.coordinator,
            role="coordinator",
            subject_id=self.requester.pk,
            what="referral",
            object_id=self.referral.pk,
            purpose="referral_detail",
            route=f"/api/referrals/{self.referral.pk}/",
        )

    @cached_property
    def new_email(self) -> str:
        return f"new-{uuid.uuid4().hex[:12]}@example.org"


@pytest.fixture
def access_world(places) -> World:
    """A fresh world for one test (see the module docstring)."""
    return World()
