"""Fixtures for the whole test suite.

Place data (municipalities, postcodes, the outline of Belgium) is reference data every part of
Tandem relies on, so the test database holds it just like a real one:

- `django_db_setup` (pytest-django's session fixture, extended here) loads it once, committed,
  right after the test database is created or reused.
- A transactional test (`django_db(transaction=True)`, `transactional_db`, `live_server`) ends
  with a flush that empties every table. Django then sends `post_migrate` (as it does to
  recreate content types), and the receiver below loads the places again at once, so the
  tests that follow never see an empty gazetteer. The loader is idempotent and, once the
  packaged data is parsed (cached per process), costs about 0.3 s.
- The `places` fixture states the dependency in a test and is the safety net: it loads the
  places if they are missing (e.g. a flush with `available_apps`, which skips `post_migrate`).

The personas (tests/personas.py) are fixtures here: `personas`, and one per person.
"""

import uuid

import pytest
from django.db.models.signals import post_migrate


def places_load() -> None:
    # Imported late: the models can only be imported once Django is set up.
    from geo.services import places_load as load

    load()


def _reload_places_after_flush(sender, **kwargs) -> None:
    # post_migrate is sent once per app; the geo app's turn is the one to act on.
    if sender.label == "geo":
        places_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the place data loaded (see the module docstring)."""
    with django_db_blocker.unblock():
        places_load()
    post_migrate.connect(_reload_places_after_flush, dispatch_uid="tests-reload-places")
    yield
    post_migrate.disconnect(dispatch_uid="tests-reload-places")


@pytest.fixture
def places(db) -> None:
    """The place data is in the database (loaded again if a flush removed it)."""
    from geo.models import CountryBoundary, Postcode

    if not (Postcode.objects.exists() and CountryBoundary.objects.exists()):
        places_load()


@pytest.fixture(autouse=True)
def _rate_limit_counters_per_test(settings) -> None:
    """Each test counts its rate limits (core/rate_limits.py) under keys of its own, so no
    test is refused because of attempts made by an earlier test, or by another test run
    sharing the same Redis. The keys expire with their window."""
    settings.RATE_LIMIT_KEY_PREFIX = f"test:{uuid.uuid4().hex}:ratelimit:"


# --- The personas (tests/personas.py) --------------------------------------------------------
# A folder that needs them otherwise (committed for real server processes, created up front, or
# one of them with a different setting) overrides `personas`; the fixtures per person follow.


@pytest.fixture
def personas(db):
    """The people of the tests (tests/personas.py), each created on first use."""
    # Imported late, like the models it builds.
    from tests.personas import People

    return People()


@pytest.fixture
def requester(personas):
    """A helppie with an open request near Namur (`personas.help_request`)."""
    return personas.requester


@pytest.fixture
def other_requester(personas):
    return personas.other_requester


@pytest.fixture
def helper(personas):
    """A verified helper whose radius covers the requester's request."""
    return personas.helper


@pytest.fixture
def other_helper(personas):
    return personas.other_helper


@pytest.fixture
def unverified_helper(personas):
    return personas.unverified_helper


@pytest.fixture
def outsider(personas):
    """Signed in, with nothing to do with the requester's request."""
    return personas.outsider


@pytest.fixture
def coordinator(personas):
    return personas.coordinator


@pytest.fixture
def service_worker(personas):
    """A worker of the partner service A (`personas.partner_service`)."""
    return personas.service_worker


@pytest.fixture
def other_service_worker(personas):
    """A worker of another partner service, B (`personas.other_partner_service`)."""
    return personas.other_service_worker


@pytest.fixture(autouse=True)
def _messaging_database_threads_closed():
    """The WebSocket consumers keep their database connections open in threads of their own
    (messaging.consumers.DatabaseThreads); closed after each test, so that nothing holds the
    test database when it is flushed or dropped."""
    yield
    from messaging.consumers import in_database_thread

    in_database_thread.shutdown()
