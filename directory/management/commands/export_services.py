"""`python manage.py export_services [--format csv|hsds] [--output PATH]`.

csv: Tandem's columns, the format import_services reads (docs/SERVICES.md), to stdout or PATH.
hsds: the Open Referral HSDS 3 tabular data package (organizations.csv, services.csv, ...,
datapackage.json) into the folder PATH, or a zip file if PATH ends in .zip; checked against the
official HSDS 3 schemas first (a failure is a bug: nothing is written).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.csv_files import services_to_csv
from directory.hsds import hsds_csv_files, hsds_tables, hsds_validation_errors, hsds_zip
from directory.selectors import services_for_export


class Command(BaseCommand):
    help = "Export the service directory as CSV (Tandem's columns) or Open Referral HSDS tables."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["csv", "hsds"], default="csv")
        parser.add_argument("--output", default="", help="file (csv), folder or .zip (hsds)")
        parser.add_argument("--language", choices=["fr", "nl", "de", "en"], default="fr")

    def handle(self, *args, **options) -> None:
        services = services_for_export()
        output = options["output"]
        if options["format"] == "csv":
            text = services_to_csv(services)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not output:
            raise CommandError("--output is required for hsds (a folder or a .zip file)")
        tables = hsds_tables(services, language=options["language"])
        errors = hsds_validation_errors(tables)
        if errors:
            raise CommandError("\n".join(["Not valid HSDS 3:", *errors[:20]]))
        path = Path(output)
        if path.suffix == ".zip":
            path.write_bytes(hsds_zip(tables))
        else:
            path.mkdir(parents=True, exist_ok=True)
            for name, text in hsds_csv_files(tables).items():
                (path / name).write_text(text, encoding="utf-8")
        self.stdout.write(f"HSDS tables written to {path}")
