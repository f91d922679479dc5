"""Faults with real worker processes, Redis and PostgreSQL (CI), with the PRODUCTION settings except the job
heartbeat interval (JOB_HEARTBEAT_SECONDS, shortened through the environment so that the tests are quick;
the stale bound and the scan interval follow it): a worker's main process killed with SIGKILL in the middle of
a render, or only its prefork pool child; another worker (or the same one's new child) takes the job over
within the stated bound after the last heartbeat, whatever the task time limit and the Redis visibility
timeout (both left at their production values), and finishes it once.

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
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeFactory
from core import jobs
from core.testing import celery_app_configured as _app_configured
from core.testing import redis_reachable as _redis_reachable
from core.testing import test_database_url as _database_url_of_the_test_database
from reporting.models import JobStatus, ReportJob
from reporting.services.reports import TEST_ONLY_DELAY_VARIABLE, report_request

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
IN_CI = os.environ.get("CI") == "true"

#: The only setting the tests change: seconds between heartbeats (production: 30; PEM_TEST_JOB_HEARTBEAT=30
#: runs these tests with the production value, in about two minutes each).
HEARTBEAT = float(os.environ.get("PEM_TEST_JOB_HEARTBEAT", 2))
#: The stated bound with that heartbeat: 4 heartbeats (120 s in production) after the last one. Stale after 3
#: heartbeats, scanned every 2/3 heartbeat, the rest for the delivery and the claim.
TAKEOVER_BOUND = 4 * HEARTBEAT
#: Longer than the whole test: the first render is killed long before it ends.
SLOW_RENDER = 120


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
def report_worker(*, queue: str, log_path: Path, private_root: Path, pool: str = "solo", delay: int | None = None):
    """A `celery -A pemwecco worker` process with the production settings, its own default queue, and a
    short heartbeat interval (JOB_HEARTBEAT_SECONDS)."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": _database_url_of_the_test_database(),
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
    }
    for name in (TEST_ONLY_DELAY_VARIABLE, "CELERY_VISIBILITY_TIMEOUT", "CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT",
                 "JOB_STALE_SECONDS", "JOB_SCAN_SECONDS", "CELERY_TASK_ALWAYS_EAGER"):  # fmt: skip
        env.pop(name, None)
    if delay:
        env[TEST_ONLY_DELAY_VARIABLE] = str(delay)  # test-only: makes the first render slow enough to be killed
    command = [sys.executable, "-m", "celery", "-A", "pemwecco", "worker", f"--pool={pool}", "--concurrency=1", "-l", "info"]
    command += ["-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
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


def pool_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children


def ready(log_path: Path) -> bool:
    return log_path.exists() and "ready." in log_path.read_text()


def wait_for(predicate, *, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail("timed out; worker logs:\n" + "\n-----\n".join(p.read_text() for p in logs if p.exists()))


def rendering(job: ReportJob, attempts: int = 1):
    return lambda: ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress=50, attempts=attempts).exists()


def takeover_seconds(job: ReportJob, last_heartbeat) -> float:
    """From the killed attempt's last heartbeat to the claim of the attempt that took the job over."""
    job.refresh_from_db()
    return (job.started_at - last_heartbeat).total_seconds()


def assert_rendered_once(job: ReportJob, private_root: Path, programme) -> None:
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2
    files = list((private_root / "reports" / str(programme.pk)).iterdir())
    assert [f.name for f in files] == [Path(job.file.name).name]
    assert files[0].read_bytes().startswith(b"%PDF")
    assert files[0].stat().st_size == job.size


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_taken_over_by_another_within_the_bound_and_finished_once(redis_and_postgresql, tmp_path):
    queue = f"pem-reports-{uuid.uuid4().hex[:10]}"
    private_root = tmp_path / "private"
    log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])
    started = time.monotonic()

    with _app_configured(broker_url=BROKER_URL, task_always_eager=False, task_default_queue=queue):
        with report_worker(queue=queue, log_path=log_a, private_root=private_root, delay=SLOW_RENDER) as worker_a:
            job = report_request(kind="committee", programme=programme, language="fr", by=staff)  # committed: sent now
            wait_for(rendering(job), timeout=90, logs=[log_a])
            with report_worker(queue=queue, log_path=log_b, private_root=private_root):
                wait_for(lambda: ready(log_b), timeout=60, logs=[log_b])
                worker_a.send_signal(signal.SIGKILL)  # the main process, in the middle of the render
                worker_a.wait(timeout=10)
                job.refresh_from_db()
                assert job.status == JobStatus.RUNNING and job.attempts == 1
                last_heartbeat = job.heartbeat_at

                wait_for(
                    lambda: ReportJob.objects.filter(pk=job.pk, status=JobStatus.DONE).exists(),
                    timeout=60 + 5 * HEARTBEAT,
                    logs=[log_a, log_b],
                )
                took_over = takeover_seconds(job, last_heartbeat)
                time.sleep(HEARTBEAT)  # room for a stray second delivery, which must change nothing

    print(f"\nmain process SIGKILLed: taken over {took_over:.1f} s after the last heartbeat (bound {TAKEOVER_BOUND:.1f} s); "
          f"test wall time {time.monotonic() - started:.1f} s")  # fmt: skip
    assert took_over < TAKEOVER_BOUND
    assert "job watchdog" in log_b.read_text()  # taken over by the worker's own scan, no beat, no visibility timeout
    assert_rendered_once(job, private_root, programme)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_killed_pool_child_is_taken_over_within_the_bound_and_finished_once(redis_and_postgresql, tmp_path):
    queue = f"pem-reports-{uuid.uuid4().hex[:10]}"
    private_root = tmp_path / "private"
    log = tmp_path / "worker.log"
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])
    started = time.monotonic()

    with _app_configured(broker_url=BROKER_URL, task_always_eager=False, task_default_queue=queue):
        with report_worker(queue=queue, log_path=log, private_root=private_root, pool="prefork", delay=SLOW_RENDER) as worker:
            job = report_request(kind="committee", programme=programme, language="fr", by=staff)
            wait_for(rendering(job), timeout=90, logs=[log])
            children = pool_children(worker.pid)
            assert len(children) == 1, children
            os.kill(children[0], signal.SIGKILL)  # only the pool child: the main process lives on
            job.refresh_from_db()
            last_heartbeat = job.heartbeat_at

            wait_for(
                lambda: ReportJob.objects.filter(pk=job.pk, status=JobStatus.DONE).exists(),
                timeout=60 + 5 * HEARTBEAT,
                logs=[log],
            )
            took_over = takeover_seconds(job, last_heartbeat)
            assert worker.poll() is None

    print(f"\npool child SIGKILLed: taken over {took_over:.1f} s after the last heartbeat (bound {TAKEOVER_BOUND:.1f} s); "
          f"test wall time {time.monotonic() - started:.1f} s")  # fmt: skip
    assert took_over < TAKEOVER_BOUND
    assert_rendered_once(job, private_root, programme)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_report_asked_while_the_broker_is_down_is_not_lost_and_runs_once_it_is_back(redis_and_postgresql, tmp_path):
    """The broker is really unreachable (nothing listens on the port) when the report is asked: the job
    stays queued with the message for the user; once the broker is back, jobs_requeue sends it to a real
    worker, which renders it once."""
    from reporting.services.reports import BROKER_UNREACHABLE_CODE

    queue = f"pem-reports-{uuid.uuid4().hex[:10]}"
    private_root = tmp_path / "private"
    log = tmp_path / "worker.log"
    programme = ProgrammeFactory()
    staff = UserFactory(roles=[Role.STAFF])
    routes = {"reporting.report_render": {"queue": queue}}  # noqa: F841 - the worker reads its default queue

    # The write URL: Celery lets the CELERY_BROKER_URL environment variable override broker_url.
    with _app_configured(
        broker_write_url="redis://127.0.0.1:1/0",  # port 1: connection refused at once
        task_always_eager=False,
        task_default_queue=queue,
    ):
        job = report_request(kind="committee", programme=programme, language="fr", by=staff)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.error == BROKER_UNREACHABLE_CODE

    with _app_configured(broker_url=BROKER_URL, broker_write_url=None, task_always_eager=False, task_default_queue=queue):
        with report_worker(queue=queue, log_path=log, private_root=private_root):
            ReportJob.objects.filter(pk=job.pk).update(requested_at=job.requested_at - timedelta(minutes=5))
            assert jobs.jobs_requeue() == 1
            wait_for(
                lambda: ReportJob.objects.filter(pk=job.pk, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists(),
                timeout=120,
                logs=[log],
            )

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.error == ""
    assert (private_root / job.file.name).read_bytes().startswith(b"%PDF")
