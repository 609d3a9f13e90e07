"""The service directory in the test database, like the place data (see tests/conftest.py).

`service_directory` is a fixture: loads the directory once per session, committed, and again
whenever a transactional test's flush has emptied it (post_migrate of the carers app, which
Django sends after the geo app's, when places are back). Import it into a test module or a
conftest to use it: `from tests.directory.fixtures import service_directory  # noqa: F401`.
"""

import pytest
from django.db.models.signals import post_migrate


def _load() -> None:
    from directory.services import service_directory_load

    service_directory_load()


def _reload_after_flush(sender, **kwargs) -> None:
    if sender.label == "carers":
        _load()


@pytest.fixture(scope="session")
def service_directory_session(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load()
    post_migrate.connect(_reload_after_flush, dispatch_uid="tests-reload-services")
    yield
    post_migrate.disconnect(dispatch_uid="tests-reload-services")


@pytest.fixture
def service_directory(service_directory_session, places):
    """The directory is in the database (loaded again if a flush removed it)."""
    from directory.models import Service

    if not Service.objects.filter(kind="cpas").exists():
        _load()
