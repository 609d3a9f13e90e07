"""Settings come from the environment: safe defaults locally, loud failures on bad values,
and a production configuration that passes Django's deployment checklist with no warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "k8#Jq2!vR7zL0pW4sX9cN3bM6tY1hG5dF8aE2uI0oP7lK4jH9gT6rS3eD1wQ5zX8",
    "ALLOWED_HOSTS": "tandem.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://tandem.example.org",
    "DATABASE_URL": "postgis://tandem:secret@db.internal:5432/tandem",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def run_manage(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENVIRONMENT}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_ROOT,
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_configuration_passes_check_deploy_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION_ENVIRONMENT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_local_defaults_fail_the_deployment_checklist():
    # Proves the check above can fail: the developer defaults are not production-safe.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", environment={})
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr  # DEBUG on


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DEBUG", "perhaps", "DEBUG must be true or false"),
        ("DATABASE_URL", "mysql://db/tandem", "DATABASE_URL must be a URL with scheme"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL with scheme"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be an integer"),
        ("GEOCODER", "google", "GEOCODER must be one of"),
        (
            "CSRF_TRUSTED_ORIGINS",
            "tandem.example.org",
            "CSRF_TRUSTED_ORIGINS entries need a scheme",
        ),
    ],
)
def test_malformed_values_stop_the_start_up_with_a_clear_message(variable, value, complaint):
    result = run_manage("check", environment={variable: value})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    environment = {**PRODUCTION_ENVIRONMENT, "SECRET_KEY": ""}
    result = run_manage("check", environment=environment)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
