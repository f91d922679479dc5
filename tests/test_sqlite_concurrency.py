"""The embedded default holds a workshop: on the settings `make demo` uses (a SQLite file, the filesystem
broker, runserver's threads), 20 people logging in at the same moment and 3 simultaneous final submissions
of one application give no error, and the application is submitted exactly once.

A real server process on a real database file: SQLite's locking only shows across connections to a file,
never on the in-memory test database.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOGINS = 20
SUBMISSIONS = 3
PASSWORD = "atelier-dakar-2026"

SETUP = """
from django.contrib.auth.hashers import make_password
from accounts.models import User
from accounts.tests.factories import UserFactory
from cohorts.tests.factories_apply import CompleteDraftFactory
for number in range({logins}):
    UserFactory(email=f"participant{{number}}@atelier.example")
draft = CompleteDraftFactory(entrepreneur__user__email="candidate@atelier.example")
# One hash for everybody (the slow production hasher, as on `make demo`): creating 21 takes 21 hashings.
User.objects.update(password=make_password({password!r}))
print("DRAFT", draft.pk)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_environment(tmp_path: Path) -> dict[str, str]:
    """The laptop defaults: everything that CI or a developer may have set for other tests is removed."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "CELERY_", "REDIS_", "EMAIL_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    return environment


class Browser:
    """One person's browser: its own cookies, and the CSRF token read from the page's form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def get_token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            html = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict) -> int:
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data).encode(), headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _all_at_once(actions) -> list:
    """Run the callables in threads released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - a connection error is a result the test reports
            results[index] = repr(error)

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def demo_server(tmp_path):
    environment = _default_environment(tmp_path)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=environment, check=True, timeout=300)
    setup = SETUP.format(password=PASSWORD, logins=LOGINS)
    output = subprocess.run(
        [*manage, "shell", "-c", setup], cwd=ROOT, env=environment, check=True, timeout=120, capture_output=True, text=True
    ).stdout
    draft_pk = int(re.search(r"DRAFT (\d+)", output).group(1))
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield base, draft_pk, environment
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_workshop_logs_in_and_submits_at_once_without_an_error(demo_server):
    base, draft_pk, environment = demo_server

    # 20 people open the login page, then press "Log in" at the same moment.
    people = [Browser(base) for _ in range(LOGINS)]
    tokens = [person.get_token("/accounts/login/") for person in people]
    logins = _all_at_once(
        [
            lambda person=person, token=token, number=number: person.post(
                "/accounts/login/",
                {"csrfmiddlewaretoken": token, "username": f"participant{number}@atelier.example", "password": PASSWORD},
            )
            for number, (person, token) in enumerate(zip(people, tokens))
        ]
    )
    assert logins == [302] * LOGINS, f"login answers: {logins}"

    # The applicant has the submission page open in three tabs and presses "Submit" in all of them at once.
    applicant = Browser(base)
    token = applicant.get_token("/accounts/login/")
    assert (
        applicant.post(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": "candidate@atelier.example", "password": PASSWORD}
        )
        == 302
    )
    step = f"/candidatures/{draft_pk}/etape/6/"
    tab_tokens = [applicant.get_token(step) for _ in range(SUBMISSIONS)]
    submissions = _all_at_once(
        [
            lambda token=token: applicant.post(step, {"csrfmiddlewaretoken": token, "declaration": "on", "action": "submit"})
            for token in tab_tokens
        ]
    )
    assert submissions == [302] * SUBMISSIONS, f"submission answers: {submissions}"

    count = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from cohorts.models import ApplicationTransition as T; "
            f"print('SUBMITTED', T.objects.filter(application_id={draft_pk}, to_status='submitted').count())",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "SUBMITTED 1" in count
