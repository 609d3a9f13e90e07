#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: scripts/restore.sh FILE
#
# Into the database named by DATABASE_URL, which must not exist yet or hold no tables of its
# own (a restore never overwrites data): it is created if missing (from template0, UTF8), the
# archive is restored in one transaction (all or nothing), owned by the role in DATABASE_URL,
# and the planner statistics are rebuilt. The role needs CREATEDB to create the database and
# must be allowed to create the PostGIS extension (a superuser on PostgreSQL 15, as in the test).
# Then point the app at it and run `manage.py migrate --check`. docs/OPERATIONS.md.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "${DATABASE_URL:-}" ]; then
  echo "usage: DATABASE_URL=postgis://user@host:port/new_name $0 FILE" >&2
  exit 2
fi
archive="$1"
[ -r "$archive" ] || { echo "restore: cannot read $archive" >&2; exit 2; }

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_restore)")}"
url="${DATABASE_URL/#postgis:/postgresql:}"
# The same server and options, but the maintenance database "postgres", to create the target.
without_query="${url%%\?*}"
query="${url:${#without_query}}"
database="${without_query##*/}"
maintenance_url="${without_query%/*}/postgres$query"

psql_quiet() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -tA "$@"; }

exists=$(psql_quiet --dbname="$maintenance_url" -v name="$database" \
  <<<"SELECT 1 FROM pg_database WHERE datname = :'name'")
if [ "$exists" = "1" ]; then
  # Tables that an extension made (PostGIS's spatial_ref_sys) do not count as data.
  tables=$(psql_quiet --dbname="$url" <<<"
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND c.relkind IN ('r', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')")
  if [ "$tables" != "0" ]; then
    echo "restore: database $database already holds $tables tables; restore into a new one" >&2
    exit 1
  fi
else
  psql_quiet --dbname="$maintenance_url" -v name="$database" \
    <<<'CREATE DATABASE :"name" TEMPLATE template0 ENCODING UTF8'
fi

"$PG_BIN/pg_restore" --dbname="$url" --no-owner --no-privileges --single-transaction \
  --exit-on-error "$archive"
# pg_restore does not carry the planner's statistics over.
psql_quiet --dbname="$url" <<<"ANALYZE"
echo "restore: $archive restored into $database"
