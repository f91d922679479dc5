"""The load check's core (bench/load.py, `make load`) at a small scale, so that the script cannot rot: five
simulated people for a few seconds against a live server (each role: an entrepreneur who applies, a coach
who logs sessions, a Belgian company answering its links, staff and a committee member requesting
reports), then every confirmed write looked up in the database.

On PostgreSQL only (CI): the live server's threads share one connection on the in-memory SQLite test
database, which is not what the embedded default runs (`make load` checks that one with real processes)."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import OutgoingEmail
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory
from mobility.tests.factories import MobilityPlanFactory
from partners.tests.factories import BelgianCompanyFactory, OrganisationFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


def _world() -> str:
    """What the load people need, as the demo has it: selected applications with a mobility plan, Belgian
    companies, an incubator, an open call."""
    programme = ProgrammeFactory(code="load-check")
    cohort = CohortFactory(programme=programme)
    for _ in range(2):
        MobilityPlanFactory(application=ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.SELECTED))
    BelgianCompanyFactory.create_batch(6)
    OrganisationFactory()
    return programme.code


def test_five_people_for_a_few_seconds_give_no_error_and_every_write_is_stored(live_server):
    if connection.vendor != "postgresql":
        pytest.skip("the live server shares one SQLite connection between threads: PostgreSQL only (CI)")
    load = _load_module()
    people = load.people_create(users=5, invitations_per_company=6, programme_code=_world())
    assert {p["role"] for p in people} == {"entrepreneur", "coach", "company", "staff", "committee"}

    recorder = load.run_load(live_server.url, people, load._pdf(), seconds=6, seed=3)
    summary = load.summarise(recorder, 6)
    verdict = load.writes_check(recorder.writes, wait=20)

    assert summary["server_errors"] == [] and summary["connection_errors"] == []
    assert summary["requests"] > 20
    # Each role got through its scenario at least once, and the server confirmed those writes.
    assert {"login", "coaching log", "invitation open"} <= set(summary["actions"]), summary["actions"]
    assert summary["writes"].get("session", 0) >= 1
    assert verdict["missing"] == [] and verdict["unfinished"] == []
    assert sum(verdict["checked"].values()) == len(recorder.writes)
    assert OutgoingEmail.objects.exists()


def test_a_write_the_database_does_not_have_is_reported_missing():
    load = _load_module()
    verdict = load.writes_check(
        [
            {"kind": "application", "id": 987654},
            {"kind": "session", "token": "00000000-0000-0000-0000-000000000001", "application": 1},
            {"kind": "invitation", "id": 987654, "answer": "accept"},
            {"kind": "report", "id": 987654},
        ],
        wait=0,
    )
    assert len(verdict["missing"]) == 4, verdict


def test_the_authenticator_code_is_the_one_django_otp_accepts():
    from django_otp.oath import TOTP

    load = _load_module()
    key = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
    assert load.totp(key, at=59) == "287082"
    expected = TOTP(bytes.fromhex(key))
    expected.time = 1_111_111_109
    assert load.totp(key, at=1_111_111_109) == f"{expected.token():06d}"
