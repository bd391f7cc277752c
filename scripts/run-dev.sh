#!/usr/bin/env bash
# The embedded default: SQLite, and a real Celery worker with beat on kombu's file-system
# broker (no Redis). Ctrl-C stops the web server and the worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
PY=.venv/bin/python
mkdir -p var
$PY manage.py migrate --noinput
$PY manage.py seed_demo
# The manual, served by the portal at /manual/ (linked from the navigation bar).
.venv/bin/mkdocs build --quiet -d var/site/manual || echo "The manual did not build; the portal runs without it."
echo "Starting the portal at http://127.0.0.1:8000 (manual at /manual/) with a Celery worker and beat. Ctrl-C stops all."
.venv/bin/celery -A partnership worker --beat --pool=solo --loglevel=INFO \
  --schedule=var/celerybeat-schedule &
worker=$!
$PY manage.py runserver 127.0.0.1:8000 &
web=$!
stop() {
  trap - INT TERM EXIT
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
wait -n "$web" "$worker" || true
