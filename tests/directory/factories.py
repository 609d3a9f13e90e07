"""Factories of the service directory's data."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.models import Service, ServiceKind, ServiceMembership


class ServiceFactory(DjangoModelFactory):
    """An active entry serving nobody until given `coverage` (REFNIS codes) or `nationwide`."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    key = factory.Sequence(lambda number: f"test-service-{number}")
    kind = ServiceKind.OTHER
    source = "Test data"

    @factory.post_generation
    def coverage(service, create, refnis_codes, **kwargs):
        if create and refnis_codes:
            service.coverage.set(refnis_codes)


class ServiceWorkerFactory(DjangoModelFactory):
    """A partner service's worker: an account with the role `service_worker` (verified e-mail)
    and its membership of `service` (a new entry unless given)."""

    class Meta:
        model = ServiceMembership

    user = factory.SubFactory(
        "tests.accounts.factories.UserFactory",
        roles=["service_worker"],
        email_verified_at=factory.LazyFunction(timezone.now),
    )
    service = factory.SubFactory(ServiceFactory)
