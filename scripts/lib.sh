# Shared by run.sh, test.sh and bench.sh: system packages, the Python environment, throwaway PostgreSQL and Redis.
# shellcheck shell=bash

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "ejournal: need root to run: $*" >&2; return 1
  fi
}

APT_UPDATED=""
# ensure_packages CMD:PACKAGE ... installs each Debian PACKAGE whose command (or file) CMD is missing.
ensure_packages() {
  local missing=() item cmd pkg
  for item in "$@"; do
    cmd=${item%%:*}; pkg=${item#*:}
    if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ] && continue
    else command -v "$cmd" >/dev/null 2>&1 && continue
    fi
    missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "ejournal: installing system packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -q >/dev/null; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# python_env [uv sync options...]: .venv from uv.lock, with uv itself kept in .tools.
python_env() {
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null || { echo "ejournal: $py not found (Python 3.11+ is needed)" >&2; return 1; }
  if [ ! -x .tools/bin/uv ]; then
    rm -rf .tools
    if ! "$py" -m venv .tools >/dev/null 2>&1; then
      rm -rf .tools
      ensure_packages /usr/share/doc/python3-venv:python3-venv
      "$py" -m venv .tools
    fi
    .tools/bin/python -m pip install -q --disable-pip-version-check uv 2>&1 | grep -v "is ignored" || true
  fi
  .tools/bin/uv sync -q --frozen --python "$py" "$@"
}

compile_messages() {
  .venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=.tools --ignore=node_modules
}

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PG_DIR=""; REDIS_DIR=""
start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "ejournal: PostgreSQL server binaries not found" >&2; return 1; }
  PG_DIR=$(mktemp -d /tmp/ejournal-pg.XXXXXX)
  PGPORT=$(free_port)
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT \
    -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null
  PG_RUN=("${run[@]}"); PG_BIN=$bin
  export PGPORT
}

stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

start_redis() {
  REDIS_DIR=$(mktemp -d /tmp/ejournal-redis.XXXXXX)
  REDISPORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDISPORT" --daemonize yes --save '' --appendonly no \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDISPORT
}

stop_redis() {
  if [ -n "$REDIS_DIR" ]; then
    redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$REDIS_DIR"
  fi
}

PGB_DIR=""
# start_pgbouncer: Debian's PgBouncer on loopback in front of start_postgres's server, in transaction pool mode (as
# a region's deployment runs it, docs/scaling.md); exports PGBOUNCER_PORT. It refuses to run as root: as postgres.
start_pgbouncer() {
  PGB_DIR=$(mktemp -d /tmp/ejournal-pgbouncer.XXXXXX)
  PGBOUNCER_PORT=$(free_port)
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGB_DIR"; run=(runuser -u postgres --); fi
  echo '"postgres" ""' >"$PGB_DIR/userlist.txt"
  cat >"$PGB_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PGPORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGB_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
INI
  chmod a+r "$PGB_DIR"/*
  "${run[@]}" pgbouncer -q -d "$PGB_DIR/pgbouncer.ini"
  for _ in $(seq 50); do [ -s "$PGB_DIR/pgbouncer.pid" ] && break; sleep 0.1; done
  [ -s "$PGB_DIR/pgbouncer.pid" ] || { echo "ejournal: PgBouncer did not start:" >&2; cat "$PGB_DIR/pgbouncer.log" >&2; return 1; }
  export PGBOUNCER_PORT
}

stop_pgbouncer() {
  if [ -n "$PGB_DIR" ]; then
    [ -s "$PGB_DIR/pgbouncer.pid" ] && kill "$(cat "$PGB_DIR/pgbouncer.pid")" 2>/dev/null || true
    rm -rf "$PGB_DIR"
  fi
}
