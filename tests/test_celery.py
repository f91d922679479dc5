"""Celery round trips: a task leaves this process through the broker, a worker runs it, the result comes back.

By default the broker is kombu's in-memory transport and the worker a thread of this process
(`celery.contrib.testing.worker.start_worker`). When CELERY_BROKER_URL is set (CI: Redis), the tests
marked `services` start a real `celery worker` process against that broker instead.
"""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from core.testing import celery_app_configured as _app_configured
from core.testing import redis_reachable as _redis_reachable
from core.testing import test_database_url as _database_url_of_the_test_database
from pemwecco.celery import app, ping
from tests import celery_tasks

BASE_DIR = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
IN_CI = os.environ.get("CI") == "true"
#: How long a test waits for the in-process worker's answer (it answers in milliseconds; a busy 2-core CI
#: machine running both xdist workers and Chromium can starve its thread for seconds).
WAIT = 30


# --- In-process worker, in-memory broker (default) ------------------------------------------------


@pytest.fixture(scope="module")
def memory_worker():
    """One worker thread for the module: starting and stopping one takes seconds. On a queue of its own:
    kombu's in-memory broker is one state for the whole process, and other modules of the same xdist process
    leave messages there (e-mails queued while SMTP hangs, tests/test_hung_services.py and test_faults.py)
    that this worker would otherwise run, one at a time with their retries, ahead of the tasks awaited here."""
    with _app_configured(
        broker_url="memory://",
        task_default_queue=f"pem-celery-tests-{uuid.uuid4().hex[:8]}",
        broker_transport_options={"polling_interval": 0.05},
        result_backend="cache+memory://",
        task_ignore_result=False,
        task_always_eager=False,
    ):
        # Without the jobs' watchdog (core.jobs.watchdog_start on worker_ready): its scans would hand this
        # worker jobs left by other test modules of the same process, ahead of the tasks these tests wait for.
        with mock.patch("core.jobs.watchdog_start"):
            with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=20) as worker:
                yield worker


def test_ping_goes_through_the_broker_and_back(memory_worker):
    # ignore_result=False: the settings keep no results (job status lives in our models).
    result = ping.apply_async(["bonjour"], ignore_result=False)

    assert result.get(timeout=WAIT) == "bonjour"
    assert result.successful()


@pytest.mark.django_db
def test_a_task_queued_on_commit_is_sent_only_after_the_commit(memory_worker, django_capture_on_commit_callbacks):
    sent = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            transaction.on_commit(lambda: sent.append(ping.apply_async(["après le commit"], ignore_result=False)))
            assert sent == []
        # Still inside the test's outer transaction: nothing has left for the broker yet.
        assert sent == []

    assert len(callbacks) == 1
    assert len(sent) == 1
    assert sent[0].get(timeout=WAIT) == "après le commit"


@pytest.mark.django_db
def test_a_task_queued_in_a_rolled_back_transaction_is_never_sent(memory_worker, django_capture_on_commit_callbacks):
    sent = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                transaction.on_commit(lambda: sent.append(ping.delay("jamais")))
                raise RuntimeError("rollback")

    assert callbacks == []
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_rows_committed_by_the_web_process(memory_worker):
    # transaction=True: the row is really committed, and the worker thread opens its own connection
    # (SQLite's shared in-memory test database, or PostgreSQL's test_<name>).
    user = UserFactory(email="lue-par-le-worker@example.org")

    assert celery_tasks.user_exists.apply_async([user.email], ignore_result=False).get(timeout=WAIT) is True
    assert celery_tasks.user_exists.apply_async(["absent@example.org"], ignore_result=False).get(timeout=WAIT) is False


# --- A real worker process against the configured broker (CI: Redis) -------------------------------


@pytest.fixture
def services_broker() -> str:
    if not BROKER_URL.startswith(("redis://", "rediss://")):
        if IN_CI:
            pytest.fail("CI=true but CELERY_BROKER_URL is not a Redis URL: .ci/run must export it")
        pytest.skip("CELERY_BROKER_URL is not a Redis URL (set it to run against a real worker)")
    if not _redis_reachable(BROKER_URL):
        message = f"Redis is unreachable at {BROKER_URL}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return BROKER_URL


@contextmanager
def _worker_process(*, broker_url: str, result_backend: str, queue: str, log_path: Path, database_url: str | None):
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": result_backend}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "celery", "-A", "pemwecco", "worker", "--pool=solo", "--concurrency=1"]
    command += ["-l", "info", "-Q", queue, "-n", f"{queue}@%h", "--include", "tests.celery_tasks"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("w") as log:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield worker
    finally:
        worker.terminate()  # SIGTERM: warm shutdown
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def _result_backend(broker_url: str) -> str:
    return os.environ.get("CELERY_RESULT_BACKEND") or broker_url


@pytest.mark.services
def test_a_real_worker_process_answers_ping_through_redis(services_broker, tmp_path):
    queue = f"pem-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    backend = _result_backend(services_broker)

    with _app_configured(broker_url=services_broker, result_backend=backend, task_ignore_result=False, task_always_eager=False):
        with _worker_process(
            broker_url=services_broker, result_backend=backend, queue=queue, log_path=log_path, database_url=None
        ) as worker:
            started = time.monotonic()
            result = ping.apply_async(args=["bonjour de Redis"], queue=queue, ignore_result=False)
            try:
                value = result.get(timeout=60)
            except Exception as error:  # noqa: BLE001 - show the worker's log with any failure
                pytest.fail(f"no answer from the worker ({error!r}); its log:\n{log_path.read_text()}")
            assert worker.poll() is None, log_path.read_text()

    assert value == "bonjour de Redis"
    assert time.monotonic() - started < 60
    assert "ready." in log_path.read_text()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_reads_rows_committed_in_postgresql(services_broker, tmp_path):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the tests do not run on PostgreSQL: .ci/run must export DATABASE_URL")
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    user = UserFactory(email="lue-par-un-vrai-worker@example.org")
    queue = f"pem-test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    backend = _result_backend(services_broker)

    with _app_configured(broker_url=services_broker, result_backend=backend, task_ignore_result=False, task_always_eager=False):
        with _worker_process(
            broker_url=services_broker,
            result_backend=backend,
            queue=queue,
            log_path=log_path,
            database_url=_database_url_of_the_test_database(),
        ):
            options = {"queue": queue, "ignore_result": False}
            try:
                found = app.send_task("tests.user_exists", args=[user.email], **options).get(timeout=60)
                missing = app.send_task("tests.user_exists", args=["absent@example.org"], **options).get(timeout=60)
            except Exception as error:  # noqa: BLE001
                pytest.fail(f"no answer from the worker ({error!r}); its log:\n{log_path.read_text()}")

    assert found is True
    assert missing is False


def test_a_queue_set_for_a_block_is_forgotten_after_it():
    """The cause of the in-process round trips timing out in CI: a block that changed the default queue left
    the app's cached queues on it, so a later worker of the same process consumed a queue nobody sent to."""
    with _app_configured(broker_url="memory://", task_default_queue="pem-a-block-of-its-own"):
        assert list(app.amqp.queues) == ["pem-a-block-of-its-own"]

    assert list(app.amqp.queues) == [app.conf.task_default_queue]
    assert "pem-a-block-of-its-own" not in app.amqp.queues
