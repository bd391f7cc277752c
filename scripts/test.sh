#!/usr/bin/env bash
# The whole test run, as `make test` and CI run it: services up, lint, checks, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# --- Services: PostgreSQL and Redis normally run already; start them when they do not. ------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "Starting PostgreSQL…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis…"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# --- The test environment: real PostgreSQL and a Redis database of its own. ----------------
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SECRET_KEY="test-only-secret-key-not-for-production-0123456789abcdef"
export DJANGO_DEBUG=false
export DJANGO_READ_ENV_FILE=false
export PORTAL_VAR_DIR="${PORTAL_VAR_DIR:-$PWD/var/test}"

# The database named in DATABASE_URL (pytest makes its own test_ copy beside it).
db_name="${DATABASE_URL##*/}"
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db_name'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$db_name\""

echo "== ruff"; .venv/bin/ruff check .
echo "== manage.py check"; $PY manage.py check
echo "== makemigrations --check"; $PY manage.py makemigrations --check --dry-run
echo "== check --deploy (production environment)"
DJANGO_ALLOWED_HOSTS=portal.example.com DJANGO_CSRF_TRUSTED_ORIGINS=https://portal.example.com \
DJANGO_SECURE_SSL_REDIRECT=true DJANGO_SECURE_HSTS_SECONDS=31536000 \
DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=true DJANGO_SECURE_HSTS_PRELOAD=true DJANGO_SECURE_COOKIES=true \
DJANGO_SECRET_KEY="$(head -c 48 /dev/urandom | base64)" \
  $PY manage.py check --deploy --fail-level WARNING
echo "== collectstatic"; $PY manage.py collectstatic --noinput -v 0
echo "== pytest"; $PY -m pytest "$@"
