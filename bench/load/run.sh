#!/usr/bin/env bash
# Mixed load on Tandem at several user counts, to find where this machine saturates (issue 6,
# item 6; bench/load/README.md). Not a test, not in CI; loopback only; each step is bounded.
#
#   bench/load/run.sh                                   # defaults below
#   BENCH_USERS="50 150" BENCH_STEP_SECONDS=20 bench/load/run.sh    # a short check
#   bench/load/run.sh --serve    # steps 1 and 2 only: the server stays up until Ctrl-C (for
#                                # bench/load/cost_per_request.py or a profiler)
#
# 1. prepares its own database ($BENCH_DATABASE, default tandem_bench_load: created if missing,
#    migrated, places, services, demo data with $BENCH_HELPERS helpers and $BENCH_REQUESTS
#    requests, the same every run) and the API tokens of the demo people;
# 2. starts Uvicorn with $BENCH_WORKERS worker processes on a free port, production settings
#    (DEBUG=false), a pool of $BENCH_DB_POOL_MAX_SIZE database connections per worker (default
#    8; 0 = none), rate limits raised out of the way (all the load comes from one address);
# 3. times the floor (a static file and /healthz alone), then the mixed scenario at each of
#    $BENCH_USERS users (each aims at one request per second), $BENCH_STEP_SECONDS each;
# 4. prints req/s, p50/p95/p99, failures, server errors logged, CPU used (bench/load/summarize.py).
# Results (locust CSVs, server log, summary.md) go to bench/results/load/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh

USERS="${BENCH_USERS:-50 100 150 200 300}"
STEP_SECONDS="${BENCH_STEP_SECONDS:-60}"
FLOOR_USERS="${BENCH_FLOOR_USERS:-150}"
FLOOR_SECONDS="${BENCH_FLOOR_SECONDS:-20}"
WARM_UP_USERS="${BENCH_WARM_UP_USERS:-50}"
WARM_UP_SECONDS="${BENCH_WARM_UP_SECONDS:-15}"
WORKERS="${BENCH_WORKERS:-1}"
ACCESS_LOG="${BENCH_ACCESS_LOG:-true}"
WS_CONVERSATIONS="${BENCH_WS_CONVERSATIONS:-100}"
WS_INTERVAL="${BENCH_WS_INTERVAL:-10}"
HELPERS="${BENCH_HELPERS:-400}"
REQUESTS="${BENCH_REQUESTS:-400}"
DATABASE="${BENCH_DATABASE:-tandem_bench_load}"
REDIS_DATABASE="${BENCH_REDIS_DATABASE:-12}"
RESULTS="${BENCH_RESULTS:-bench/results/load}"

case "$DATABASE" in
  tandem | test_* | postgres | template*) echo "bench: refusing to use the database $DATABASE" >&2; exit 2 ;;
esac

PG_BIN="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v psql)")"
server_url="${DATABASE_URL%%\?*}"
server_url="${server_url%/*}"
BENCH_DATABASE_URL="$server_url/$DATABASE"
BENCH_REDIS_URL="${REDIS_URL%/*}/$REDIS_DATABASE"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.csv "$RESULTS"/*.log "$RESULTS"/*.time "$RESULTS/steps.tsv" \
  "$RESULTS/summary.md" "$RESULTS/accounts.json"

if ! .venv/bin/locust --version >/dev/null 2>&1; then
  echo "bench: installing locust (the optional 'bench' dependencies of pyproject.toml)"
  .venv/bin/python -m pip install -q -e '.[bench]'
fi

# --- 1. database and accounts ----------------------------------------------------------------
maintenance_url="${server_url/#postgis:/postgresql:}/postgres"
if [ "$("$PG_BIN/psql" -X -tA --dbname="$maintenance_url" -v name="$DATABASE" \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'name'")" != "1" ]; then
  echo "bench: creating the database $DATABASE"
  "$PG_BIN/psql" -X -q --dbname="$maintenance_url" -v name="$DATABASE" <<<'CREATE DATABASE :"name"'
fi
setup() { DATABASE_URL="$BENCH_DATABASE_URL" DEBUG=true .venv/bin/python manage.py "$@"; }
setup migrate --no-input -v 0
setup load_places
setup load_services
setup seed_demo --helpers "$HELPERS" --requests "$REQUESTS" --seed 2026
export BENCH_ACCOUNTS="$RESULTS/accounts.json"  # read by the locustfile
DATABASE_URL="$BENCH_DATABASE_URL" DEBUG=true .venv/bin/python bench/load/accounts.py "$BENCH_ACCOUNTS"

# --- 2. server -------------------------------------------------------------------------------
export DATABASE_URL="$BENCH_DATABASE_URL" REDIS_URL="$BENCH_REDIS_URL"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECRET_KEY="bench-$(head -c 24 /dev/urandom | base64)"
# Plain HTTP on loopback: no HTTPS redirect, no HSTS (a TLS proxy would do that in production).
export SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
# Every simulated person shares 127.0.0.1: the per-address and per-person limits of
# core/rate_limits.py would refuse them within seconds. Counted under a prefix of their own.
export RATE_LIMIT_REGISTRATIONS=1000000 RATE_LIMIT_TOKEN_LOGINS=1000000 \
  RATE_LIMIT_HELP_REQUESTS=1000000 RATE_LIMIT_OFFERS=1000000 RATE_LIMIT_KEY_PREFIX=bench:ratelimit:
# Emails (a new request notifies up to 50 nearby helpers, requests_app/notifications.py) are
# built but not sent: there is no mail server here. In production their SMTP time adds to
# the job worker's work (core/jobs.py): relay through a local MTA.
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
# The demo coordinator signs in with an API token and has no second factor enrolled; production
# settings require one for coordinators (401 mfa_required, tests/accounts cover it).
export COORDINATOR_MFA_REQUIRED=false
# The demo people's e-mail addresses are not confirmed; production settings refuse offers from
# such helpers (403 email_not_verified, tests/accounts cover it).
export EMAIL_VERIFICATION_REQUIRED=false
# Database connections as `make run` has them (config/settings.py's defaults) unless
# BENCH_DB_POOL_MAX_SIZE names a pool size per server process (0 = a new connection per request).
if [ -n "${BENCH_DB_POOL_MAX_SIZE:-}" ]; then export DB_POOL_MAX_SIZE="$BENCH_DB_POOL_MAX_SIZE"; fi
export LOG_LEVEL=warning
# Compressing every static file again takes minutes on a busy machine: BENCH_COLLECTSTATIC=false
# reuses the files of an earlier run (when no static file changed since).
if [ "${BENCH_COLLECTSTATIC:-true}" != "false" ]; then .venv/bin/python manage.py collectstatic --no-input -v 0; fi

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host="http://127.0.0.1:$port"
server_log="$RESULTS/server.log"
# The server exactly as `make run` starts it: scripts/serve.sh (Uvicorn, one process unless
# BENCH_WORKERS says more, HTTP_THREADS threads, its access log, and the job worker beside it).
uvicorn_extra=()
if [ "$WORKERS" != "1" ]; then uvicorn_extra+=(--workers "$WORKERS"); fi
if [ "$ACCESS_LOG" = "false" ]; then uvicorn_extra+=(--no-access-log); fi
HOST=127.0.0.1 PORT="$port" scripts/serve.sh "${uvicorn_extra[@]}" >"$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -fs "$host/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "bench: the server exited, see $server_log" >&2; exit 1; }
  sleep 0.1
done
curl -fs "$host/healthz" >/dev/null || { echo "bench: /healthz does not answer 200" >&2; exit 1; }
echo "bench: serving $host with $WORKERS Uvicorn process(es) and the job worker" \
  "(DB_POOL_MAX_SIZE=${DB_POOL_MAX_SIZE:-settings default}, access log ${ACCESS_LOG}), database $DATABASE"
if [ "${1:-}" = "--serve" ]; then
  echo "bench: serving until Ctrl-C; e.g. .venv/bin/python bench/load/cost_per_request.py --host $host --accounts $BENCH_ACCOUNTS"
  wait "$server_pid"
  exit 0
fi

# The server's processes: scripts/serve.sh and everything under it (Uvicorn, its worker
# processes if any, the job worker).
server_pids() {
  local pending=("$server_pid") pid
  while [ "${#pending[@]}" -gt 0 ]; do
    pid=${pending[0]}; pending=("${pending[@]:1}")
    echo "$pid"
    pending+=($(pgrep -P "$pid" || true))
  done
}
# CPU seconds used so far by the server's processes.
server_cpu_seconds() {
  local ticks=0 pid
  for pid in $(server_pids); do
    # utime + stime, fields 14 and 15 of /proc/PID/stat (the name in field 2 has no spaces here)
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$ticks $(getconf CLK_TCK)" | awk '{printf "%.2f", $1 / $2}'
}
server_errors() { grep -c '"level": "ERROR"' "$server_log" || true; }

# --- 3. steps --------------------------------------------------------------------------------
step_number=0
step() {  # label users seconds user classes...
  local label=$1 users=$2 seconds=$3; shift 3
  step_number=$((step_number + 1))  # in the file names: a user count may come twice
  local prefix="$RESULTS/$(printf '%02d' "$step_number")_${label}_${users}" load cpu_before errors_before started locust_cpu
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu_before=$(server_cpu_seconds)
  errors_before=$(server_errors)
  started=$(date +%s.%N)
  local ws_json=- ws_pid=
  if [ "$label" = "mixed" ] && [ "$WS_CONVERSATIONS" != "0" ]; then
    # The chat traffic beside locust's HTTP users, for the same seconds (bench/load/ws_traffic.py).
    ws_json="$prefix.ws.json"
    .venv/bin/python bench/load/ws_traffic.py --host "$host" --accounts "$BENCH_ACCOUNTS" \
      --conversations "$WS_CONVERSATIONS" --interval "$WS_INTERVAL" --duration "$seconds" \
      --output "$ws_json" >"$prefix.ws.log" 2>&1 &
    ws_pid=$!
  fi
  echo "bench: $label, $users users${ws_pid:+ + $((2 * WS_CONVERSATIONS)) people chatting}, ${seconds} s (load average $load)"
  TIMEFORMAT='%U %S'
  { time .venv/bin/locust -f bench/load/locustfile.py --headless -u "$users" -r "$users" \
      -t "${seconds}s" --host "$host" --csv "$prefix" --only-summary --loglevel WARNING \
      --stop-timeout 5 "$@" >"$prefix.log" 2>&1 || true; } 2>"$prefix.time"
  local elapsed server_cpu
  elapsed=$(echo "$started $(date +%s.%N)" | awk '{print $2 - $1}')
  server_cpu=$(echo "$cpu_before $(server_cpu_seconds) $elapsed" | awk '{printf "%.0f", ($2 - $1) / $3 * 100}')
  locust_cpu=$(awk -v t="$elapsed" '{printf "%.0f", ($1 + $2) / t * 100}' "$prefix.time")
  # The chat clients wait (at most 10 s) for the last deliveries after the HTTP step.
  if [ -n "$ws_pid" ]; then wait "$ws_pid" || echo "bench: ws_traffic.py failed, see $prefix.ws.log" >&2; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$users" "$prefix" "$seconds" "$load" \
    "$(($(server_errors) - errors_before))" "$server_cpu" "$locust_cpu" "$ws_json" \
    "$(cut -d' ' -f1 /proc/loadavg)" >>"$RESULTS/steps.tsv"
  echo "bench:   done (load average $(cut -d' ' -f1 /proc/loadavg))"
  sleep 2
}

# A fresh worker spends its first seconds importing views, loading catalogues and opening pool
# connections (measured: requests in the first 3 s of a cold server waited up to 2.1 s). A
# server in service is warm, so one unscored step warms every worker first; its row in the
# summary is the cold-start figure.
step warm-up "$WARM_UP_USERS" "$WARM_UP_SECONDS" Requester Helper Coordinator AnonymousVisitor StaticFloor
step floor "$FLOOR_USERS" "$FLOOR_SECONDS" StaticFloor HealthzFloor
for users in $USERS; do
  step mixed "$users" "$STEP_SECONDS" Requester Helper Coordinator AnonymousVisitor
done

# --- 4. results ------------------------------------------------------------------------------
.venv/bin/python bench/load/summarize.py "$RESULTS"
if [ "$(server_errors)" != "0" ]; then
  echo; echo "Server errors by logger and message (full tracebacks in $server_log):"
  grep '"level": "ERROR"' "$server_log" | .venv/bin/python -c '
import collections, json, re, sys
entries = [json.loads(line) for line in sys.stdin]
counts = collections.Counter(
    (entry["logger"], re.sub(r"/[0-9]+/", "/[id]/", entry["message"])) for entry in entries
)
for (logger, message), count in counts.most_common():
    print(f"  {count} x {logger}: {message}")
print("First traceback:")
print(entries[0].get("exception", "(none)"))'
fi
