"""Keep the two coverage polygons out of the helper rows, so the rows the matching reads are small.

A helper row held two polygons of about 1 kB each (`coverage`, `coverage_metric`), so three rows
filled a heap page and a query around a city read thousands of pages. The matching queries read
neither polygon (they test the disc from location_metric and radius_km, ranking.scoring), so
both are stored out of line (TOAST, uncompressed: EXTERNAL), and `toast_tuple_target` makes
PostgreSQL move them out as soon as a row passes 512 bytes: rows of about 300 bytes, 25 a page.

Trap: ALTER COLUMN ... SET STORAGE also changes the storage of index columns that are that very
column, even when the index stores another type. The GiST index on `coverage` (geography) stores
`gidx` keys, which PostGIS reads assuming plain storage; once marked EXTERNAL, keys get short
headers and inserting a second row crashes the server (PostGIS 3.3, PostgreSQL 15). So that
index is rebuilt right after: a new index takes the storage of its key type (plain).
tests/matching/test_storage.py checks every gidx key column stays plain.
"""

from django.db import migrations

TABLE = "matching_helperprofile"


def narrow_rows(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 512)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN coverage SET STORAGE EXTERNAL")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN coverage_metric SET STORAGE EXTERNAL")
        rebuild_geography_indexes(cursor)


def widen_rows(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN coverage SET STORAGE MAIN")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN coverage_metric SET STORAGE MAIN")
        rebuild_geography_indexes(cursor)


def rebuild_geography_indexes(cursor) -> None:
    """Drop and create again (same name, same definition) the indexes whose key is a gidx."""
    cursor.execute(
        "SELECT DISTINCT index_class.relname, pg_get_indexdef(index_class.oid)"
        " FROM pg_index i JOIN pg_class index_class ON index_class.oid = i.indexrelid"
        " JOIN pg_attribute a ON a.attrelid = i.indexrelid"
        " WHERE i.indrelid = %s::regclass AND a.atttypid = 'gidx'::regtype",
        [TABLE],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(definition)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_helperprofile_metric_places"),
    ]

    operations = [migrations.RunPython(narrow_rows, widen_rows)]
