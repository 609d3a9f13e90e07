"""Test settings: the real settings, with only what makes tests fast and deterministic changed."""

import os

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GEOCODER = ""  # tests that need an external geocoder mock it explicitly
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Lets several test runs share one PostgreSQL server (e.g. parallel work on one machine).
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_tandem")}  # noqa: F405

# The in-process tests keep a connection per test thread, as before the pool became the default
# (config/settings.py): pytest-django creates and drops the test database around them, and the
# tests that need the pool start real servers with the production settings (tests/faults,
# tests/messaging/servers.py). The warm-up itself is tested in tests/ranking/test_warmup.py.
DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
