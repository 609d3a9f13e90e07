"""Fixtures of the directory tests: the service directory as `load_services` writes it."""

from tests.directory.fixtures import service_directory, service_directory_session  # noqa: F401
