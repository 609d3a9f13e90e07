"""Help requests, offers and visits, around Namur (5000) unless told otherwise."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from matching.vocabulary import Category, Recurrence
from requests_app.models import HelpRequest, Offer, Visit
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR
from tests.matching.factories import VerifiedHelperFactory


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


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.LazyAttribute(lambda offer: VerifiedHelperFactory().user)
    message = "Je peux passer mardi."


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    request = factory.SubFactory(HelpRequestFactory)
    helper = factory.SelfAttribute("request.matched_helper")
    date = factory.LazyFunction(timezone.localdate)
    hours = "1.50"
