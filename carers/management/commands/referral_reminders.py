"""Reminds partner services of sent referrals they have not answered, and alerts the
coordinators later (carers.services.loop.referral_reminders_send; docs/REFERRALS.md).

Idempotent: each reminder and each alert goes once per sending. The job worker runs the same
every hour (carers/jobs.py, JOBS_PERIODIC); this command is for running it by hand.
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
