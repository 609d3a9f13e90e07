"""`python manage.py unverified_services`: the active entries never verified, or not for 12
months (directory.selectors.services_needing_verification), one per line, tab-separated:
key, last verified (or "never"), name."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.selectors import services_needing_verification


class Command(BaseCommand):
    help = "List the directory entries unverified for 12 months (or never verified)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--with-contacts",
            action="store_true",
            help="only entries that show contact details (the ones people act on)",
        )

    def handle(self, *args, **options) -> None:
        services = list(services_needing_verification(today=timezone.localdate()))
        if options["with_contacts"]:
            services = [service for service in services if service.has_contact_details]
        for service in services:
            verified = service.verified_at.isoformat() if service.verified_at else "never"
            self.stdout.write(f"{service.key}\t{verified}\t{service.name_in('fr')}")
        self.stdout.write(f"{len(services)} entries to verify.")
