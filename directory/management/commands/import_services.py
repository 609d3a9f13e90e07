"""`python manage.py import_services FILE.csv`: create or update services by key, all or
nothing (Tandem's columns, docs/SERVICES.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.csv_files import DirectoryCsvError, parse_services_csv
from directory.services import services_import
from geo.models import Municipality


class Command(BaseCommand):
    help = "Import services from Tandem's CSV (every row needs a source)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")

    def handle(self, *args, **options) -> None:
        try:
            text = Path(options["path"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['path']}: {error}") from error
        known = set(Municipality.objects.values_list("refnis", flat=True))
        try:
            result = services_import(rows=parse_services_csv(text, known_refnis=known))
        except DirectoryCsvError as error:
            raise CommandError("\n".join(error.errors)) from error
        self.stdout.write(f"{result['created']} created, {result['updated']} updated.")
