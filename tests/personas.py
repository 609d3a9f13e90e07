"""The people of the tests, defined once (grown out of the access-control matrix's world).

Around Namur (5000):

- requester: a helppie, "Anne Lambert", with `help_request`, an open shopping request (1 h,
  once) that the helpers below cover;
- other_requester: a helppie with a request of their own, nothing to do with the requester's;
- helper and other_helper: verified helpers, "Bruno" and "Chloé", whose 5 km radius covers the
  request, 4 h a week each (tests/matching/factories.py: VerifiedHelperFactory);
- unverified_helper: a helper profile a coordinator has not verified yet;
- outsider: signed in, with nothing to do with any of it;
- coordinator;
- service_worker: "Sam Service", a worker of the partner service `partner_service` ("CPAS A
  (fictional)"), and other_service_worker: "Otto Other", a worker of another partner service,
  `other_partner_service` ("CASD B (fictional)") — a worker of one service never sees anything
  of the other's referrals (docs/REFERRALS.md "Partner services");
- anonymous: None.

Every person (and `help_request`) is created on first use, so a test pays only for the people it
names. A folder whose tests count on people existing without naming them (a candidate list, say)
creates its cast up front with `People().create(...)`. A persona that differs on purpose is built
from the base with an explicit override, given to the factory: `People(helper={"radius_km": 10})`.

tests/conftest.py registers the fixtures: `personas` (a `People`) and one per person
(`requester`, `helper`, `other_helper`, `outsider`, `coordinator`, ...).
"""

from functools import cached_property
from typing import Any, Self

from rest_framework.authtoken.models import Token

from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.directory.factories import ServiceFactory, ServiceWorkerFactory
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

PERSONAS = (
    "anonymous",
    "requester",
    "other_requester",
    "helper",
    "other_helper",
    "unverified_helper",
    "outsider",
    "coordinator",
    "service_worker",
    "other_service_worker",
)
# What may be overridden: every persona but anonymous, the requester's request and the
# partner services.
_OVERRIDABLE = {*PERSONAS[1:], "help_request", "partner_service", "other_partner_service"}


class People:
    """The personas, each created on first use (see the module docstring)."""

    anonymous = None
    postcode = "5000"

    def __init__(self, **overrides: dict[str, Any]) -> None:
        unknown = set(overrides) - _OVERRIDABLE
        if unknown:
            raise TypeError(f"No persona called {', '.join(sorted(unknown))}")
        self._overrides = overrides

    def _factory_arguments(self, name: str, **base: Any) -> dict[str, Any]:
        return {**base, **self._overrides.get(name, {})}

    # --- The people ----------------------------------------------------------------------------

    @cached_property
    def requester(self):
        return UserFactory(
            **self._factory_arguments("requester", postcode="5000", display_name="Anne Lambert")
        )

    @cached_property
    def help_request(self):
        return HelpRequestFactory(
            **self._factory_arguments("help_request", requester=self.requester)
        )

    @cached_property
    def other_requester(self):
        person = UserFactory(
            **self._factory_arguments("other_requester", postcode="5000", display_name="Rita Other")
        )
        HelpRequestFactory(requester=person, description="Aide pour les courses de Rita.")
        return person

    @cached_property
    def helper(self):
        return VerifiedHelperFactory(
            **self._factory_arguments("helper", user__display_name="Bruno")
        ).user

    @cached_property
    def other_helper(self):
        return VerifiedHelperFactory(
            **self._factory_arguments("other_helper", user__display_name="Chloé")
        ).user

    @cached_property
    def unverified_helper(self):
        return HelperProfileFactory(
            **self._factory_arguments("unverified_helper", user__display_name="Uma Unverified")
        ).user

    @cached_property
    def outsider(self):
        return UserFactory(**self._factory_arguments("outsider", display_name="Olga Outsider"))

    @cached_property
    def coordinator(self):
        return CoordinatorFactory(
            **self._factory_arguments("coordinator", display_name="Cora Coordinator")
        )

    @cached_property
    def partner_service(self):
        """Service A: a partner service (a directory entry with member accounts)."""
        return ServiceFactory(
            **self._factory_arguments(
                "partner_service", key="test-partner-a", name_fr="CPAS A (fictional)"
            )
        )

    @cached_property
    def other_partner_service(self):
        """Service B: another partner service."""
        return ServiceFactory(
            **self._factory_arguments(
                "other_partner_service", key="test-partner-b", name_fr="CASD B (fictional)"
            )
        )

    @cached_property
    def service_worker(self):
        """A worker of service A (role `service_worker`, e-mail verified)."""
        return ServiceWorkerFactory(
            **self._factory_arguments(
                "service_worker",
                service=self.partner_service,
                user__display_name="Sam Service",
            )
        ).user

    @cached_property
    def other_service_worker(self):
        """A worker of service B."""
        return ServiceWorkerFactory(
            **self._factory_arguments(
                "other_service_worker",
                service=self.other_partner_service,
                user__display_name="Otto Other",
            )
        ).user

    # --- Helpers -------------------------------------------------------------------------------

    def create(self, *names: str) -> Self:
        """Create these personas now, in this order (people other tests count on existing)."""
        for name in names:
            getattr(self, name)
        return self

    def persona(self, name: str):
        """The user behind a persona's name (None for anonymous)."""
        return getattr(self, name)

    def token(self, name: str) -> str:
        """The API token of a persona (created on first use)."""
        return Token.objects.get_or_create(user=self.persona(name))[0].key
