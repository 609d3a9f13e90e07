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
