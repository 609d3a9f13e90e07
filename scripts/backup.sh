#!/usr/bin/env bash
# Backs up Tandem's database: scripts/backup.sh FILE
#
# Writes one pg_dump archive in PostgreSQL's custom format (compressed; restore it with
# scripts/restore.sh) of the database named by DATABASE_URL (the same variable the app reads;
# postgis://, postgres:// and postgresql:// are all accepted). Consistent while the app runs:
# pg_dump reads one snapshot. The archive is written next to FILE and renamed at the end, so a
# failed run never leaves a truncated FILE behind. docs/OPERATIONS.md, "Backup and restore".
set -euo pipefail

if [ $# -ne 1 ] || [ -z "${DATABASE_URL:-}" ]; then
  echo "usage: DATABASE_URL=postgis://user@host:port/name $0 FILE" >&2
  exit 2
fi
target="$1"

# pg_dump must be at least as new as the server: take PostgreSQL 15's, as scripts/services.sh does.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_dump)")}"
# libpq reads postgresql:// and postgres:// URLs; postgis:// is Django's name for the same thing.
url="${DATABASE_URL/#postgis:/postgresql:}"

partial="$target.partial"
trap 'rm -f "$partial"' EXIT
"$PG_BIN/pg_dump" --format=custom --dbname="$url" --file="$partial"
mv "$partial" "$target"
trap - EXIT
echo "backup: $(du -h "$target" | cut -f1) written to $target"
