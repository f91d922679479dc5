"""Load check ([10] item 5): simulated people using the platform at once, every answer recorded, then every
write the server confirmed looked up in the database.

    make load                                   # PostgreSQL + gunicorn + Celery/Redis, 50 users for 60 s,
                                                # then the embedded default (SQLite, filesystem broker), 10 users
    .venv/bin/python bench/load.py --mode pg --users 50 --seconds 60
    .venv/bin/python bench/load.py --mode embedded --users 10 --seconds 60

Modes:
- `pg`: the production set-up on one machine. Database LOAD_DATABASE_URL (default
  postgres://postgres@127.0.0.1:5432/pem_load, created if missing), Redis db LOAD_REDIS_DB (default 10) as
  broker and cache, `gunicorn pemwecco.wsgi` with the README's deployment options (--workers 3 --timeout 60),
  DEBUG=0, and `celery -A pemwecco worker --concurrency 2` (README, "Deploying on several machines").
- `embedded`: what `make demo` runs (scripts/run_demo.sh): `manage.py runserver` and `celery worker -B
  --concurrency 1` with nothing configured but a SQLite file and a broker folder of their own under
  LOAD_WORK_DIR (so that a developer's own db.sqlite3 is never touched): the settings' SQLite options
  (WAL, IMMEDIATE transactions, busy timeout) and the filesystem broker apply as on a laptop.

Each run migrates, loads the demo (`load_demo`, once per database), and adds people of its own (new e-mail
addresses each run): entrepreneurs with open calls to apply to, coaches with assigned entrepreneurs, Belgian
companies with open invitation links (a planned trip and invitations made by the services), staff and
committee members (with an enrolled authenticator: the simulated person computes the TOTP code as a phone
does). Then every simulated person logs in and loops over weighted actions of their role for the duration.

The check fails (exit status 1) on any 5xx answer or connection error, on any confirmed write missing from
the database (a submitted application, a coaching session, an answered invitation, a report job) and on any
report job not finished within LOAD_REPORT_WAIT seconds after the load. The summary is printed and written
to bench/LOAD.md (LOAD_OUTPUT).
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import hmac
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))

#: Share of the simulated people in each role (the rest of the rounding goes to entrepreneurs).
ROLE_SHARES = {"entrepreneur": 0.40, "coach": 0.24, "company": 0.16, "staff": 0.10, "committee": 0.10}


# ---------------------------------------------------------------------------------------------------------
# Preparing the database (runs in a subprocess with the mode's environment, Django set up there)
# ---------------------------------------------------------------------------------------------------------


def role_counts(users: int) -> dict[str, int]:
    counts = {role: max(1, int(users * share)) for role, share in ROLE_SHARES.items()}
    counts["entrepreneur"] = max(1, users - sum(v for k, v in counts.items() if k != "entrepreneur"))
    return counts


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def prepare(users: int, invitations_per_company: int, out: Path) -> None:
    """Migrate, load the demo once, and create this run's people; write their logins to `out` (JSON)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from cohorts.models import Programme

    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    if not Programme.objects.filter(code="pem-wecco").exists():
        call_command("load_demo", allow_production=True, stdout=io.StringIO())
    if not settings.DEBUG:
        call_command("collectstatic", "--noinput", verbosity=0)
    people = people_create(users=users, invitations_per_company=invitations_per_company, programme_code="pem-wecco")
    out.write_text(
        json.dumps({"people": people, "pdf": base64.b64encode(_pdf()).decode(), "seconds": time.monotonic() - started})
    )


def people_create(*, users: int, invitations_per_company: int, programme_code: str) -> list[dict]:
    """This run's simulated people (new addresses each run), on a database holding the programme
    `programme_code` with selected applications that have a mobility plan, and Belgian companies (the demo
    has them): their logins, and what each will act on. Every row through the models' own checks, trips and
    invitations through the services."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role, User
    from coaching.models import Coach, CoachAssignment
    from cohorts.models import Application, ApplicationStatus, Cohort, Programme, ProgrammeMembership
    from core.meeting_time import BRUSSELS
    from mobility import services_invitations, services_trips
    from mobility.models import EconomicMission, MobilityPlan, TargetPartner, Trip, TripStatus
    from partners.models import Organisation

    counts = role_counts(users)
    tag = secrets.token_hex(3)
    password = f"load-{secrets.token_urlsafe(12)}"
    hashed = make_password(password)
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    home = Programme.objects.get(code=programme_code)
    now = timezone.now()
    people: list[dict] = []

    def person(role: str, n: int, group: str, *, mfa: bool = False, is_staff: bool = False) -> tuple[User, dict]:
        email = f"load-{tag}-{role}{n}@load.pem.example"
        user = User.objects.create(
            email=email, first_name=f"Charge{n}", last_name=f"Test-{role}", password=hashed, is_staff=is_staff
        )
        user.groups.add(groups[group])
        record = {"role": role, "email": email, "password": password}
        if mfa:
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="load", key=key, confirmed=True)
            record["totp_key"] = key
        people.append(record)
        return user, record

    with transaction.atomic():
        # The people of earlier runs on this database leave: every run has the same number of staff members
        # (each invitation answer e-mails all of them), so that runs compare.
        User.objects.filter(email__endswith="@load.pem.example", is_active=True).update(is_active=False)
        staff = [person("staff", n, Role.STAFF, mfa=True, is_staff=True)[0] for n in range(counts["staff"])]
        for n in range(counts["committee"]):
            user, _ = person("committee", n, Role.COMMITTEE, mfa=True)
            ProgrammeMembership.objects.create(programme=home, user=user, role=Role.COMMITTEE)

        # Open calls: those open now plus a dozen more, so that each entrepreneur applies several times.
        programme = Programme.objects.filter(cohorts__call_closes_at__gt=now).exclude(pk=home.pk).first() or home
        for number in range(101, 113):
            Cohort.objects.get_or_create(
                programme=programme,
                number=number,
                defaults={
                    "name": f"Appel de charge {number}",
                    "call_opens_at": now - datetime.timedelta(days=1),
                    "call_closes_at": now + datetime.timedelta(days=365),
                },
            )
        open_cohorts = list(
            Cohort.objects.filter(call_opens_at__lte=now, call_closes_at__gt=now).order_by("pk").values_list("pk", flat=True)
        )
        for n in range(counts["entrepreneur"]):
            _, record = person("entrepreneur", n, Role.ENTREPRENEUR)
            record["cohorts"] = open_cohorts

        selected = list(Application.objects.filter(cohort__programme=home, status=ApplicationStatus.SELECTED).order_by("pk"))
        incubator = Organisation.objects.filter(kind="incubator").first()
        for n in range(counts["coach"]):
            user, record = person("coach", n, Role.COACH)
            coach = Coach.objects.create(user=user, organisation=incubator)
            ProgrammeMembership.objects.create(programme=home, user=user, role=Role.COACH)
            mine = [selected[(3 * n + k) % len(selected)] for k in range(min(3, len(selected)))]
            for application in mine:
                CoachAssignment.objects.create(application=application, coach=coach, assigned_by=staff[0])
            record["applications"] = [a.pk for a in mine]

    # Belgian companies: each simulated company answers the invitations of one planned trip (a mission a month
    # from now), created and sent by the services as staff does, so that every link is a real one.
    companies = list(Organisation.objects.filter(kind="belgian_company").order_by("pk"))[:invitations_per_company]
    planned = [a for a in selected if MobilityPlan.objects.filter(application=a).exists()]
    start = timezone.localdate() + datetime.timedelta(days=30)
    mission, _ = EconomicMission.objects.get_or_create(
        programme=home,
        title="Mission de charge",
        defaults={"starts_on": start, "ends_on": start + datetime.timedelta(days=13), "cities": "Bruxelles"},
    )
    for n in range(counts["company"]):
        application = planned[n % len(planned)]
        with transaction.atomic():
            for old in Trip.objects.filter(application=application, status=TripStatus.PLANNED):
                services_trips.trip_cancel(trip=old, by=staff[0])
            trip = services_trips.trip_create(
                application=application,
                departs_on=mission.starts_on,
                returns_on=mission.ends_on,
                mission=mission,
                cities="Bruxelles",
                by=staff[0],
            )
            plan = MobilityPlan.objects.get(application=application)
            links = []
            for k, org in enumerate(companies):
                target = TargetPartner.objects.filter(plan=plan, organisation=org).first() or TargetPartner.objects.create(
                    plan=plan, organisation=org, reason="Charge", priority=1
                )
                day, hour = divmod(k, 8)
                starts = datetime.datetime.combine(
                    trip.departs_on + datetime.timedelta(days=day), datetime.time(9 + hour), tzinfo=BRUSSELS
                )
                invitation = services_invitations.invitation_create(
                    target=target,
                    by=staff[0],
                    email=f"load-{tag}-org{org.pk}@load.pem.example",
                    language="fr",
                    slots=[services_invitations.SlotSpec(starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45))],
                )
                invitation = services_invitations.invitation_send(invitation=invitation, by=staff[0])
                links.append({"id": invitation.pk, "path": urlparse(services_invitations.invitation_link(invitation)).path})
        people.append({"role": "company", "email": f"company{n}", "links": links})
    return people


# ---------------------------------------------------------------------------------------------------------
# Checking the confirmed writes (subprocess, Django set up)
# ---------------------------------------------------------------------------------------------------------


def verify(writes_path: Path, wait: float, out: Path) -> None:
    """Look up every confirmed write (subprocess with the mode's environment); writes the verdict as JSON."""
    import django

    django.setup()
    out.write_text(json.dumps(writes_check(json.loads(writes_path.read_text()), wait)))


def writes_check(writes: list[dict], wait: float) -> dict:
    """Every confirmed write looked up in the database; report jobs waited for up to `wait` seconds.
    Returns {checked, report_jobs, report_wait_seconds, missing, unfinished}."""
    from coaching.models import CoachingSession
    from cohorts.models import Application, ApplicationStatus
    from core.jobs import JobStatus
    from mobility.models import B2BMeeting, Invitation, InvitationStatus
    from reporting.models import ReportJob

    missing: list[str] = []
    by_kind = defaultdict(list)
    for write in writes:
        by_kind[write["kind"]].append(write)

    apps = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[w["id"] for w in by_kind["application"]]).prefetch_related("documents")
    }
    for w in by_kind["application"]:
        a = apps.get(w["id"])
        if a is None or a.submitted_at is None or a.status == ApplicationStatus.DRAFT or not a.documents.all():
            missing.append(f"application {w['id']}: {'absent' if a is None else a.status}")

    tokens = [w["token"] for w in by_kind["session"]]
    found = defaultdict(list)
    for token, application_id in CoachingSession.objects.filter(client_token__in=tokens).values_list(
        "client_token", "application_id"
    ):
        found[str(token)].append(application_id)
    for w in by_kind["session"]:
        if found[w["token"]] != [w["application"]]:
            missing.append(f"coaching session {w['token']} (application {w['application']}): found {found[w['token']]}")

    invitations = {i.pk: i for i in Invitation.objects.filter(pk__in=[w["id"] for w in by_kind["invitation"]])}
    meetings = set(B2BMeeting.objects.filter(invitation_id__in=list(invitations)).values_list("invitation_id", flat=True))
    for w in by_kind["invitation"]:
        i = invitations.get(w["id"])
        expected = InvitationStatus.ACCEPTED if w["answer"] == "accept" else InvitationStatus.DECLINED
        if i is None or i.status != expected or i.answered_at is None:
            missing.append(f"invitation {w['id']} {w['answer']}: {'absent' if i is None else i.status}")
        elif w["answer"] == "accept" and i.pk not in meetings:
            missing.append(f"invitation {w['id']} accepted without its meeting")

    report_ids = sorted({w["id"] for w in by_kind["report"]})
    deadline = time.monotonic() + wait
    while True:
        jobs = {j.pk: j for j in ReportJob.objects.filter(pk__in=report_ids)}
        pending = [pk for pk in report_ids if pk in jobs and jobs[pk].status in (JobStatus.QUEUED, JobStatus.RUNNING)]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(1)
    waited = wait - max(0.0, deadline - time.monotonic())
    unfinished = []
    for pk in report_ids:
        job = jobs.get(pk)
        if job is None:
            missing.append(f"report job {pk}: absent")
        elif job.status != JobStatus.DONE or not job.file:
            unfinished.append(f"report job {pk}: {job.status} {job.error or ''}".strip())
    return {
        "checked": {k: len(v) for k, v in by_kind.items()},
        "report_jobs": len(report_ids),
        "report_wait_seconds": round(waited, 1),
        "missing": missing,
        "unfinished": unfinished,
    }


# ---------------------------------------------------------------------------------------------------------
# The simulated people (no Django here: plain HTTP, like a browser)
# ---------------------------------------------------------------------------------------------------------


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits) as an authenticator app computes it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@dataclasses.dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Recorder:
    """Every answer: (action, status, seconds); connection errors; the writes the server confirmed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, int, float]] = []
        self.errors: list[str] = []
        self.server_errors: list[str] = []
        self.client_errors: list[str] = []
        self.writes: list[dict] = []
        self.refused: dict[str, int] = defaultdict(int)
        self.refused_pages: dict[str, str] = {}
        self.login_seconds = 0.0
        self.window_seconds = 0.0

    def sample(self, action: str, status: int, seconds: float, url: str) -> None:
        with self.lock:
            self.samples.append((action, status, seconds))
            if status >= 500:
                self.server_errors.append(f"{status} {action} {url}")
            elif status >= 400:
                self.client_errors.append(f"{status} {action} {url}")

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def write(self, **write) -> None:
        with self.lock:
            self.writes.append(write)

    def refuse(self, what: str, response: Response | None = None) -> None:
        with self.lock:
            self.refused[what] += 1
            if response is not None and what not in self.refused_pages:
                self.refused_pages[what] = response.text


class Browser:
    """One person's browser: its own keep-alive connection and cookies, CSRF taken from the forms."""

    def __init__(self, base: str, recorder: Recorder, timeout: float = 120) -> None:
        parsed = urlparse(base)
        self.base = base.rstrip("/")
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.recorder = recorder
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Response:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.connection.close()
                self.connection = None
                # A keep-alive connection the server closed while idle: one new connection, as browsers do.
                if attempt == 1 and method == "GET":
                    continue
                raise ConnectionError(f"{method} {path}: {error!r}") from error
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    cookie, _, cookie_value = pair.partition("=")
                    if "max-age=0" in value.lower() or not cookie_value.strip('"'):
                        self.cookies.pop(cookie.strip(), None)
                    else:
                        self.cookies[cookie.strip()] = cookie_value
            if response_headers.get("connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return Response(raw.status, response_headers, data, path)
        raise AssertionError("unreachable")

    def request(self, action: str, method: str, path: str, *, data=None, files=None, headers: dict | None = None) -> Response:
        path = path if path.startswith("/") else urlparse(path).path
        send_headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "pem-load/1", "Accept-Language": "fr"}
        if self.cookies:
            send_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            send_headers["Referer"] = self.base + path
            send_headers["Origin"] = self.base
            token = self.cookies.get("csrftoken")
            fields = list(data.items() if isinstance(data, dict) else (data or []))
            if token and not any(k == "csrfmiddlewaretoken" for k, _ in fields):
                fields.append(("csrfmiddlewaretoken", token))
            if files:
                boundary = uuid.uuid4().hex
                chunks = []
                for name, value in fields:
                    chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
                for name, (filename, content, content_type) in files.items():
                    chunks.append(
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                        f"Content-Type: {content_type}\r\n\r\n".encode()
                        + content
                        + b"\r\n"
                    )
                chunks.append(f"--{boundary}--\r\n".encode())
                body = b"".join(chunks)
                send_headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urlencode(fields, doseq=True).encode()
                send_headers["Content-Type"] = "application/x-www-form-urlencoded"
        send_headers.update(headers or {})
        started = time.perf_counter()
        try:
            response = self._send(method, path, body, send_headers)
        except (OSError, http.client.HTTPException) as error:
            self.recorder.error(f"{action}: {error!r}")
            raise
        self.recorder.sample(action, response.status, time.perf_counter() - started, path)
        return response

    def get(self, action: str, path: str, **kw) -> Response:
        return self.request(action, "GET", path, **kw)

    def post(self, action: str, path: str, data, **kw) -> Response:
        return self.request(action, "POST", path, data=data, **kw)


def form_fields(html: str, *, contains: str | None = None) -> tuple[str, list[tuple[str, str]], dict]:
    """(action, default values, options per select/radio/checkbox name) of the page's first POST form (or the
    first whose HTML holds `contains`), as a browser would send it unchanged."""
    import lxml.html

    document = lxml.html.fromstring(html)
    for form in document.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        if contains and contains not in lxml.html.tostring(form, encoding="unicode"):
            continue
        options: dict[str, list[str]] = defaultdict(list)
        for element in form.inputs:
            name = element.get("name")
            if not name:
                continue
            if element.tag == "select":
                options[name] += [o.get("value", o.text or "") for o in element.iter("option")]
            elif element.get("type") in ("radio", "checkbox"):
                options[name].append(element.get("value", "on"))
        return form.get("action") or "", list(form.form_values()), options
    raise LookupError("no POST form on the page")


def merged(defaults: list[tuple[str, str]], values: dict) -> list[tuple[str, str]]:
    """The form's defaults with `values` replacing every field they name (lists for multiple values)."""
    kept = [(k, v) for k, v in defaults if k not in values]
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            kept.append((key, item))
    return kept


class Stop(Exception):
    pass


class Person:
    def __init__(self, spec: dict, base: str, recorder: Recorder, clock: dict, rng: random.Random, pdf: bytes):
        self.spec, self.recorder, self.clock, self.rng, self.pdf = spec, recorder, clock, rng, pdf
        self.browser = Browser(base, recorder)

    def check_time(self) -> None:
        if time.monotonic() >= self.clock["until"]:
            raise Stop

    def login(self) -> None:
        b = self.browser
        page = b.get("login", "/accounts/login/")
        _, defaults, _ = form_fields(page.text)
        response = b.post(
            "login", "/accounts/login/", merged(defaults, {"username": self.spec["email"], "password": self.spec["password"]})
        )
        if response.status != 302:
            raise RuntimeError(f"login of {self.spec['email']} refused ({response.status})")
        if "totp_key" in self.spec:
            page = b.get("login", "/accounts/mfa/verify/")
            _, defaults, _ = form_fields(page.text)
            response = b.post("login", "/accounts/mfa/verify/", merged(defaults, {"token": totp(self.spec["totp_key"])}))
            if response.status != 302:
                raise RuntimeError(f"second factor of {self.spec['email']} refused ({response.status})")

    def run(self, barrier: threading.Barrier) -> None:
        """Log in, wait until everybody has (the timed window starts then), then act until it ends."""
        logged_in = False
        try:
            self.login()
            logged_in = True
        except (OSError, http.client.HTTPException):
            pass  # recorded by the browser
        except Exception as error:  # noqa: BLE001 - recorded, not raised
            self.recorder.error(f"{self.spec['role']} {self.spec['email']}: {error!r}")
        try:
            barrier.wait(timeout=900)
        except threading.BrokenBarrierError:
            return
        if not logged_in:
            return
        try:
            while True:
                self.check_time()
                actions = self.actions()
                names, weights = zip(*actions)
                getattr(self, self.rng.choices(names, weights)[0])()
        except Stop:
            pass
        except (OSError, http.client.HTTPException):
            pass  # recorded by the browser
        except Exception as error:  # noqa: BLE001 - a scenario that cannot go on is recorded, not raised
            self.recorder.error(f"{self.spec['role']} {self.spec['email']}: {error!r}")

    # Reading pages, the same for everybody (what each role's menu leads to).
    READS = {
        "entrepreneur": ["/", "/candidatures/", "/accompagnement/"],
        "coach": ["/", "/coach/", "/coach/evenements/"],
        "staff": ["/", "/equipe/candidatures/", "/rapports/tableau-de-bord/", "/equipe/voyages/", "/rapports/reports/"],
        "committee": ["/", "/rapports/tableau-de-bord/", "/rapports/indicateurs/", "/rapports/reports/"],
    }

    def read(self) -> None:
        path = self.rng.choice(self.READS[self.spec["role"]])
        self.browser.get("read " + path, path)


class Entrepreneur(Person):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = list(self.spec["cohorts"])
        self.rng.shuffle(self.cohorts)

    def actions(self):
        return [("apply", 3 if self.cohorts else 0), ("read", 1)]

    def apply(self) -> None:
        b = self.browser
        cohort = self.cohorts.pop()
        start = f"/appels/{cohort}/candidater/"
        page = b.get("apply start", start)
        if page.status != 200:
            return self.recorder.refuse(f"apply start {page.status}", page)
        response = b.post("apply start", start, form_fields(page.text, contains="csrfmiddlewaretoken")[1])
        match = re.search(r"/candidatures/(\d+)/etape/1/", response.location)
        if response.status != 302 or not match:
            return self.recorder.refuse(f"apply start {response.status}", response)
        pk = int(match.group(1))
        values = {
            1: {
                "gender": self.rng.choice(["woman", "man"]),
                "age_band": "25-34",
                "education": "bachelor",
                "country_of_residence": "SN",
                "phone": "+221 77 000 00 00",
            },
            2: {
                "name": f"Entreprise de charge {pk}",
                "legal_form": "sarl",
                "country": "SN",
                "ninea": "",
                "rccm": "",
                "sector": "agrifood",
                "city": "Kaolack",
                "year_founded": "2020",
                "turnover_band": "10-50m",
                "employees": "4",
                "description": "Transformation de céréales locales",
            },
            3: {
                "partnership_types": ["export"],
                "partnership_sought": "Un distributeur en Belgique",
                "target_markets": "Belgique, France",
                "motivation": "Trouver des partenaires",
            },
            4: {"gender_commitment": "60 % de femmes", "environmental_commitment": "Emballages recyclables"},
        }
        for step in (1, 2, 3, 4):
            url = f"/candidatures/{pk}/etape/{step}/"
            page = b.get(f"apply step {step}", url)
            marker = {1: 'name="gender"', 2: 'name="region"', 3: 'name="motivation"', 4: 'name="gender_commitment"'}[step]
            _, defaults, options = form_fields(page.text, contains=marker)
            data = dict(values[step])
            if step == 2:
                regions = [o for o in options.get("region", []) if o]
                data["region"] = regions[0] if regions else ""
            response = b.post(f"apply step {step}", url, merged(defaults, {**data, "action": "next"}))
            if response.status != 302 or f"/etape/{step + 1}/" not in response.location:
                return self.recorder.refuse(f"apply step {step} {response.status}", response)
        url = f"/candidatures/{pk}/etape/5/"
        page = b.get("apply step 5", url)
        response = b.post(
            "apply step 5 upload",
            url,
            {"kind": "business_plan", "action": "next"},
            files={"file": ("plan.pdf", self.pdf, "application/pdf")},
        )
        if response.status != 302 or "/etape/6/" not in response.location:
            return self.recorder.refuse(f"apply step 5 {response.status}", response)
        url = f"/candidatures/{pk}/etape/6/"
        page = b.get("apply step 6", url)
        response = b.post("apply submit", url, {"declaration": "on", "follow_up_consent": "on", "action": "submit"})
        if response.status == 302 and response.location.rstrip("/").endswith(f"/candidatures/{pk}"):
            detail = b.get("apply detail", response.location)
            if detail.status == 200:
                self.recorder.write(kind="application", id=pk)
                return None
        return self.recorder.refuse(f"apply submit {response.status}", response)


class CoachPerson(Person):
    def actions(self):
        return [("log_session", 3), ("read", 2)]

    def log_session(self) -> None:
        b = self.browser
        application = self.rng.choice(self.spec["applications"])
        url = f"/coach/entrepreneurs/{application}/seance/"
        page = b.get("coaching form", url)
        _, defaults, options = form_fields(page.text, contains="client_token")
        token = str(uuid.uuid4())  # the offline form's own token (static/js/offline-form.js keeps the page's)
        data = merged(
            defaults,
            {
                "client_token": token,
                "duration_minutes": self.rng.choice(["30", "45", "60", "90"]),
                "topic_tags": self.rng.sample([o for o in options.get("topic_tags", []) if o], k=1)
                if options.get("topic_tags")
                else [],
                "summary": "Point sur le plan de mobilité et les prospects belges.",
                "action_1_title": "Préparer la fiche produit",
            },
        )
        response = b.post("coaching log", url, data)
        if response.status != 302:
            return self.recorder.refuse(f"coaching log {response.status}", response)
        self.recorder.write(kind="session", token=token, application=application)
        if self.rng.random() < 0.3:
            # The offline path: the phone lost the answer and sends the same form again when back online.
            again = b.post("coaching resend", url, data)
            if again.status != 302:
                self.recorder.refuse(f"coaching resend {again.status}", again)
        b.get("coaching entrepreneur", f"/coach/entrepreneurs/{application}/")
        return None


class Company(Person):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = list(self.spec["links"])
        self.answered: list[str] = []

    def login(self) -> None:
        pass  # a Belgian company has no account: its link is its key

    def actions(self):
        return [("answer", 4 if self.links else 0), ("reopen", 1 if self.answered else 0), ("idle", 1)]

    def idle(self) -> None:
        time.sleep(0.2)

    def reopen(self) -> None:
        """An answered link opened again: a clear page, never an error."""
        self.browser.get("invitation reopened", self.rng.choice(self.answered))

    def answer(self) -> None:
        b = self.browser
        link = self.links.pop()
        page = b.get("invitation open", link["path"])
        if page.status != 200:
            return self.recorder.refuse(f"invitation open {page.status}", page)
        if self.rng.random() < 0.6:
            _, defaults, options = form_fields(page.text, contains='value="accept"')
            slots = [o for o in options.get("slot", []) if o]
            data, answer = merged(defaults, {"answer": "accept", "slot": slots[0] if slots else ""}), "accept"
        else:
            _, defaults, options = form_fields(page.text, contains='value="decline"')
            reasons = [o for o in options.get("reason", []) if o]
            data, answer = merged(defaults, {"answer": "decline", "reason": reasons[0], "details": "Pas cette fois."}), "decline"
        response = b.post("invitation " + answer, link["path"], data)
        if (
            response.status == 200
            and 'value="accept"' not in response.text
            and "<form" not in response.text.split("<main", 1)[-1].split("</main>", 1)[0]
        ):
            self.recorder.write(kind="invitation", id=link["id"], answer=answer)
            self.answered.append(link["path"])
        else:
            self.recorder.refuse(f"invitation {answer} {response.status}", response)
        return None


class Reporter(Person):
    def actions(self):
        return [("request_report", 1), ("read", 4)]

    def request_report(self) -> None:
        b = self.browser
        page = b.get("report list", "/rapports/reports/")
        _, defaults, options = form_fields(page.text, contains='name="kind"')
        programme_options = [o for o in options.get("programme", []) if o]
        html = page.text
        wecco = re.search(r'<option value="(\d+)"[^>]*>[^<]*WECCO', html)
        programme = wecco.group(1) if wecco else programme_options[0]
        kind = self.rng.choice(["committee", "cohort"])
        cohort = ""
        if kind == "cohort":
            match = re.search(r'<option value="(\d+)"[^>]*>[^<]*WECCO[^<]*', html.split('name="cohort"', 1)[-1])
            cohort = match.group(1) if match else ""
            if not cohort:
                kind = "committee"
        data = merged(
            defaults, {"kind": kind, "programme": programme, "cohort": cohort, "language": self.rng.choice(["fr", "en"])}
        )
        response = b.post("report request", "/rapports/reports/request/", data)
        match = re.search(r"/rapports/reports/(\d+)/$", response.location)
        if response.status == 302 and match:
            self.recorder.write(kind="report", id=int(match.group(1)))
            b.get("report status", response.location)
        else:
            self.recorder.refuse(f"report request {response.status}", response)


KINDS = {"entrepreneur": Entrepreneur, "coach": CoachPerson, "company": Company, "staff": Reporter, "committee": Reporter}


def run_load(base: str, people: list[dict], pdf: bytes, seconds: float, seed: int = 10) -> Recorder:
    """The core: every person in a thread against `base`. All log in at once (the login phase, timed on its
    own: password hashing is deliberately slow), then act for `seconds`; returns what was recorded."""
    recorder = Recorder()
    clock = {"until": float("inf")}
    started = time.monotonic()

    def window_opens() -> None:
        recorder.login_seconds = time.monotonic() - started
        clock["until"] = time.monotonic() + seconds

    barrier = threading.Barrier(len(people), action=window_opens)
    rng = random.Random(seed)
    persons = [KINDS[spec["role"]](spec, base, recorder, clock, random.Random(rng.random()), pdf) for spec in people]
    threads = [threading.Thread(target=person.run, args=(barrier,), daemon=True) for person in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900 + seconds + 600)
    # An action begun in the window is finished (a half-filled application is not what people do): the
    # window's real length is from its opening to the last answer.
    recorder.window_seconds = time.monotonic() - started - recorder.login_seconds
    return recorder


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[index]


def summarise(recorder: Recorder, seconds: float) -> dict:
    per_action = defaultdict(list)
    statuses = defaultdict(int)
    window = [sample for sample in recorder.samples if sample[0] != "login"]
    for action, status, duration in recorder.samples:
        group = re.sub(r"^read .*", "read pages", action)
        per_action[group].append(duration)
        statuses[status // 100 * 100] += 1
    writes = defaultdict(int)
    for write in recorder.writes:
        writes[write["kind"]] += 1
    return {
        "requests": len(window),
        "rps": round(len(window) / max(recorder.window_seconds, seconds, 0.001), 1),
        "window_seconds": round(max(recorder.window_seconds, seconds), 1),
        "login_requests": len(recorder.samples) - len(window),
        "login_seconds": round(recorder.login_seconds, 1),
        "statuses": {f"{k // 100}xx": v for k, v in sorted(statuses.items())},
        "server_errors": recorder.server_errors,
        "client_errors": recorder.client_errors,
        "connection_errors": recorder.errors,
        "writes": dict(writes),
        "refused": dict(recorder.refused),
        "actions": {
            name: {
                "n": len(d),
                "p50_ms": round(statistics.median(d) * 1000),
                "p95_ms": round(percentile(d, 0.95) * 1000),
            }
            for name, d in sorted(per_action.items())
        },
    }


# ---------------------------------------------------------------------------------------------------------
# Orchestration: database, servers, load, checks, report
# ---------------------------------------------------------------------------------------------------------


def _subprocess_env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update(extra)
    env.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    return env


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("pem_load"):
        raise SystemExit(f"refusing to use database {name!r}: the load check's database names start with pem_load")
    connection = psycopg2.connect(
        dbname="postgres", user=parsed.username or "postgres", password=parsed.password,
        host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
    )  # fmt: skip
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    parsed = urlparse(url)
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer within {seconds:.0f} s")


def mode_env(mode: str, work: Path, port: int) -> dict:
    """The environment of every process of the mode (prepare, server, worker, verify)."""
    common = {"MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private_media"), "PYTHONUNBUFFERED": "1"}
    if mode == "pg":
        redis_db = os.environ.get("LOAD_REDIS_DB", "10")
        redis = f"redis://127.0.0.1:6379/{redis_db}"
        key = os.environ.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50)
        from cryptography.fernet import Fernet

        return {
            **common,
            "DEBUG": "0",
            "SECRET_KEY": key,
            "FIELD_ENCRYPTION_KEYS": os.environ.get("LOAD_FIELD_ENCRYPTION_KEYS") or Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on the loopback (production has TLS in front): cookies without the Secure flag.
            "SECURE_COOKIES": "0",
            "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pem_load"),
            "REDIS_URL": redis,
            "CELERY_BROKER_URL": redis,
            "CELERY_TASK_DEFAULT_QUEUE": "pem-load",
            "STATIC_ROOT": str(work / "static"),
            # The manifest (hashed names) as in production, without writing a compressed copy of each of the
            # 1,400 files: pages are what is measured, not static files.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
    return {
        **common,
        # The defaults of `make demo`, in a folder of the run's own (never the developer's db.sqlite3).
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "CELERY_BROKER_DIR": str(work / "broker"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(work / "beat-schedule"),
        "FRIENDLY_ERROR_PAGES": "true",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }


def run_mode(mode: str, users: int, seconds: float, port: int, invitations: int) -> dict:
    work = Path(os.environ.get("LOAD_WORK_DIR") or tempfile.mkdtemp(prefix=f"pem-load-{mode}-"))
    work.mkdir(parents=True, exist_ok=True)
    env = _subprocess_env(mode_env(mode, work, port))
    if mode == "pg":
        ensure_database(env["DATABASE_URL"])
        subprocess.run(["redis-cli", "-n", os.environ.get("LOAD_REDIS_DB", "10"), "flushdb"], check=False, capture_output=True)
    print(f"[{mode}] preparing the database ({work})", flush=True)
    accounts = work / "accounts.json"
    subprocess.run([PYTHON, __file__, "_prepare", str(users), str(invitations), str(accounts)], env=env, cwd=ROOT, check=True)
    prepared = json.loads(accounts.read_text())
    base = f"http://127.0.0.1:{port}"
    logs = {name: open(work / f"{name}.log", "wb") for name in ("web", "worker")}  # noqa: SIM115
    if mode == "pg":
        web = [
            PYTHON, "-m", "gunicorn", "pemwecco.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", os.environ.get("LOAD_WORKERS", "3"), "--timeout", "60", "--no-control-socket",
        ]  # fmt: skip
        worker = [PYTHON, "-m", "celery", "-A", "pemwecco", "worker", "-l", "info", "--concurrency", "2"]
    else:
        web = [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
        worker = [PYTHON, "-m", "celery", "-A", "pemwecco", "worker", "-B", "-l", "info", "--concurrency", "1"]
    processes = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs[name], stderr=subprocess.STDOUT, start_new_session=True)
        for name, command in (("web", web), ("worker", worker))
    ]
    try:
        wait_http(base, 90)
        load_before = round(os.getloadavg()[0], 1)
        print(f"[{mode}] {users} simulated people for {seconds:.0f} s against {' '.join(web[1:4])}", flush=True)
        started = time.monotonic()
        recorder = run_load(base, prepared["people"], base64.b64decode(prepared["pdf"]), seconds)
        elapsed = time.monotonic() - started
        summary = summarise(recorder, seconds)
        summary.update(mode=mode, users=users, seconds=seconds, elapsed=round(elapsed, 1), web=" ".join(web[1:]))
        summary.update(cores=os.cpu_count(), load_before=load_before)
        summary["prepare_seconds"] = round(prepared["seconds"], 1)
        writes = work / "writes.json"
        writes.write_text(json.dumps(recorder.writes))
        for n, (what, page) in enumerate(recorder.refused_pages.items()):
            (work / f"refused-{n}.html").write_text(f"<!-- {what} -->\n{page}")
        verdict_path = work / "verdict.json"
        subprocess.run(
            [PYTHON, __file__, "_verify", str(writes), os.environ.get("LOAD_REPORT_WAIT", "120"), str(verdict_path)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        summary["verify"] = json.loads(verdict_path.read_text())
        for name in ("web", "worker"):
            logs[name].flush()
        log_text = (work / "web.log").read_text(errors="replace") + (work / "worker.log").read_text(errors="replace")
        summary["database_locked"] = log_text.count("database is locked")
        summary["tracebacks"] = log_text.count("Traceback (most recent call last)")
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in logs.values():
            log.close()
    summary["work"] = str(work)
    if not os.environ.get("LOAD_KEEP") and not os.environ.get("LOAD_WORK_DIR") and summary_ok(summary):
        shutil.rmtree(work, ignore_errors=True)
    return summary


def summary_ok(summary: dict) -> bool:
    verify = summary.get("verify", {})
    return not (
        summary["server_errors"]
        or summary["connection_errors"]
        or verify.get("missing")
        or verify.get("unfinished")
        or summary.get("database_locked")
        or summary.get("tracebacks")
    )


def markdown(summaries: list[dict], command: str) -> str:
    lines = [
        "# Load check",
        "",
        "Written by `bench/load.py` (`make load`). Simulated people log in all at once (staff and committee with",
        "their TOTP code), then, for the timed window, loop over weighted actions of their role: entrepreneurs",
        "fill and submit applications (six steps, a PDF uploaded), coaches log coaching sessions (30 % sent twice with the same form token, as the offline form does),",
        "Belgian companies accept or decline invitations from their personal links, staff and committee members",
        "request reports (PDF jobs for the Celery worker); everybody reads pages. Every confirmed write is then",
        "looked up in the database, and every report job must be done.",
        "",
        f"Command: `{command}`",
        "",
    ]
    for s in summaries:
        verify = s.get("verify", {})
        lines += [
            f"## {'PostgreSQL, gunicorn, Redis' if s['mode'] == 'pg' else 'Embedded default (SQLite, filesystem broker)'}"
            f": {s['users']} users, {s['seconds']:.0f} s — {'PASS' if summary_ok(s) else 'FAIL'}",
            "",
            f"- server: `{s['web']}` and a Celery worker",
            f"- machine: {s.get('cores')} cores, load average {s.get('load_before')} just before the run"
            " (the load generator and every other process included)",
            f"- login phase (everybody at once, before the timed window): {s['login_requests']} requests in"
            f" {s['login_seconds']} s",
            f"- timed window: new actions begun for {s['seconds']:.0f} s, the last one finished after"
            f" {s['window_seconds']} s: {s['requests']} requests ({s['rps']} per second);"
            f" statuses of all requests {s['statuses']}",
            f"- 5xx: {len(s['server_errors'])}; connection errors: {len(s['connection_errors'])};"
            f" 'database is locked' in the logs: {s.get('database_locked', 0)}; tracebacks in the logs: {s.get('tracebacks', 0)}",
            f"- confirmed writes: {s['writes']}; checked in the database: {verify.get('checked', {})};"
            f" missing: {len(verify.get('missing', []))}",
            f"- report jobs: {verify.get('report_jobs', 0)}, unfinished after the load: {len(verify.get('unfinished', []))}"
            f" (waited {verify.get('report_wait_seconds', 0)} s)",
            f"- refused by the server (4xx or a form error, not counted as writes): {s['refused'] or 'none'}",
            f"- 4xx answers: {len(s['client_errors'])} {sorted({e.split(' /')[0] for e in s['client_errors']})}",
            "",
            "| action | requests | p50 ms | p95 ms |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {name} | {a['n']} | {a['p50_ms']} | {a['p95_ms']} |" for name, a in s["actions"].items()]
        problems = s["server_errors"][:10] + s["connection_errors"][:10] + verify.get("missing", [])[:10]
        problems += verify.get("unfinished", [])[:10]
        if problems:
            lines += ["", "Problems:", "", *[f"- {p}" for p in problems]]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["_prepare"]:
        sys.path.insert(0, str(ROOT))
        prepare(int(argv[1]), int(argv[2]), Path(argv[3]))
        return 0
    if argv[:1] == ["_verify"]:
        sys.path.insert(0, str(ROOT))
        verify(Path(argv[1]), float(argv[2]), Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["pg", "embedded", "both"], default="both")
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 0)) or None)
    parser.add_argument("--embedded-users", type=int, default=int(os.environ.get("LOAD_EMBEDDED_USERS", 10)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", 60)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8180)))
    parser.add_argument("--invitations", type=int, default=int(os.environ.get("LOAD_INVITATIONS", 25)))
    parser.add_argument("--output", default=os.environ.get("LOAD_OUTPUT", str(ROOT / "bench" / "LOAD.md")))
    args = parser.parse_args(argv)
    modes = ["pg", "embedded"] if args.mode == "both" else [args.mode]
    summaries = []
    for n, mode in enumerate(modes):
        users = args.users if (args.users and (mode == "pg" or args.mode == "embedded")) else None
        users = users or (50 if mode == "pg" else args.embedded_users)
        summary = run_mode(mode, users, args.seconds, args.port + n, args.invitations)
        summaries.append(summary)
        print(json.dumps({k: v for k, v in summary.items() if k != "actions"}, indent=1, ensure_ascii=False)[:4000])
        for name, a in summary["actions"].items():
            print(f"  {name:<28} n={a['n']:<6} p50={a['p50_ms']:>6} ms  p95={a['p95_ms']:>6} ms")
    command = " ".join(["bench/load.py", *argv]) if argv else "make load"
    text = markdown(summaries, command)
    Path(args.output).write_text(text)
    print(text)
    return 0 if all(summary_ok(s) for s in summaries) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
