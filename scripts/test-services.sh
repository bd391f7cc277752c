# Sourced by scripts/test.sh: a PostgreSQL and a Redis of the run's own, on free ports, in
# var/test/, stopped when the run ends. TEST_DATABASE_URL / TEST_REDIS_URL name existing
# servers instead. Two runs on one machine never share a database or a broker.
# The manual: docs/development/testing.md.

free_port() { "$PYTHON_BOOT" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PYTHON_BOOT="${PYTHON_BOOT:-python3}"
SERVICES_DIR="$PWD/var/test/services"
_stop_services() {
  if [ -n "${_pg_data:-}" ]; then
    (cd / && $_pg_as "$_pg_bin/pg_ctl" -D "$_pg_data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$_pg_data"
  fi
  if [ -n "${_redis_pidfile:-}" ] && [ -f "$_redis_pidfile" ]; then kill "$(cat "$_redis_pidfile")" 2>/dev/null || true; rm -f "$_redis_pidfile"; fi
  if [ -n "${_pg_tmp:-}" ]; then rm -rf "$_pg_tmp"; fi
}
trap _stop_services EXIT

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  _pg_bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || command -v initdb)")"
  mkdir -p "$SERVICES_DIR"
  _pg_data="$SERVICES_DIR/pg.$$"
  _pg_as=""
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres user, and lives in
    # /tmp when that user cannot reach var/test/ (a checkout under /root, say).
    _pg_as="runuser -u postgres --"  # run from / : the postgres user may not enter the checkout
    if ! runuser -u postgres -- test -w "$SERVICES_DIR" 2>/dev/null; then
      chown postgres "$SERVICES_DIR" 2>/dev/null || true
    fi
    if ! runuser -u postgres -- test -w "$SERVICES_DIR" 2>/dev/null; then
      _pg_tmp="$(mktemp -d /tmp/portal-test-pg.XXXXXX)"; chown postgres "$_pg_tmp"; _pg_data="$_pg_tmp/data"
    fi
  fi
  _pg_port="$(free_port)"
  (cd / && $_pg_as "$_pg_bin/initdb" -D "$_pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null)
  (cd / && $_pg_as "$_pg_bin/pg_ctl" -D "$_pg_data" -w -t 60 -l "$_pg_data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $_pg_port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null)
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$_pg_port/portal"
  echo "PostgreSQL of this run: 127.0.0.1:$_pg_port ($_pg_data)"
fi

if [ -z "${TEST_REDIS_URL:-}" ]; then
  mkdir -p "$SERVICES_DIR"
  _redis_port="$(free_port)"
  _redis_pidfile="$SERVICES_DIR/redis.$$.pid"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$_redis_port" --save "" --appendonly no \
    --dir "$SERVICES_DIR" --pidfile "$_redis_pidfile" --logfile "$SERVICES_DIR/redis.$$.log"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$_redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export TEST_REDIS_URL="redis://127.0.0.1:$_redis_port/0"
  echo "Redis of this run: 127.0.0.1:$_redis_port"
fi
