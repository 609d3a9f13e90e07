"""Reminds partner services of sent referrals they have not answered, and alerts the
coordinators later (carers.services.loop.referral_reminders_send; docs/REFERRALS.md).

Idempotent: each reminder and each alert goes once per sending. Until the periodic-job
mechanism (branch `reachjobs`) is on main, run it from a timer, e.g. a systemd timer or cron
line on working days: `30 8 * * 1-5  manage.py referral_reminders`.
"""

from django.core.management.base import BaseCommand

from carers.services.loop import referral_reminders_send


class Command(BaseCommand):
    help = "Remind services of unanswered referrals and alert coordinators (idempotent)."

    def handle(self, *args, **options) -> None:
        result = referral_reminders_send()
        self.stdout.write(
            f"{result['reminded']} service reminder(s), {result['escalated']} coordinator alert(s)"
        )
