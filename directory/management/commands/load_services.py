"""`python manage.py load_services`: write the service directory (run after load_places)."""

from django.core.management.base import BaseCommand, CommandError

from directory.services import service_directory_load
from geo.models import Municipality


class Command(BaseCommand):
    help = (
        "Write the service directory: a CPAS/OCMW/ÖSHZ per current municipality and the "
        "regional pointers (docs/SERVICES.md). Idempotent; keeps imported contact details."
    )

    def handle(self, *args, **options) -> None:
        if not Municipality.objects.exists():
            raise CommandError("No municipalities: run `python manage.py load_places` first.")
        result = service_directory_load()
        self.stdout.write(
            f"Service directory: {result.loaded} entries ({result.created} new, "
            f"{result.deactivated} deactivated)."
        )
