#!/usr/bin/env bash
# Runs the web server and a Celery worker side by side until Ctrl-C, then stops both.
# Called by `make demo` once the database is migrated and the demo data loaded.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8000}"
# The project's own 404/500 pages rather than Django's technical ones (pemwecco/settings.py).
export FRIENDLY_ERROR_PAGES="${FRIENDLY_ERROR_PAGES:-true}"
PYTHON="${PYTHON:-.venv/bin/python}"
pids=()
worker=
web=

stop() {
    trap - INT TERM EXIT
    echo
    echo "Arrêt du serveur web et du worker Celery..."
    # The worker's main process stops its pool itself (warm shutdown); runserver's autoreloader runs
    # the server in a child, so its whole process group (setsid below) is stopped.
    kill -TERM "$worker" 2>/dev/null || true
    kill -TERM -- "-$web" 2>/dev/null || true
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# -B embeds the beat scheduler (periodic re-queueing of stalled report jobs): fine for one demo host.
setsid "$PYTHON" -m celery -A pemwecco worker -B -l info --concurrency 1 &
worker=$!
# Loopback only by default: the demo accounts' password is public. HOST=0.0.0.0 to test from a phone.
setsid "$PYTHON" manage.py runserver "${HOST:-127.0.0.1}:$PORT" &
web=$!
pids=("$worker" "$web")

"$PYTHON" scripts/demo_logins.py --wait "http://localhost:$PORT/"

# Returns when either process ends (or on Ctrl-C through the traps).
wait -n "${pids[@]}" || true
echo "Un des deux processus s'est arrêté." >&2
exit 1
