"""The embedded default under several people at once (bench/load.py --mode embedded): on SQLite requests wait
for each other in the process, in turn up to SQLITE_BUSY_TIMEOUT, instead of on SQLite's busy handler, which gave up after
SQLITE_BUSY_TIMEOUT and answered 500 "database is locked" with 20 simulated people; and the filesystem
broker is polled often enough that its worker runs more than one job a second."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import SqliteOneRequestAtATimeMiddleware

ROOT = Path(__file__).resolve().parent.parent


def test_requests_run_one_at_a_time_and_none_is_refused():
    running, most, answered = [0], [0], []
    guard = threading.Lock()

    def view(request):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with guard:
            running[0] -= 1
        return HttpResponse("ok")

    middleware = SqliteOneRequestAtATimeMiddleware(view)
    request = RequestFactory().get("/")
    threads = [threading.Thread(target=lambda: answered.append(middleware(request).status_code)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answered == [200] * 8
    assert most[0] == 1


def _settings(database_url: str, expression: str) -> str:
    """A settings value as the laptop defaults give it (no broker, cache or database configured)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_SETTINGS", "CELERY_", "REDIS_"))}
    environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-c", f"import pemwecco.settings as s; print({expression})"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def _middleware(database_url: str) -> list[str]:
    return _settings(database_url, "'\\n'.join(s.MIDDLEWARE)").split()


def test_installed_on_sqlite_only(tmp_path):
    name = "core.middleware.SqliteOneRequestAtATimeMiddleware"
    assert name in _middleware(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert name not in _middleware("postgres://postgres@127.0.0.1:5432/never_connected")


def test_the_embedded_broker_is_polled_ten_times_a_second(tmp_path):
    # kombu's default (1 s) let the embedded worker take at most one job a second: a report waited
    # minutes behind the e-mails of ten people's minute.
    value = _settings(f"sqlite:///{tmp_path / 'db.sqlite3'}", "s.CELERY_BROKER_TRANSPORT_OPTIONS['polling_interval']")
    assert float(value) <= 0.1


def test_a_request_that_waited_past_the_bound_reads_try_again_and_nothing_runs():
    ran = []
    middleware = SqliteOneRequestAtATimeMiddleware(lambda request: ran.append(request) or HttpResponse("ok"))
    middleware.wait_seconds = 0.05
    with SqliteOneRequestAtATimeMiddleware.lock:  # another request in progress, for longer than the bound
        response = middleware(RequestFactory().post("/", {"a": "1"}))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "rien n'a été enregistré" in response.content.decode()
    assert ran == []

    english = RequestFactory().get("/")
    english.COOKIES["django_language"] = "en"
    with SqliteOneRequestAtATimeMiddleware.lock:
        response = middleware(english)
    assert response.status_code == 503 and "nothing was saved" in response.content.decode()


def test_the_body_of_a_post_is_read_before_the_wait():
    read_before_lock = []

    def view(request):
        return HttpResponse("ok")

    middleware = SqliteOneRequestAtATimeMiddleware(view)
    request = RequestFactory().post("/", {"name": "value"})
    middleware.wait_seconds = 0.05
    with SqliteOneRequestAtATimeMiddleware.lock:
        middleware(request)
        read_before_lock.append(hasattr(request, "_post"))

    assert read_before_lock == [True]
