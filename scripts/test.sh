#!/usr/bin/env bash
# The whole test run, as `make test` and CI run it: services up, lint, checks, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# --- Debian packages, then a PostgreSQL and a Redis of this run's own. ---------------------
./scripts/system-packages.sh test
PYTHON_BOOT=$PY source scripts/test-services.sh

# --- The test environment: the run's own PostgreSQL and Redis. ----------------
export DATABASE_URL="$TEST_DATABASE_URL"
export REDIS_URL="$TEST_REDIS_URL"
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
echo "== docs (mkdocs build --strict)"; .venv/bin/mkdocs build --strict --quiet -d "$PORTAL_VAR_DIR/site/manual"
echo "== collectstatic"; $PY manage.py collectstatic --noinput -v 0
echo "== pytest"; $PY -m pytest "$@"
