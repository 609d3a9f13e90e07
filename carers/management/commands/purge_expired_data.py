"""Delete personal data kept past its retention period (docs/DATA_REGISTER.md).

Meant to run daily (cron / systemd timer). Idempotent: a second run deletes nothing more.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from carers.personal_data import expired_data_purge


class Command(BaseCommand):
    help = (
        "Delete closed referrals older than RETENTION_CLOSED_REFERRAL_DAYS and referral audit "
        "rows older than RETENTION_AUDIT_DAYS."
    )

    def handle(self, *args, **options) -> None:
        result = expired_data_purge(
            closed_referral_days=settings.RETENTION_CLOSED_REFERRAL_DAYS,
            audit_days=settings.RETENTION_AUDIT_DAYS,
        )
        self.stdout.write(
            f"Deleted {result['referrals']} closed referrals and {result['audit']} audit rows."
        )
