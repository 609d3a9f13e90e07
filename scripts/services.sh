#!/usr/bin/env bash
# Starts (or stops) a project-local PostgreSQL cluster with PostGIS and a Redis server,
# on loopback and non-default ports, with their data under .local/ (git-ignored).
# Does nothing for a service whose URL the environment already sets.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCAL_DIR="${TANDEM_LOCAL_DIR:-$(pwd)/.local}"
PG_PORT="${TANDEM_PG_PORT:-54329}"
REDIS_PORT="${TANDEM_REDIS_PORT:-63799}"
PG_BIN="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")"
PG_DATA="$LOCAL_DIR/pg/data"
PG_SOCKET="$LOCAL_DIR/pg/run"
REDIS_DIR="$LOCAL_DIR/redis"

# PostgreSQL refuses to run as root: run it as the 'postgres' system user then.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# As root the server runs as 'postgres', which may not be allowed into this folder (a clone in a
# private temporary directory, say). Then the cluster lives in postgres's own home and .local/pg
# is a link to it, so it is still found, and removed, from here.
prepare_postgres_folder() {
  mkdir -p "$LOCAL_DIR"
  if [ "$(id -u)" -ne 0 ] || [ -e "$LOCAL_DIR/pg" ]; then
    mkdir -p "$LOCAL_DIR/pg"
  else
    mkdir -p "$LOCAL_DIR/pg"
    chown postgres "$LOCAL_DIR/pg"
    if ! runuser -u postgres -- test -w "$LOCAL_DIR/pg"; then
      rmdir "$LOCAL_DIR/pg"
      local home
      home="$(getent passwd postgres | cut -d: -f6)/tandem/$(printf '%s' "$LOCAL_DIR" | sha256sum | cut -c1-12)"
      mkdir -p "$home" && chown -R postgres "$(dirname "$home")"
      ln -s "$home" "$LOCAL_DIR/pg"
      echo "postgresql: $LOCAL_DIR is closed to the postgres user; cluster kept in $home"
    fi
  fi
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$(readlink -f "$LOCAL_DIR/pg")"; fi
}

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "postgresql: using DATABASE_URL"; return; fi
  prepare_postgres_folder
  PG_DATA="$(readlink -f "$LOCAL_DIR/pg")/data"
  PG_SOCKET="$(readlink -f "$LOCAL_DIR/pg")/run"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    echo "postgresql: creating a local cluster in $PG_DATA"
    # trust on loopback only: this cluster listens on 127.0.0.1 and holds development data.
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U tandem --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_pg_owner mkdir -p "$PG_SOCKET"
  if as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "postgresql: running on 127.0.0.1:$PG_PORT"
  else
    echo "postgresql: starting on 127.0.0.1:$PG_PORT"
    # Memory and planner settings for a development machine with several GB of RAM and an SSD
    # (docs/MATCHING.md, "PostgreSQL settings"): the matching benchmark reads a 1,000,000-helper
    # table far larger than the stock 128 MB of shared buffers. TANDEM_PG_TUNING overrides them.
    local tuning="${TANDEM_PG_TUNING:--c shared_buffers=512MB -c effective_cache_size=4GB -c work_mem=16MB -c maintenance_work_mem=256MB -c random_page_cost=1.1}"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/../server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_SOCKET -c fsync=off -c max_connections=200 $tuning" start >/dev/null
  fi
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U tandem -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='tandem'" | grep -q 1; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U tandem tandem
  fi
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U tandem -d tandem -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then echo "redis: using REDIS_URL"; return; fi
  mkdir -p "$REDIS_DIR"
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    echo "redis: running on 127.0.0.1:$REDIS_PORT"
    return
  fi
  echo "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$REDIS_DIR" \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "redis: did not start, see $REDIS_DIR/redis.log" >&2
  exit 1
}

stop_all() {
  if [ -e "$LOCAL_DIR/pg" ]; then PG_DATA="$(readlink -f "$LOCAL_DIR/pg")/data"; fi
  if [ -f "$PG_DATA/PG_VERSION" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && echo "postgresql: stopped"
  fi
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    echo "redis: stopped"
  fi
}

case "${1:-start}" in
  start) start_postgres; start_redis ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
