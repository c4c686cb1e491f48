#!/usr/bin/env bash
# make bench: a throwaway PostgreSQL like `make test`, a seeded school of ${PUPILS:-1000} pupils, the scenarios'
# table. BENCH_JSON=path also writes the rows as JSON. Extra arguments go to `python -m bench` (--schools N, --only
# NAME ...), except --pgbouncer (or PGBOUNCER=1): the portal then reaches PostgreSQL through Debian's PgBouncer in
# transaction pool mode, which proves that it keeps no state on its connections (docs/scaling.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
args=()
for a in "$@"; do
  if [ "$a" = --pgbouncer ]; then PGBOUNCER=1; else args+=("$a"); fi
done
ensure_packages msgfmt:gettext /usr/lib/postgresql:postgresql redis-server:redis-server
if [ -n "${PGBOUNCER:-}" ]; then ensure_packages pgbouncer:pgbouncer; fi
python_env
compile_messages
trap 'stop_pgbouncer; stop_redis; stop_postgres' EXIT
start_postgres
start_redis
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ejournal_bench
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/ejournal_bench"
if [ -n "${PGBOUNCER:-}" ]; then
  start_pgbouncer
  export DATABASE_URL="postgres://postgres@127.0.0.1:${PGBOUNCER_PORT}/ejournal_bench"
  export DATABASE_POOL_MODE=transaction
fi
export ALLOWED_HOSTS="testserver,127.0.0.1,localhost"
export DEBUG=false
export DATA_DIR="${PG_DIR}/appdata"
# Redis as in production (the cache, Celery's broker); the scenarios run their tasks inline as the demo does, and
# only the weekly job starts a real worker on it (bench/scenarios_weekly.py).
export REDIS_URL="redis://127.0.0.1:${REDISPORT}/0"
export CELERY_TASK_ALWAYS_EAGER=true
.venv/bin/python -m bench --pupils "${PUPILS:-1000}" ${args[@]+"${args[@]}"}
