"""`manage.py seed_demo [--helpers N] [--requests M] [--seed S] [--print-logins]` (CONTRACT.md).

Replaces the demo data (accounts at @demo.tandem.invalid) with the data the seed describes.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from requests_app.demo.content import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    HELPPER_EMAIL,
    HELPPIE_EMAIL,
)
from requests_app.demo.seed import DemoDataError, demo_data_replace


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Replace the demo data: helpers with profiles, open requests and three demo logins "
        "(helppie, helpper, coordinator), the same for the same --seed. Needs load_places."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--helpers", type=_positive, default=60, help="helpers in all, at least 1; default 60"
        )
        parser.add_argument(
            "--requests",
            type=_positive,
            default=12,
            help="open requests in all, at least 1; default 12",
        )
        parser.add_argument("--seed", type=int, default=2026, help="default 2026")
        parser.add_argument(
            "--print-logins", action="store_true", help="print the demo emails and password"
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even with DEBUG off (the demo accounts share a published password)",
        )

    def handle(self, *args, helpers, requests, seed, print_logins, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            # A warning, not an error: `make run` with production settings must still serve.
            self.stderr.write(
                "DEBUG is off: this looks like production, and the demo accounts share a "
                "published password, so no demo data was created. Add --allow-production "
                "if you really want it."
            )
            return
        started = time.monotonic()
        try:
            summary = demo_data_replace(helper_count=helpers, request_count=requests, seed=seed)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data (seed {seed}): {summary.users} accounts, {summary.helpers} helpers, "
            f"{summary.requests} open requests, in {time.monotonic() - started:.1f} s."
        )
        if print_logins:
            self.stdout.write("Demo logins (demo only), all with the password " + DEMO_PASSWORD)
            self.stdout.write(f"  helppie      {HELPPIE_EMAIL}  (has an open request)")
            self.stdout.write(f"  helpper      {HELPPER_EMAIL}  (verified helper nearby)")
            self.stdout.write(f"  coordinator  {COORDINATOR_EMAIL}")
