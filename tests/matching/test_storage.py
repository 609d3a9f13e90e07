"""How helper rows are stored (matching/migrations/0005_helperprofile_narrow_rows.py).

The matching queries read thousands of helper rows around a place: the rows must stay small (the
polygons out of line), and the storage change must not have left a geography index with keys
PostGIS cannot read (that crashes the server on the second insert).
"""

import pytest
from django.db import connection

from matching.models import HelperProfile
from tests.matching.factories import VerifiedHelperFactory

pytestmark = pytest.mark.django_db
TABLE = HelperProfile._meta.db_table


def test_geography_index_keys_keep_plain_storage():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index_class.relname, a.attstorage::text FROM pg_index i"
            " JOIN pg_class index_class ON index_class.oid = i.indexrelid"
            " JOIN pg_attribute a ON a.attrelid = i.indexrelid"
            " WHERE i.indrelid = %s::regclass AND a.atttypid = 'gidx'::regtype",
            [TABLE],
        )
        storages = dict(cursor.fetchall())

    assert len(storages) >= 2  # location and coverage
    assert set(storages.values()) == {"p"}, storages


def test_both_polygons_live_out_of_the_row():
    VerifiedHelperFactory.create_batch(3)  # a second insert is what used to crash

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        (toast_table,) = cursor.fetchone()
        cursor.execute(f"SELECT count(DISTINCT chunk_id) FROM {toast_table}")
        (values_out_of_line,) = cursor.fetchone()

    assert values_out_of_line == 2 * 3  # coverage and coverage_metric of each helper
