"""export_services and import_services, the command-line side of the directory CSV."""

import csv

import pytest
from django.core.management import CommandError, call_command

from directory.models import Service

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trips(service_directory, tmp_path):
    path = tmp_path / "services.csv"

    call_command("export_services", "--output", str(path))
    call_command("import_services", str(path))

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == Service.objects.count()


def test_hsds_export_writes_the_tables_to_a_folder(service_directory, tmp_path):
    call_command("export_services", "--format", "hsds", "--output", str(tmp_path / "hsds"))

    assert (tmp_path / "hsds" / "organizations.csv").is_file()
    assert (tmp_path / "hsds" / "service_areas.csv").is_file()
    assert (tmp_path / "hsds" / "datapackage.json").is_file()


def test_a_bad_file_is_refused_with_its_row_numbers(service_directory, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("key,kind,name_fr,source\nx,nonsense,X,here\n", encoding="utf-8")

    with pytest.raises(CommandError, match="row 2: kind"):
        call_command("import_services", str(path))
