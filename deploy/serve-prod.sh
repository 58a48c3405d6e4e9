#!/usr/bin/env bash
# Production serving, as `make serve-prod` runs it: gunicorn for Django, and nginx in front
# (when installed) serving static files and cached pages without reaching Python.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
BIND=${BIND:-127.0.0.1:8000}
UPSTREAM=${GUNICORN_BIND:-127.0.0.1:8001}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
RUN_DIR=$(realpath -m "${RUN_DIR:-${DATA_DIR:-data}/run}")
mkdir -p "$RUN_DIR"
export DEBUG=0 STATIC_MANIFEST=1
export STATIC_ROOT=$(realpath -m "${STATIC_ROOT:-staticfiles}")

"$BIN/python" manage.py collectstatic --noinput -v0
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py search_sync -v0

# Scheduled publishing and any pending index updates, every minute, with nobody present.
# Started once the environment is final (PAGE_CACHE_DIR above all: a publication must drop
# the pages nginx serves); its log goes where gunicorn's goes, standard error.
SCHEDULE_SECONDS=${SCHEDULE_SECONDS:-60}
start_scheduler() {
  (
    while sleep "$SCHEDULE_SECONDS"; do
      "$BIN/python" manage.py publish_scheduled >&2 || true
      "$BIN/python" manage.py search_sync -v0 >&2 || true
    done
  ) &
  scheduler_pid=$!
}

gunicorn_args=(kb.wsgi --workers "$WORKERS" --worker-class gthread --threads 4
  --max-requests 20000 --max-requests-jitter 2000 --error-logfile - --log-level warning)

if ! command -v nginx >/dev/null; then
  echo "nginx is not installed: gunicorn alone serves $BIND" >&2
  start_scheduler
  trap 'kill -TERM $scheduler_pid 2>/dev/null' EXIT
  "$BIN/gunicorn" "${gunicorn_args[@]}" --bind "$BIND"
  exit
fi

export PAGE_CACHE_DIR=${PAGE_CACHE_DIR:-$RUN_DIR/pages}
mkdir -p "$PAGE_CACHE_DIR"
chmod 755 "$RUN_DIR" "$PAGE_CACHE_DIR"
"$BIN/python" manage.py nginx_config --listen "$BIND" --upstream "$UPSTREAM" \
  --run-dir "$RUN_DIR" > "$RUN_DIR/nginx.conf"
# nginx resolves the client's address (over TRUSTED_PROXIES, your TLS proxy) and passes it
# in X-Forwarded-For: Django believes that header from nginx's own address only.
export TRUSTED_PROXIES="${TRUSTED_PROXIES:+$TRUSTED_PROXIES,}${UPSTREAM%:*}"
start_scheduler
"$BIN/gunicorn" "${gunicorn_args[@]}" --bind "$UPSTREAM" &
gunicorn_pid=$!
# Several machines share Redis: this machine's page files follow changes made on the others.
follower_pid=
if [ -n "${REDIS_URL:-}" ]; then
  "$BIN/python" manage.py follow_content_version &
  follower_pid=$!
fi
nginx -c "$RUN_DIR/nginx.conf" -p "$RUN_DIR" -g "daemon off;" &
nginx_pid=$!
trap 'kill -TERM $gunicorn_pid $nginx_pid $scheduler_pid $follower_pid 2>/dev/null; wait' INT TERM EXIT
wait -n $gunicorn_pid $nginx_pid
