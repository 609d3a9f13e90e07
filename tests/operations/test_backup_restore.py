"""Backup and restore (docs/OPERATIONS.md, "Backup and restore"): a real pg_dump / pg_restore
round trip through scripts/backup.sh and scripts/restore.sh, the very commands the document
gives, so the two cannot drift apart.

The data is committed (transactional test) so that pg_dump, another connection, sees it; the
archive is restored into a new database on the same server, compared table by table with the
original, and the app itself is started on it. The restored database is dropped afterwards.
"""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from carers.models import AuditAction
from carers.services.referrals import referral_audit_record
from matching.models import HelperProfile
from tests.accounts.factories import CoordinatorFactory
from tests.carers.factories import ReferralFactory
from tests.geo.factories import point_at
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.messaging.servers import database_url_of_this_run
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRIPT_TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.django_db(transaction=True)


def run_script(name: str, *arguments: str, database_url: str) -> subprocess.CompletedProcess:
    """Runs scripts/<name> as an operator would, with DATABASE_URL naming the database."""
    return subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / name), *arguments],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )


def run_manage(*arguments: str, database_url: str) -> subprocess.CompletedProcess:
    """Runs manage.py with the production settings module against `database_url`."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
        },
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_SECONDS,
    )


def libpq_url(database_url: str) -> str:
    return database_url.replace("postgis://", "postgresql://", 1)


def sibling_database_url(database_url: str, name: str) -> str:
    """The URL of another database on the same server, with the same role."""
    return f"{database_url.rsplit('/', 1)[0]}/{name}"


def drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_names(cursor: psycopg.Cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [name for (name,) in cursor.fetchall()]


def row_counts(cursor: psycopg.Cursor) -> dict[str, int]:
    counts = {}
    for name in table_names(cursor):
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def sequence_positions(cursor: psycopg.Cursor) -> dict[str, int | None]:
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    return dict(cursor.fetchall())


def row(cursor: psycopg.Cursor, table: str, pk: int) -> tuple:
    cursor.execute(f'SELECT * FROM "{table}" WHERE id = %s', [pk])
    found = cursor.fetchone()
    assert found is not None, f"{table} {pk} missing"
    return found


def sample_data() -> dict:
    """A small but complete picture of Tandem: people, a helper with a place, a request and an
    offer, a conversation with messages, a referral with its audit trail."""
    coordinator = CoordinatorFactory()
    helper = VerifiedHelperFactory(verified_by=coordinator)
    help_request = HelpRequestFactory(
        location=point_at(helper.location, km=1.2, bearing=40), postcode="5000"
    )
    OfferFactory(request=help_request, helper=helper.user)
    conversation = ConversationFactory(participants=[help_request.requester, helper.user])
    MessageFactory(conversation=conversation, sender=help_request.requester, body="Bonjour !")
    message = MessageFactory(
        conversation=conversation, sender=helper.user, body="Ja, dinsdag kan ik. Ça marche 👍"
    )
    referral = ReferralFactory(person=help_request.requester, with_consent=True)
    referral_audit_record(referrals=[referral], actor=coordinator, action=AuditAction.READ)
    return {
        "accounts_user": help_request.requester.pk,
        "matching_helperprofile": helper.pk,
        "requests_app_helprequest": help_request.pk,
        "messaging_message": message.pk,
        "carers_referral": referral.pk,
        "carers_referralaudit": referral.audit.get().pk,
    }


def test_a_backup_restores_into_a_new_database_equal_to_the_original(tmp_path, places):
    records = sample_data()
    source_url = database_url_of_this_run()
    restored_name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    restored_url = sibling_database_url(source_url, restored_name)
    archive = tmp_path / "tandem.dump"

    backup = run_script("backup.sh", str(archive), database_url=source_url)
    assert backup.returncode == 0, backup.stderr
    assert archive.stat().st_size > 0
    try:
        restore = run_script("restore.sh", str(archive), database_url=restored_url)
        assert restore.returncode == 0, restore.stderr

        with (
            psycopg.connect(libpq_url(source_url)) as original,
            psycopg.connect(libpq_url(restored_url)) as restored,
        ):
            source, copy = original.cursor(), restored.cursor()

            # Every table of every app is there, with as many rows as in the original.
            original_counts = row_counts(source)
            assert row_counts(copy) == original_counts
            model_tables = {
                model._meta.db_table for model in apps.get_models() if model._meta.managed
            }
            assert model_tables <= set(original_counts)
            for table in records:
                assert original_counts[table] >= 1

            # Records come back byte for byte, places and non-ASCII text included.
            for table, pk in records.items():
                assert row(copy, table, pk) == row(source, table, pk), table

            # The helper's home (geography) is the same point, in the same reference system.
            source.execute(
                "SELECT ST_AsEWKB(location::geometry) FROM matching_helperprofile WHERE id = %s",
                [records["matching_helperprofile"]],
            )
            (original_location,) = source.fetchone()
            copy.execute(
                "SELECT ST_Equals(location::geometry, ST_GeomFromEWKB(%s)), "
                "ST_SRID(location::geometry) FROM matching_helperprofile WHERE id = %s",
                [original_location, records["matching_helperprofile"]],
            )
            assert copy.fetchone() == (True, 4326)

            # New rows will not collide with restored ones.
            assert sequence_positions(copy) == sequence_positions(source)

        # The app runs on the restored database: no migration missing, the ORM reads places.
        migrations = run_manage("migrate", "--check", database_url=restored_url)
        assert migrations.returncode == 0, migrations.stdout + migrations.stderr
        helper_pk = records["matching_helperprofile"]
        read_back = run_manage(
            "shell",
            "--no-imports",
            "-c",
            "from matching.models import HelperProfile; "
            f"print(HelperProfile.objects.get(pk={helper_pk}).location.ewkt)",
            database_url=restored_url,
        )
        assert read_back.returncode == 0, read_back.stderr
        assert read_back.stdout.strip() == HelperProfile.objects.get(pk=helper_pk).location.ewkt
    finally:
        drop_database(restored_name)


def test_a_restore_never_overwrites_a_database_that_holds_data(tmp_path, places):
    user_pk = sample_data()["accounts_user"]
    source_url = database_url_of_this_run()
    archive = tmp_path / "tandem.dump"
    assert run_script("backup.sh", str(archive), database_url=source_url).returncode == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET date_joined = %s WHERE id = %s",
            [timezone.now() - timedelta(days=1), user_pk],
        )

    restore = run_script("restore.sh", str(archive), database_url=source_url)

    assert restore.returncode == 1
    assert "already holds" in restore.stderr
    with connection.cursor() as cursor:
        cursor.execute("SELECT date_joined FROM accounts_user WHERE id = %s", [user_pk])
        (date_joined,) = cursor.fetchone()
    assert date_joined < timezone.now() - timedelta(hours=23)  # the change after the backup stays
