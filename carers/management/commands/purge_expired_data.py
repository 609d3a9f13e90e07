"""Delete personal data kept past its retention period (docs/DATA_REGISTER.md).

Meant to run daily (cron / systemd timer). Idempotent: a second run deletes nothing more.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from audit.services import access_records_purge
from carers.personal_data import expired_data_purge


class Command(BaseCommand):
    help = (
        "Delete closed referrals older than RETENTION_CLOSED_REFERRAL_DAYS, referral audit "
        "rows older than RETENTION_AUDIT_DAYS and access-log rows older than "
        "RETENTION_ACCESS_LOG_DAYS."
    )

    def handle(self, *args, **options) -> None:
        result = expired_data_purge(
            closed_referral_days=settings.RETENTION_CLOSED_REFERRAL_DAYS,
            audit_days=settings.RETENTION_AUDIT_DAYS,
        )
        # The only path that may delete access-log rows (the database refuses any other).
        access_log = access_records_purge(older_than_days=settings.RETENTION_ACCESS_LOG_DAYS)
        self.stdout.write(
            f"Deleted {result['referrals']} closed referrals, {result['audit']} audit rows "
            f"and {access_log} access-log rows."
        )
