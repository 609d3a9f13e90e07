"""The test harness keeps the place data through a transactional test's flush.

See tests/conftest.py.
"""

import pytest
from django.core.management import call_command

from geo.models import CountryBoundary, Municipality, Postcode


@pytest.mark.django_db(transaction=True)
def test_a_flush_is_followed_by_a_reload_of_the_places():
    call_command("flush", interactive=False, verbosity=0)

    assert Postcode.objects.count() == 1149
    assert Municipality.objects.count() == 565
    assert CountryBoundary.objects.filter(country_code="BE").exists()


@pytest.mark.django_db(transaction=True)
def test_the_places_fixture_loads_what_is_missing(request):
    Postcode.objects.all().delete()

    request.getfixturevalue("places")

    assert Postcode.objects.count() == 1149
