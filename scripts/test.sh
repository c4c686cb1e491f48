#!/usr/bin/env bash
# make test: installs what the tests need, starts throwaway PostgreSQL and Redis on loopback, runs every test
# (browser tests in Chromium included) and stops them. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_packages msgfmt:gettext redis-server:redis-server /usr/lib/postgresql:postgresql /usr/bin/chromium:chromium \
  /usr/share/doc/libpango-1.0-0:libpango-1.0-0 /usr/share/doc/libpangoft2-1.0-0:libpangoft2-1.0-0 \
  fc-list:fontconfig /usr/share/fonts/truetype/dejavu:fonts-dejavu-core pdftotext:poppler-utils
python_env
compile_messages
trap 'stop_redis; stop_postgres' EXIT
start_postgres
start_redis
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/ejournal"
export REDIS_URL="redis://127.0.0.1:${REDISPORT}/0"
# Tasks run in the caller unless a test starts a real worker (tests/accounts/test_tasks.py does).
export CELERY_TASK_ALWAYS_EAGER=true
export FAST_PASSWORD_HASHER=true
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export DEBUG=false
export DATA_DIR="${PG_DIR}/appdata"
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
.venv/bin/pytest "$@"
