"""Helper profiles and help requests for tests, around Namur (5000) unless told otherwise."""

import factory
from django.contrib.gis.geos import Point
from factory.django import DjangoModelFactory

from accounts.models import Role
from matching.models import HelperProfile
from requests_app.models import Category, HelpRequest, Recurrence
from tests.accounts.factories import UserFactory

NAMUR = Point(4.8675, 50.4669, srid=4326)


class HelperProfileFactory(DjangoModelFactory):
    class Meta:
        model = HelperProfile

    user = factory.SubFactory(UserFactory, roles=[Role.HELPPER], postcode="5000")
    location = factory.LazyFunction(lambda: NAMUR.clone())
    postcode = "5000"
    radius_km = 5.0
    categories = factory.LazyFunction(lambda: [Category.SHOPPING, Category.COMPANY])
    weekly_hours = 4.0
    languages = factory.LazyFunction(lambda: ["fr"])


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = HelpRequest

    requester = factory.SubFactory(UserFactory, postcode="5000")
    created_by = factory.SelfAttribute("requester")
    category = Category.SHOPPING
    description = "Courses au supermarché du quartier."
    location = factory.LazyFunction(lambda: NAMUR.clone())
    postcode = "5000"
    duration_minutes = 60
    recurrence = Recurrence.ONCE
