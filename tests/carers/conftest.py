"""Fixtures of the carers tests: the service directory. The people are the personas of
tests/personas.py (fixtures in tests/conftest.py): requester, helper, coordinator."""

from tests.directory.fixtures import service_directory, service_directory_session  # noqa: F401
