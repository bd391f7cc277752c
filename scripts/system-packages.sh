#!/usr/bin/env bash
# Installs the Debian packages a command needs when they are missing (as root), or names them.
#   scripts/system-packages.sh run    what `make run` needs: python3-venv
#   scripts/system-packages.sh test   what `make test` needs as well: postgresql, redis-server, chromium
# Each need is checked by what it provides (a venv that bootstraps pip, initdb, redis-server,
# /usr/bin/chromium), so an interpreter or server installed another way counts too.
# The manual: docs/development/testing.md.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
missing=()
why=()
need() { missing+=("$1"); why+=("$1: $2"); }

if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  need python3-venv "the project's virtual environment (.venv)"
fi
if [ "${1:-run}" = test ]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    need postgresql "the test run's own PostgreSQL server (initdb, pg_ctl) and psql"
  fi
  if ! command -v redis-server >/dev/null; then
    need redis-server "the test run's own Redis: Celery broker and shared cache"
  fi
  if [ ! -x /usr/bin/chromium ]; then
    need chromium "the browser tests (Playwright drives Debian's chromium; no browser download)"
  fi
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  printf '  %s\n' "${why[@]}" >&2
  echo "Install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
printf '  %s\n' "${why[@]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
