#!/usr/bin/env bash
# `make loadtest`: a bounded Locust run on loopback against gunicorn, in its own database.
#   1. database jpoa_load (on the server of LOADTEST_DATABASE_URL): migrate, demo, 50 officers
#      and a session for each simulated user (loadtest/setup_users.py);
#   2. gunicorn on 127.0.0.1:$LOADTEST_PORT (production settings, plain HTTP on loopback);
#   3. locust headless: 50 officers entering records + 5 co-chairs on the dashboard, 60 s;
#   4. prints requests/s, p95 and errors (loadtest/summary.py), then stops gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${LOADTEST_PORT:-8089}
DURATION=${LOADTEST_DURATION:-60s}
WORKERS=${LOADTEST_WORKERS:-4}
export DATABASE_URL=${LOADTEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jpoa_load}
OUT=${LOADTEST_OUT:-var/loadtest}
mkdir -p "$OUT"

# Production settings, except HTTPS (loopback, no proxy) and the hashed static files.
export DEBUG=false SECRET_KEY=${SECRET_KEY:-loadtest-only-not-a-secret-$(date +%s)} \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false \
  CSRF_COOKIE_SECURE=false STATIC_MANIFEST=false LOG_LEVEL=WARNING
unset CELERY_BROKER_URL  # roll-ups run in the web process, as on a one-machine install

"$BIN/python" - <<'PY'
import os, urllib.parse, psycopg2
url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(dbname="postgres", user=url.username, password=url.password,
                        host=url.hostname, port=url.port or 5432)
conn.autocommit = True
with conn.cursor() as cursor:
    name = url.path.lstrip("/")
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PY
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py load_demo >/dev/null
"$BIN/python" manage.py rollup >/dev/null
"$BIN/python" -m loadtest.setup_users "$OUT/sessions.json"

"$BIN/gunicorn" jpoa.wsgi:application --config gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if "$BIN/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; then break; fi
  sleep 1
done

LOADTEST_SESSIONS="$OUT/sessions.json" "$BIN/locust" -f loadtest/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" --users 55 --spawn-rate 55 --run-time "$DURATION" \
  --stop-timeout 10 --csv "$OUT/locust" --only-summary --loglevel WARNING || true
"$BIN/python" -m loadtest.summary "$OUT/locust_stats.csv"
