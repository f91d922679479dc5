"""Speed check of the Belgian company directory on 1,000 companies and 20,000 B2B meetings (PostgreSQL).

    psql -h 127.0.0.1 -U postgres -c 'create database pem_bench_dir'   # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_dir .venv/bin/python bench/directory_bench.py

Creates the database if missing, migrates, builds 1,000 Belgian companies (2,000 contacts, three relay
agencies, regions, sectors and languages spread) and 20,000 meetings spread over them (through 200 trips
of 200 applications) with bulk_create, then times the directory through Django's test Client as a
logged-in staff member, DEBUG off: one warm-up (counting the queries), then the median of 10 runs. Exits
non-zero if a median is 300 ms or more. Also reports the CSV export of the 1,000 rows (no limit).
Re-running reuses the data already built.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMPANIES = 1_000
MEETINGS = 20_000
TRIPS = 200
LIMIT_MS = 300
RUNS = 10


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg2.connect(
        dbname="postgres", user=parsed.username or "postgres", password=parsed.password,
        host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
    )  # fmt: skip
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
    connection.close()


def build() -> None:
    import datetime

    from django.utils import timezone

    from cohorts.models import Application, ApplicationStatus, Cohort, Programme
    from mobility.models import B2BMeeting, Trip
    from partners.models import (
        AgeBand,
        BelgianRegion,
        Company,
        CompanyLanguage,
        Education,
        Entrepreneur,
        Gender,
        Organisation,
        OrganisationContact,
        OrganisationKind,
        Sector,
        TurnoverBand,
    )  # fmt: skip
    from partners.validators import enterprise_number_check_digits

    if Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY, name__startswith="Bench ").count() >= COMPANIES:
        print("data already built")
        return
    random.seed(2024)
    agencies = {}
    for region, (name, short) in {
        BelgianRegion.WALLONIA: ("Agence wallonne à l'Exportation", "AWEX"),
        BelgianRegion.FLANDERS: ("Flanders Investment & Trade", "FIT"),
        BelgianRegion.BRUSSELS: ("hub.brussels", "hub.brussels"),
    }.items():
        agencies[region], _ = Organisation.objects.get_or_create(
            name=name, country="BE", defaults={"short_name": short, "kind": OrganisationKind.SUPPORT_AGENCY}
        )
    cities = {BelgianRegion.BRUSSELS: ["Bruxelles", "Ixelles", "Anderlecht"], BelgianRegion.FLANDERS: ["Gent", "Antwerpen", "Leuven"],
              BelgianRegion.WALLONIA: ["Liège", "Namur", "Mons"]}  # fmt: skip
    companies = []
    for index in range(COMPANIES):
        region = random.choices(list(agencies), [30, 30, 40])[0]
        first_eight = f"{3_000_000 + index * 13:08d}"
        companies.append(Organisation(
            name=f"Bench {index:04d} {random.choice(['SRL', 'SA', 'BV', 'NV'])}", kind=OrganisationKind.BELGIAN_COMPANY,
            country="BE", belgian_region=region, city=random.choice(cities[region]), sector=random.choice(Sector.values),
            relay_agency=agencies[region] if random.random() < 0.8 else None,
            enterprise_number=first_eight + f"{enterprise_number_check_digits(first_eight):02d}",
            languages=sorted(random.sample(CompanyLanguage.values, random.randint(1, 3)), key=CompanyLanguage.values.index),
            is_fictitious=True,
        ))  # fmt: skip
    companies = Organisation.objects.bulk_create(companies, batch_size=1000)
    contacts = [
        OrganisationContact(
            organisation=company,
            full_name=f"Contact {number} de {company.name}",
            email=f"c{number}@bench{company.pk}.example.be",
            language=random.choice(["fr", "nl", "en"]),
            is_fictitious=True,
        )  # fmt: skip
        for company in companies
        for number in range(2)
    ]
    OrganisationContact.objects.bulk_create(contacts, batch_size=2000)

    now = timezone.now()
    programme, _ = Programme.objects.get_or_create(
        code="bench-dir",
        defaults={"name": "Programme de mesure (annuaire)", "starts_on": datetime.date(2021, 1, 1),
                  "ends_on": datetime.date(2026, 12, 31), "origin_country": "SN"},
    )  # fmt: skip
    cohort, _ = Cohort.objects.get_or_create(
        programme=programme, number=1,
        defaults={"name": "Cohorte 1", "call_opens_at": now - datetime.timedelta(days=800),
                  "call_closes_at": now - datetime.timedelta(days=700)},
    )  # fmt: skip
    firms = Company.objects.bulk_create([
        Company(name=f"Bench SN {index}", legal_form="sarl", sector=random.choice(Sector.values), country="SN",
                year_founded=2015, turnover_band=TurnoverBand.FROM_10_TO_50M, is_fictitious=True)
        for index in range(TRIPS)
    ])  # fmt: skip
    people = Entrepreneur.objects.bulk_create([
        Entrepreneur(first_name=f"Prénom{index}", last_name=f"Nom{index}", email=f"bench-dir-{index}@example.sn",
                     gender=random.choice(Gender.values), age_band=AgeBand.FROM_35_TO_44, education=Education.MASTER,
                     company=firm, country_of_residence="SN", is_fictitious=True)
        for index, firm in enumerate(firms)
    ])  # fmt: skip
    applications = Application.objects.bulk_create([
        Application(cohort=cohort, entrepreneur=person, company=person.company, status=ApplicationStatus.SELECTED,
                    submitted_at=now - datetime.timedelta(days=720))
        for person in people
    ])  # fmt: skip
    trips = Trip.objects.bulk_create([
        Trip(application=application, departs_on=datetime.date(2023, 5, 1), returns_on=datetime.date(2026, 12, 31), cities="Bruxelles")
        for application in applications
    ])  # fmt: skip
    meetings = []
    for _index in range(MEETINGS):
        # Two thirds already held, one third to come.
        starts = now + datetime.timedelta(hours=random.randint(-24 * 900, 24 * 400))
        meetings.append(B2BMeeting(trip=random.choice(trips), organisation=random.choice(companies), starts_at=starts,
                                   ends_at=starts + datetime.timedelta(hours=1), city="Bruxelles"))  # fmt: skip
    B2BMeeting.objects.bulk_create(meetings, batch_size=5000)
    print(f"built {len(companies)} companies, {len(contacts)} contacts, {len(meetings)} meetings")


def timed(client, url: str, params: dict) -> tuple[float, float, int, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # warm-up, counting the queries
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    durations, cpu = [], []
    for _run in range(RUNS):  # timed without query logging, as in production
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        durations.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(durations), statistics.median(cpu), len(queries), len(response.content)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_dir", file=sys.stderr)
        return 2
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("MFA_ENFORCED", "0")  # the bench logs in with force_login, without a second factor
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from partners.models import Organisation

    setup_test_environment()  # the test Client in a script: ALLOWED_HOSTS gets 'testserver'
    override_settings(DEBUG=False).enable()  # as in production: Django does not log every query
    call_command("migrate", verbosity=0)
    build()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have gathered them after a bulk load
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(staff)
    directory = reverse("mobility:directory")
    fit = Organisation.objects.get(short_name="FIT", country="BE")
    results = {
        "directory (all 1,000, page 1, by name)": timed(client, directory, {}),
        "directory sorted by meetings (page 2)": timed(client, directory, {"sort": "-meetings", "page": 2}),
        "search: a name part ('0042')": timed(client, directory, {"q": "0042"}),
        "search: an enterprise number (BE 0300.0...)": timed(client, directory, {"q": "BE 0300.05"}),
        "search: a contact name": timed(client, directory, {"q": "Contact 1 de Bench 0999"}),
        "filtered: Flanders, FIT, Dutch, met": timed(
            client, directory, {"region": "flanders", "relay": fit.pk, "language": "nl", "met": "met"}
        ),
        "filtered: never met, sorted by meetings": timed(client, directory, {"met": "never", "sort": "-meetings"}),
    }
    failed = False
    # On a shared machine the wall-clock time includes waiting for a CPU: the load average and this
    # process's own CPU time (Python: views, templates; the database's time is not in it) say how much.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, (median, cpu, queries, size) in results.items():
        verdict = "ok" if median < LIMIT_MS else "TOO SLOW"
        failed |= median >= LIMIT_MS
        print(f"{label:48} median {median:7.1f} ms (CPU {cpu:6.1f} ms)  {queries:3} queries  {size / 1024:6.1f} KiB  {verdict}")
    start = time.perf_counter()
    response = client.get(reverse("mobility:directory_export"), {"format": "csv"})
    print(
        f"{'export of 1,000 rows (csv)':48} {(time.perf_counter() - start) * 1000:7.1f} ms  {len(response.content) / 1024:8.1f} KiB (no limit)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
