"""Faults with real processes and the production defaults ([10] item 4), beside the report worker killed
mid-render (reporting/tests/test_reports_faults.py), the broker refusing or hung and the SMTP server hung
for a password reset (tests/test_hung_services.py):

- a worker killed in the middle of an import's transaction (rows written, not committed): nothing of it is
  left, another worker takes the import over within the framework's stated bound and imports it once;
- the worker's database connection dropped (pg_terminate_backend) in the middle of the same transaction:
  nothing is left, the job is not stuck running, it is done within the bound;
- Redis (broker and cache) stopped then restarted: the request that queues work answers with the message
  in the person's language (never a 500), the job stays queued with that reason, and once Redis is back
  the re-queue hands it to a real worker which completes it; pages never answer 500 while the cache is
  down, and the cache is used again once Redis is back;
- the database connection of a request dropped while it writes: the person gets the error page in their
  language, nothing of the request is stored (ATOMIC_REQUESTS), and the next request works;
- an SMTP server that accepts and never answers during a batch of queued e-mails: each attempt gives up
  after EMAIL_TIMEOUT with the reason kept, so the batch is never held longer than that per e-mail.

Each test runs its own redis-server (ports 6390-6399, nothing persisted) and, where a worker shares the
test database, needs PostgreSQL (DATABASE_URL). Locally they are skipped without them; with CI=true a
missing service fails the run. The only setting changed for the workers is JOB_HEARTBEAT_SECONDS
(PEM_TEST_JOB_HEARTBEAT, default 2 s; the stale bound and the scan interval follow it, as in production).
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from core import jobs
from core.testing import celery_app_configured
from core.testing import test_database_url as _test_database_url

BASE_DIR = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"
HEARTBEAT = float(os.environ.get("PEM_TEST_JOB_HEARTBEAT", 2))


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        _missing("needs DATABASE_URL pointing at PostgreSQL (a worker process shares the test database)")


def takeover_bound() -> float:
    """The framework's stated bound (core.jobs.takeover_bound_seconds) with the workers' heartbeat."""
    with _settings(JOB_HEARTBEAT_SECONDS=HEARTBEAT, JOB_STALE_SECONDS=None, JOB_SCAN_SECONDS=None):
        return jobs.takeover_bound_seconds()


@contextmanager
def _settings(**values):
    from django.test import override_settings

    with override_settings(**values):
        yield


# --------------------------------------------------------------------------------------------------
# A redis-server of the test's own, which the test may stop and start again
# --------------------------------------------------------------------------------------------------


class OwnRedis:
    def __init__(self, port: int, folder: Path):
        self.port, self.folder = port, folder
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--daemonize", "yes", "--dir", str(self.folder), "--pidfile", str(self.folder / "redis.pid")]
        command += ["--logfile", str(self.folder / "redis.log")]
        subprocess.run(command, check=True, timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}: {(self.folder / 'redis.log').read_text()}")

    def stop(self) -> None:
        pid_file = self.folder / "redis.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().strip())
        try:
            os.kill(pid, signal.SIGKILL)  # abrupt: what a crash or a restart looks like to the clients
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.answers():
            time.sleep(0.05)
        pid_file.unlink(missing_ok=True)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _free_redis_port() -> int:
    # pytest-xdist workers start at different ports, so that two of them do not pick the same one at once.
    worker_index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    ports = list(range(6390, 6400))
    start = (3 * worker_index) % len(ports)
    for port in ports[start:] + ports[:start]:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 6390-6399 for the test's own redis-server")


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        _missing("redis-server is not installed")
    folder = tmp_path / "redis"
    folder.mkdir()
    redis = OwnRedis(_free_redis_port(), folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


# --------------------------------------------------------------------------------------------------
# A real Celery worker process on the test database
# --------------------------------------------------------------------------------------------------


def broker_settings(url: str, queue: str) -> dict:
    """The test process's Celery app on `url`, with the production Redis transport settings."""
    return {
        "broker_url": url,
        "broker_transport_options": settings.BROKER_REDIS_TRANSPORT_OPTIONS,
        "task_always_eager": False,
        "task_default_queue": queue,
    }


@contextmanager
def worker(*, redis: OwnRedis, queue: str, log_path: Path):
    """`celery -A pemwecco worker` (solo pool) with the production settings, Redis as broker and cache, the
    test database and private files, its own queue, and the short heartbeat."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis.url,
        "REDIS_URL": redis.url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": _test_database_url(),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "EMAIL_URL": "consolemail://",
    }
    for name in ("CELERY_VISIBILITY_TIMEOUT", "CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT", "JOB_STALE_SECONDS",
                 "JOB_SCAN_SECONDS", "CELERY_TASK_ALWAYS_EAGER", "AWS_STORAGE_BUCKET_NAME"):  # fmt: skip
        env.pop(name, None)
    command = [sys.executable, "-m", "celery", "-A", "pemwecco", "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
    command += ["-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "ready." in log_path.read_text(), timeout=60, logs=[log_path])
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_for(predicate, *, timeout: float, logs: list[Path] = ()) -> float:
    """Wait until `predicate()`; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail("timed out; logs:\n" + "\n-----\n".join(p.read_text() for p in logs if p.exists()))


# --------------------------------------------------------------------------------------------------
# An import held in the middle of its transaction
# --------------------------------------------------------------------------------------------------


def _admin_connection():
    """A connection of the test's own, beside Django's, to the test database (locks, pg_terminate_backend)."""
    import psycopg2

    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    return admin


def _sql(admin, query: str, *args):
    with admin.cursor() as cursor:
        # pg_stat_activity is read once per transaction, and the lock keeps this one open: read it afresh.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(query, args)
        return cursor.fetchall() if cursor.description else None


@contextmanager
def applications_table_locked():
    """Hold a lock on the applications table that lets reads through and makes every insert wait: an
    import's transaction then stops at its first application, with its people and companies already
    written (not committed). Yields the admin connection (its lock lasts until the block ends)."""
    admin = _admin_connection()
    try:
        _sql(admin, "LOCK TABLE cohorts_application IN SHARE ROW EXCLUSIVE MODE")  # psycopg2: a transaction is open
        yield admin
    finally:
        admin.rollback()
        admin.close()


def _blocked_writer(admin) -> int | None:
    """The backend of the test database waiting for the lock to insert an application, if any."""
    rows = _sql(
        admin,
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE %s",
        'INSERT INTO "cohorts_application"%',
    )
    return rows[0][0] if rows else None


def _tables_written_by(admin, pid: int) -> set[str]:
    rows = _sql(
        admin,
        "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND l.granted AND c.relkind = 'r'",
        pid,
    )
    return {name for (name,) in rows}


def _backend_gone(admin, pid: int) -> bool:
    return not _sql(admin, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", pid)


IMPORT_ROWS = 5


def _queue_an_import():
    """A staff member's confirmed spreadsheet of IMPORT_ROWS applications, queued (committed, sent now)."""
    from accounts.tests.factories import UserFactory
    from cohorts.services.staff import application_import_request
    from cohorts.tests.factories import CohortFactory, ProgrammeFactory
    from cohorts.tests.test_staff_import import _csv, _row

    CohortFactory(programme=ProgrammeFactory(code="pem"), number=1)
    staff = UserFactory(roles=["staff"], preferred_language="en")
    rows = [_row(prenom=f"Awa{i}", email=f"awa{i}@example.sn", entreprise=f"Awa Textile {i}") for i in range(IMPORT_ROWS)]
    return application_import_request(
        content=_csv(rows).encode(), filename="collecte.csv", row_count=IMPORT_ROWS, by=staff
    ), staff


def _nothing_of_the_import() -> bool:
    from cohorts.models import Application
    from partners.models import Company, Entrepreneur

    return not (Application.objects.exists() or Entrepreneur.objects.exists() or Company.objects.exists())


def _imported_once(job, staff, client) -> None:
    from django.urls import reverse

    from cohorts.models import Application
    from partners.models import Entrepreneur

    job.refresh_from_db()
    assert job.status == jobs.JobStatus.DONE, job.error
    assert job.created_count == IMPORT_ROWS and job.error == ""
    assert Application.objects.count() == IMPORT_ROWS and Entrepreneur.objects.count() == IMPORT_ROWS
    client.force_login(staff)
    page = client.get(reverse("cohorts:application_import_status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert str(IMPORT_ROWS) in text and "Terminé" not in text  # the person's language (English), with the count


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_and_another_imports_it_once_within_the_bound(
    own_redis, tmp_path, client, settings
):
    needs_postgresql()
    settings.JOB_HEARTBEAT_SECONDS = HEARTBEAT
    queue = f"pem-faults-{uuid.uuid4().hex[:10]}"
    log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    bound = takeover_bound()

    with celery_app_configured(**broker_settings(own_redis.url, queue)):
        with worker(redis=own_redis, queue=queue, log_path=log_a) as worker_a, applications_table_locked() as admin:
            job, staff = _queue_an_import()
            wait_for(lambda: _blocked_writer(admin) is not None, timeout=60, logs=[log_a])
            backend = _blocked_writer(admin)
            # In the middle of the transaction: people and companies written, not committed.
            assert {"partners_entrepreneur", "partners_company"} <= _tables_written_by(admin, backend)
            with worker(redis=own_redis, queue=queue, log_path=log_b):
                worker_a.send_signal(signal.SIGKILL)
                worker_a.wait(timeout=10)
                job.refresh_from_db()
                assert job.status == jobs.JobStatus.RUNNING and job.attempts == 1
                last_heartbeat = job.heartbeat_at
                admin.rollback()  # the lock goes: the dead worker's backend sees its client gone and rolls back
                wait_for(lambda: _backend_gone(admin, backend), timeout=30)
                assert _nothing_of_the_import()
                wait_for(
                    lambda: type(job).objects.filter(pk=job.pk, status=jobs.JobStatus.DONE).exists(),
                    timeout=60 + 5 * bound,
                    logs=[log_b],
                )
                time.sleep(HEARTBEAT)  # room for a stray second delivery, which must change nothing

    job.refresh_from_db()
    took_over = (job.started_at - last_heartbeat).total_seconds()
    print(
        f"\nimport worker SIGKILLed mid-transaction: taken over {took_over:.1f} s after its last heartbeat (bound {bound:.1f} s)"
    )
    assert took_over < bound
    assert job.attempts == 2
    assert "job watchdog" in log_b.read_text()  # taken over by the other worker's own scan
    _imported_once(job, staff, client)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_database_connection_is_dropped_mid_transaction_leaves_nothing_and_is_done_within_the_bound(
    own_redis, tmp_path, client, settings
):
    needs_postgresql()
    settings.JOB_HEARTBEAT_SECONDS = HEARTBEAT
    queue = f"pem-faults-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    bound = takeover_bound()

    with celery_app_configured(**broker_settings(own_redis.url, queue)):
        with worker(redis=own_redis, queue=queue, log_path=log) as process:
            with applications_table_locked() as admin:
                job, staff = _queue_an_import()
                wait_for(lambda: _blocked_writer(admin) is not None, timeout=60, logs=[log])
                backend = _blocked_writer(admin)
                assert {"partners_entrepreneur", "partners_company"} <= _tables_written_by(admin, backend)
                assert _sql(admin, "SELECT pg_terminate_backend(%s)", backend) == [(True,)]
                dropped_at = time.monotonic()
                wait_for(lambda: _backend_gone(admin, backend), timeout=30)
                assert _nothing_of_the_import()  # its transaction went with its backend
            wait_for(
                lambda: type(job).objects.filter(pk=job.pk, status__in=[jobs.JobStatus.DONE, jobs.JobStatus.FAILED]).exists(),
                timeout=60 + 5 * bound,
                logs=[log],
            )
            done_after = time.monotonic() - dropped_at
            time.sleep(HEARTBEAT)
            assert process.poll() is None  # the worker lived on

    print(f"\nimport's database connection dropped mid-transaction: done {done_after:.1f} s later (bound {bound:.1f} s)")
    assert done_after < bound  # given back and sent again at once, well within the takeover bound
    assert "database connection lost" in log.read_text()  # run again, not failed with the driver's text
    _imported_once(job, staff, client)


# --------------------------------------------------------------------------------------------------
# Redis (broker and cache) restarted
# --------------------------------------------------------------------------------------------------


def production_cache(url: str) -> dict:
    """CACHES as pemwecco/settings.py builds it from REDIS_URL (checked by the test below)."""
    timeout = 2.0
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    return {"default": {"BACKEND": "core.cache.DegradingRedisCache", "LOCATION": url, "OPTIONS": options}}


def test_the_settings_use_the_degrading_redis_cache_when_redis_is_configured():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6391/0", "DJANGO_SETTINGS_MODULE": "pemwecco.settings"}
    env.pop("REDIS_SOCKET_TIMEOUT", None)
    code = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
    output = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    import json

    assert json.loads(output.stdout.strip().splitlines()[-1]) == production_cache("redis://127.0.0.1:6391/0"), output.stderr


@pytest.mark.django_db
def test_pages_answer_while_the_redis_cache_is_unreachable(client, settings):
    """Nothing listens where the cache should be: it acts as an empty cache, and the pages that count in
    it (the throttled password reset) answer as usual."""
    from django.core.cache import cache
    from django.urls import reverse

    from tests.test_hung_services import closed_port

    settings.CACHES = production_cache(f"redis://127.0.0.1:{closed_port()}/0")
    assert cache.get("anything", "computed") == "computed"
    cache.set("anything", 1)
    assert cache.get_or_set("anything", lambda: "computed again") == "computed again"
    with pytest.raises(ValueError):
        cache.incr("anything")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.sn"})
    assert response.status_code == 302


def _staff_in_english():
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role.STAFF], preferred_language="en")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_restarted_a_report_asked_meanwhile_gets_the_message_stays_queued_and_is_rendered_once_it_is_back(
    own_redis, tmp_path, client, settings
):
    """Redis is the broker and the cache. Killed: the staff member asking for a report reads, in English,
    that the queue is unreachable and the request kept, pages answer (the cache acts as empty); restarted:
    the re-queue hands the job to a real worker, which renders it; the cache is used again."""
    from django.core.cache import cache
    from django.urls import reverse

    from cohorts.tests.factories import ProgrammeFactory
    from reporting.models import ReportJob

    needs_postgresql()
    settings.CACHES = production_cache(own_redis.url)
    queue = f"pem-faults-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    programme = ProgrammeFactory()
    staff = _staff_in_english()
    client.force_login(staff)
    production_broker = {
        **broker_settings(own_redis.url, queue),
        "broker_connection_timeout": settings.CELERY_BROKER_CONNECTION_TIMEOUT,
    }

    with celery_app_configured(**production_broker):
        cache.set("pem-faults-probe", "before")
        assert cache.get("pem-faults-probe") == "before"
        own_redis.stop()

        started = time.monotonic()
        response = client.post(
            reverse("reporting:report_request"), {"kind": "committee", "programme": programme.pk, "language": "fr"}, follow=True
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 200 and response.redirect_chain[-1][1] == 302
        assert "The queue service is unreachable" in response.content.decode()
        job = ReportJob.objects.get()
        assert job.status == jobs.JobStatus.QUEUED and job.error == jobs.BROKER_UNREACHABLE_CODE and job.enqueued_at is None
        # Other pages, the throttled ones included (they count in the cache), answer while the cache is down.
        assert cache.get("pem-faults-probe") is None
        for url in (reverse("home"), reverse("reporting:report_list")):
            assert client.get(url).status_code == 200, url
        anonymous = type(client)()
        assert anonymous.post(reverse("accounts:password_reset"), {"email": "nobody@example.sn"}).status_code == 302
        assert jobs.jobs_requeue() == 0  # still down: the row stays as it is
        job.refresh_from_db()
        assert job.status == jobs.JobStatus.QUEUED and job.error == jobs.BROKER_UNREACHABLE_CODE

        own_redis.start()
        back = time.monotonic()
        cache.set("pem-faults-probe", "after")
        assert cache.get("pem-faults-probe") == "after"  # reconnected on the next command
        with worker(redis=own_redis, queue=queue, log_path=log):
            ReportJob.objects.filter(pk=job.pk).update(
                requested_at=job.requested_at - datetime.timedelta(seconds=jobs.heartbeat_seconds() + 1)
            )
            assert jobs.jobs_requeue() == 1  # what beat and every worker's watchdog run each scan
            wait_for(
                lambda: ReportJob.objects.filter(pk=job.pk, status__in=[jobs.JobStatus.DONE, jobs.JobStatus.FAILED]).exists(),
                timeout=120,
                logs=[log],
            )
        rendered = time.monotonic() - back

    print(f"\nRedis down: the report request answered in {elapsed:.2f} s; rendered {rendered:.1f} s after Redis was back")
    assert elapsed < 5
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.DONE and job.attempts == 1 and job.error == ""
    page = client.get(reverse("reporting:report_list"))
    assert page.status_code == 200 and "unreachable" not in page.content.decode()


# --------------------------------------------------------------------------------------------------
# The database connection of a request dropped while it writes
# --------------------------------------------------------------------------------------------------


def _csrf(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Browser:
    """A person's browser against the live server: cookies kept, redirects followed, errors read."""

    def __init__(self, base_url: str):
        import http.cookiejar
        import urllib.request

        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def log_in_as(self, user, client) -> None:
        import http.cookiejar

        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        host = self.base_url.split("://")[1].split(":")[0]
        host = host if "." in host else f"{host}.local"  # how http.cookiejar names a host without a dot (localhost)
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                settings.SESSION_COOKIE_NAME,
                session,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )  # fmt: skip
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        import urllib.error
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"Accept-Language": "en", "Referer": self.base_url + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_request_whose_database_connection_is_dropped_mid_write_shows_the_error_page_stores_nothing_and_the_next_works(
    live_server, client
):
    """A coach logs a session with an action item (two tables written in the request's transaction); the
    request's database backend is terminated from another connection between the two writes. The coach
    reads the error page in their language, neither the session nor its action is stored, and the same
    form sent again is recorded once."""
    from django.db import connection as request_connection
    from django.urls import reverse

    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from coaching.models import ActionItem, CoachingSession
    from coaching.tests.factories import CoachAssignmentFactory
    from coaching.tests.test_portal import form_data
    from partners.tests.factories import CoachFactory, EntrepreneurFactory

    needs_postgresql()
    coach = CoachFactory(user=UserFactory(roles=[Role.COACH], preferred_language="en"))
    assignment = CoachAssignmentFactory(
        coach=coach, application__entrepreneur=EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    )
    browser = Browser(live_server.url)
    browser.log_in_as(coach.user, client)
    url = reverse("coaching:session_log", args=[assignment.application_id])
    status, html = browser.open(url)
    assert status == 200
    data = {**form_data(), "csrfmiddlewaretoken": _csrf(html)}

    dropped = []
    real_bulk_create = type(ActionItem.objects).bulk_create

    def drop_then_write(manager, objs, *args, **kwargs):
        # In the live server's thread, after the session row was inserted: terminate this request's backend.
        if not dropped:
            with request_connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            admin = _admin_connection()
            admin.autocommit = True
            try:
                dropped.append(_sql(admin, "SELECT pg_terminate_backend(%s)", pid))
            finally:
                admin.close()
        return real_bulk_create(manager, objs, *args, **kwargs)

    with mock.patch.object(type(ActionItem.objects), "bulk_create", drop_then_write):
        status, html = browser.open(url, data)

    assert dropped == [[(True,)]], (status, html[:3000])
    assert status == 500
    assert "An unexpected error occurred" in html and "Traceback" not in html  # the coach's language, no code shown
    assert not CoachingSession.objects.exists() and not ActionItem.objects.exists()  # ATOMIC_REQUESTS rolled it back

    status, html = browser.open(url, data)  # sent again: a new connection, recorded once
    assert status == 200, html[:2000]
    assert "Session saved." in html
    assert CoachingSession.objects.filter(client_token=data["client_token"]).count() == 1
    assert ActionItem.objects.count() == 1


# --------------------------------------------------------------------------------------------------
# SMTP hung during a batch of e-mails
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_hung_smtp_server_never_holds_a_batch_of_emails_beyond_the_timeout_and_each_keeps_its_reason(settings):
    """The coaches' weekly reminders (a beat batch) while the SMTP server accepts connections and never
    answers: the batch only queues its e-mails and ends at once; each sending attempt gives up after
    EMAIL_TIMEOUT (production default) with the reason on its row, queued for its retry; once the server
    answers, each e-mail is sent exactly once."""
    from django.core import mail

    from accounts.models import OutgoingEmail
    from accounts.services import email_deliver
    from coaching.models import ActionItem
    from coaching.services import coach_digests_send
    from coaching.tests.factories import CoachAssignmentFactory
    from tests.test_hung_services import ANSWER_BOUND, hung_server

    monday = datetime.date(2026, 11, 30)
    for language in ("fr", "en"):
        assignment = CoachAssignmentFactory(coach__user__preferred_language=language)
        ActionItem.objects.create(
            application=assignment.application, title="Relancer Liège", due_on=monday - datetime.timedelta(days=3)
        )

    with hung_server() as smtp_port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
        with celery_app_configured(broker_url="memory://", task_always_eager=False):
            started = time.monotonic()
            assert coach_digests_send(today=monday) == 2
            batch_seconds = time.monotonic() - started
        emails = list(OutgoingEmail.objects.order_by("pk"))
        assert len(emails) == 2 and all(e.status == jobs.JobStatus.QUEUED and e.enqueued_at for e in emails)

        attempts = []
        for email in emails:  # what the worker does with each message
            started = time.monotonic()
            with pytest.raises(jobs.JobRetry):
                email_deliver(email_id=email.pk)
            attempts.append(time.monotonic() - started)

    print(f"\nSMTP hung: the batch queued its e-mails in {batch_seconds:.2f} s; each attempt gave up after "
          f"{', '.join(f'{a:.1f}' for a in attempts)} s (EMAIL_TIMEOUT {settings.EMAIL_TIMEOUT} s)")  # fmt: skip
    assert batch_seconds < ANSWER_BOUND
    assert all(seconds < settings.EMAIL_TIMEOUT + 2 for seconds in attempts)
    for email in emails:
        email.refresh_from_db()
        assert email.status == jobs.JobStatus.QUEUED and email.attempts == 1 and "timed out" in email.error_display

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server answers again
    for email in emails:
        assert email_deliver(email_id=email.pk)
        assert not email_deliver(email_id=email.pk)  # a redelivered message sends nothing more
    assert len(mail.outbox) == 2
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {jobs.JobStatus.DONE}
