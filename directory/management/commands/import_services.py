"""`python manage.py import_services PATH [--shape csv|hsds] [--dry-run] [--language fr]`:
create or update services, all or nothing (docs/SERVICES.md).

csv: Tandem's columns, PATH a .csv file. hsds: an Open Referral HSDS 3 tabular data package,
PATH a folder or a .zip; every service row needs a source and a licence. `--dry-run` reports
what would change (per row for HSDS) and writes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.csv_files import DirectoryCsvError, parse_services_csv
from directory.hsds import parse_hsds_package, read_hsds_archive, read_hsds_folder
from directory.services import services_import, services_import_hsds
from geo.models import Municipality


class Command(BaseCommand):
    help = "Import services from Tandem's CSV or an HSDS 3 data package (every row needs a source)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--shape", choices=["csv", "hsds"], default="csv")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--language",
            choices=["fr", "nl", "de", "en"],
            default="fr",
            help="hsds: the language of the package's names and descriptions",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        known = set(Municipality.objects.values_list("refnis", flat=True))
        try:
            if options["shape"] == "hsds":
                self._hsds(path, options, known)
                return
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
            result = services_import(
                rows=parse_services_csv(text, known_refnis=known), dry_run=options["dry_run"]
            )
        except DirectoryCsvError as error:
            raise CommandError("\n".join(error.errors)) from error
        prefix = "Dry run, nothing written: would be " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{result['created']} created, {result['updated']} updated.")

    def _hsds(self, path: Path, options: dict, known: set[str]) -> None:
        try:
            files = (
                read_hsds_folder(path) if path.is_dir() else read_hsds_archive(path.read_bytes())
            )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = services_import_hsds(
            records=parse_hsds_package(files, known_refnis=known),
            language=options["language"],
            dry_run=options["dry_run"],
        )
        for row in report.rows:
            changed = ", ".join(sorted(row.changes)) if row.action != "unchanged" else ""
            self.stdout.write(f"row {row.row} {row.key}: {row.action} {changed}".rstrip())
        counts = ", ".join(f"{count} {action}" for action, count in report.counts().items())
        prefix = "Dry run, nothing written: would be " if report.dry_run else ""
        self.stdout.write(f"{prefix}{counts}.")
