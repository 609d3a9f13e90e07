#!/usr/bin/env bash
# The last step of `make run`: the background job worker (core/jobs.py) and the web server,
# together. Stopping one (Ctrl+C, a crash) stops the other, so no orphan worker is left behind.
# Arguments are passed on to Uvicorn (bench/load/run.sh: `--workers N`, `--no-access-log`).
set -uo pipefail
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

# The worker keeps one connection of its own (core/management/commands/jobs_worker.py), not a
# pool of warm ones: its jobs are not the hot queries.
DB_POOL_MAX_SIZE=0 .venv/bin/python manage.py jobs_worker --no-reload --interval 0.5 &
worker=$!
.venv/bin/uvicorn config.asgi:application --host "$HOST" --port "$PORT" \
    --ws-per-message-deflate false --log-config config/uvicorn_logging.json "$@" &
server=$!

stop() { kill "$worker" "$server" 2>/dev/null; wait "$worker" "$server" 2>/dev/null; }
trap stop INT TERM
# Whichever ends first ends both.
wait -n "$worker" "$server"
status=$?
stop
exit "$status"
