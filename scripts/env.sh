# Sourced by the Makefile: points the project at the local services unless the
# environment already names others.
: "${TANDEM_LOCAL_DIR:=$(pwd)/.local}"
: "${TANDEM_PG_PORT:=54329}"
: "${TANDEM_REDIS_PORT:=63799}"
export DATABASE_URL="${DATABASE_URL:-postgis://tandem@127.0.0.1:${TANDEM_PG_PORT}/tandem}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${TANDEM_REDIS_PORT}/0}"
# The test suite stops and starts this Redis to check degraded modes.
export TANDEM_LOCAL_DIR TANDEM_PG_PORT TANDEM_REDIS_PORT
