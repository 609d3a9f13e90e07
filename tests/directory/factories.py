"""Factories of the service directory's data."""

import factory
from factory.django import DjangoModelFactory

from directory.models import Service, ServiceKind


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
