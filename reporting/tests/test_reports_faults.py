"""Faults with a real worker process, Redis and PostgreSQL (CI): a worker killed with SIGKILL in the middle
of a render; Redis delivers the job again after its visibility timeout, another worker finishes it, once.

Locally these tests are skipped without CELERY_BROKER_URL (Redis) and DATABASE_URL (PostgreSQL); with
CI=true a missing service fails the run.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeFactory
from reporting.models import JobStatus, ReportJob
from reporting.services.reports import TEST_ONLY_DELAY_VARIABLE, report_request
from tests.test_celery import _app_configured, _database_url_of_the_test_database, _redis_reachable

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
IN_CI = os.environ.get("CI") == "true"

#: Seconds: Redis gives an unacknowledged job back after this; a running job is taken over after TIME_LIMIT.
VISIBILITY_TIMEOUT = 5
TIME_LIMIT = 12


#: `celery -A pemwecco worker`, except that the Redis transport looks for unacknowledged jobs older than the
#: visibility timeout every second (kombu's default: every 10 x 10 s), so that the test is quick.
WORKER_WITH_QUICK_RESTORE = """
import sys
from pemwecco.celery import app
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


@pytest.fixture
def redis_and_postgresql() -> str:
    if not BROKER_URL.startswith(("redis://", "rediss://")):
        if IN_CI:
            pytest.fail("CI=true but CELERY_BROKER_URL is not a Redis URL")
        pytest.skip("CELERY_BROKER_URL is not a Redis URL (set it to run against a real worker)")
    if not _redis_reachable(BROKER_URL):
        if IN_CI:
            pytest.fail(f"Redis is unreachable at {BROKER_URL}")
        pytest.skip(f"Redis is unreachable at {BROKER_URL}")
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI=true but the tests do not run on PostgreSQL")
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (the worker process shares the test database)")
    return BROKER_URL


@contextmanager
def report_worker(*, queue: str, log_path: Path, private_root: Path, delay: int | None = None):
    """A `celery worker` process on its own queue, with a short visibility timeout and time limit."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "DATABASE_URL": _database_url_of_the_test_database(),
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 2),
    }
    env.pop(TEST_ONLY_DELAY_VARIABLE, None)
    if delay:
        env[TEST_ONLY_DELAY_VARIABLE] = str(delay)  # test-only: makes the render slow enough to be killed
    command = [sys.executable, "-c", WORKER_WITH_QUICK_RESTORE, "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
    command += ["-Q", queue, "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("w") as log:
        worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)


def wait_for(predicate, *, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail("timed out; worker logs:\n" + "\n-----\n".join(p.read_text() for p in logs if p.exists()))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_the_job_to_another_that_finishes_it_once(redis_and_postgresql, tmp_path):
    queue = f"pem-reports-{uuid.uuid4().hex[:10]}"
    private_root = tmp_path / "private"
    log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])

    with _app_configured(
        broker_url=BROKER_URL,
        task_always_eager=False,
        task_routes={"reporting.report_render": {"queue": queue}},
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    ):
        with report_worker(queue=queue, log_path=log_a, private_root=private_root, delay=120) as worker_a:
            job = report_request(kind="committee", programme=programme, language="fr", by=staff)  # committed: sent now

            def rendering_in_a() -> bool:
                return ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress=50).exists()

            wait_for(rendering_in_a, timeout=90, logs=[log_a])
            worker_a.send_signal(signal.SIGKILL)  # in the middle of the render: the message is never acknowledged
            worker_a.wait(timeout=10)

        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and job.attempts == 1

        with report_worker(queue=queue, log_path=log_b, private_root=private_root):

            def done() -> bool:
                return ReportJob.objects.filter(pk=job.pk).exclude(status=JobStatus.RUNNING).exists()

            wait_for(done, timeout=120, logs=[log_a, log_b])
            time.sleep(VISIBILITY_TIMEOUT + 1)  # room for a stray second delivery, which must change nothing

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2
    files = list((private_root / "reports" / str(programme.pk)).iterdir())
    assert [f.name for f in files] == [Path(job.file.name).name]
    assert files[0].read_bytes().startswith(b"%PDF")
    assert files[0].stat().st_size == job.size


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_report_asked_while_the_broker_is_down_is_not_lost_and_runs_once_it_is_back(redis_and_postgresql, tmp_path):
    """The broker is really unreachable (nothing listens on the port) when the report is asked: the job
    stays queued with the message for the user; once the broker is back, requeueing sends it to a real
    worker, which renders it once."""
    from datetime import timedelta

    from reporting.services.reports import BROKER_UNREACHABLE_CODE, reports_requeue

    queue = f"pem-reports-{uuid.uuid4().hex[:10]}"
    private_root = tmp_path / "private"
    log = tmp_path / "worker.log"
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])
    routes = {"reporting.report_render": {"queue": queue}}

    # The write URL: Celery lets the CELERY_BROKER_URL environment variable override broker_url.
    with _app_configured(
        broker_write_url="redis://127.0.0.1:1/0",  # port 1: connection refused at once
        task_always_eager=False,
        task_routes=routes,
    ):
        job = report_request(kind="committee", programme=programme, language="fr", by=staff)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.error == BROKER_UNREACHABLE_CODE

    with _app_configured(broker_url=BROKER_URL, task_always_eager=False, task_routes=routes):
        with report_worker(queue=queue, log_path=log, private_root=private_root):
            assert reports_requeue(older_than=timedelta(0)) == 1
            wait_for(
                lambda: ReportJob.objects.filter(pk=job.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists(),
                timeout=120,
                logs=[log],
            )

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.error == ""
    assert (private_root / job.file.name).read_bytes().startswith(b"%PDF")
