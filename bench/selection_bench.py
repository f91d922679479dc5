"""Speed check of the staff pages on 10,000 applications (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench .venv/bin/python bench/selection_bench.py

Creates the database if missing, migrates, builds 10,000 applications (entrepreneurs, companies,
reviews spread over genders, regions, diaspora, sectors, statuses) with bulk_create, then times the
staff application list and the selection analysis through Django's test Client as a logged-in staff
member: one warm-up, then the median of 10 runs. Exits non-zero if either median is 300 ms or more.
Also reports (without a limit) the CSV/XLSX export of the 10,000 rows. The import is measured by
bench/import_ratio.py (against a bulk insert of the same rows) and `make bench` (bench/run.py).
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

APPLICATIONS = 10_000
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


def build(programme_code: str = "bench", applications: int = APPLICATIONS) -> None:
    """`applications` applications in the programme `programme_code` (names and e-mails prefixed by the
    code, so that programmes of several sizes share one database; "bench" keeps its original names)."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from cohorts.models import (
        Application,
        ApplicationSource,
        ApplicationStatus,
        Cohort,
        EligibilityCriterion,
        Programme,
        Review,
    )  # fmt: skip
    from partners.models import AgeBand, Company, Education, Entrepreneur, Gender, Region, RegionGroup, Sector, TurnoverBand

    if Application.objects.filter(cohort__programme__code=programme_code).count() >= applications:
        print("data already built")
        return
    random.seed(2024)
    prefix = "bench" if programme_code == "bench" else programme_code
    programme, _ = Programme.objects.get_or_create(
        code=programme_code,
        defaults={
            "name": "Programme de mesure" if programme_code == "bench" else f"Programme de mesure ({programme_code})",
            "starts_on": datetime.date(2021, 1, 1),
            "ends_on": datetime.date(2025, 12, 31),
            "origin_country": "SN",
            "watched_region_group": RegionGroup.objects.filter(country="SN").first(),
        },
    )
    now = timezone.now()
    cohorts = []
    for number in (1, 2):
        cohort, _ = Cohort.objects.get_or_create(
            programme=programme, number=number,
            defaults={"name": f"Cohorte {number}", "call_opens_at": now - datetime.timedelta(days=400),
                      "call_closes_at": now - datetime.timedelta(days=300)},
        )  # fmt: skip
        cohorts.append(cohort)
    criteria = {}
    for cohort in cohorts:
        criteria[cohort.pk] = [
            EligibilityCriterion.objects.get_or_create(
                cohort=cohort, field=field, operator=operator, defaults={"value": value, "label": label}
            )[0]
            for field, operator, value, label in (
                ("company_age", "gte", "2", "Au moins 2 ans d'existence"),
                ("is_formal", "true", "", "Entreprise formelle"),
                ("turnover_floor_mxof", "gte", "10", "Chiffre d'affaires d'au moins 10 M FCFA"),
            )
        ]
    reviewers = []
    reviewer_group = Group.objects.get(name="reviewer")
    for number in range(10):
        user, _ = User.objects.get_or_create(email=f"bench-reviewer-{number}@example.org")
        user.groups.add(reviewer_group)
        reviewers.append(user)

    regions = list(Region.objects.filter(country="SN"))
    region_weights = [40 if r.code == "dakar" else 15 if r.code == "thies" else 3 for r in regions]
    companies, entrepreneurs = [], []
    for index in range(applications):
        companies.append(Company(
            name=f"Entreprise de mesure {index}", legal_form="sarl", is_formal=random.random() < 0.7,
            sector=random.choice(Sector.values), region=random.choices(regions, region_weights)[0], country="SN",
            year_founded=random.randint(2010, 2024), turnover_band=random.choice(TurnoverBand.values),
            employees=random.randint(0, 50), is_fictitious=True,
        ))  # fmt: skip
    companies = Company.objects.bulk_create(companies, batch_size=2000)
    for index, company in enumerate(companies):
        entrepreneurs.append(Entrepreneur(
            first_name=f"Prénom{index}", last_name=f"Nom{index}", email=f"{prefix}-{index}@example.sn",
            gender=random.choices(Gender.values, [45, 50, 5])[0], age_band=random.choice(AgeBand.values),
            education=random.choice(Education.values), company=company,
            country_of_residence="BE" if random.random() < 0.15 else "SN",
            is_fictitious=True,
        ))  # fmt: skip
    entrepreneurs = Entrepreneur.objects.bulk_create(entrepreneurs, batch_size=2000)
    statuses = [
        (ApplicationStatus.DRAFT, 5), (ApplicationStatus.WITHDRAWN, 2), (ApplicationStatus.SUBMITTED, 5),
        (ApplicationStatus.INELIGIBLE, 35), (ApplicationStatus.ELIGIBLE, 15), (ApplicationStatus.UNDER_REVIEW, 15),
        (ApplicationStatus.SHORTLISTED, 5), (ApplicationStatus.SELECTED, 5), (ApplicationStatus.WAITLISTED, 3),
        (ApplicationStatus.REJECTED, 10),
    ]  # fmt: skip
    applications = []
    for index, (entrepreneur, company) in enumerate(zip(entrepreneurs, companies, strict=True)):
        cohort = cohorts[index % 2]
        status = random.choices([s for s, _w in statuses], [w for _s, w in statuses])[0]
        submitted = None if status == ApplicationStatus.DRAFT else now - datetime.timedelta(days=random.randint(300, 400))
        failed = []
        if status == ApplicationStatus.INELIGIBLE:
            chosen = random.sample(criteria[cohort.pk], random.choice([1, 1, 1, 2]))
            failed = [{"id": c.pk, "field": c.field, "label": c.label} for c in chosen]
        snapshot = {"company_age": (submitted.year - company.year_founded)} if submitted and index % 3 else {}
        applications.append(Application(
            cohort=cohort, entrepreneur=entrepreneur, company=company, status=status, submitted_at=submitted,
            source=ApplicationSource.IMPORT if index % 10 == 0 else ApplicationSource.ONLINE,
            failed_criteria=failed, profile_snapshot=snapshot,
            is_eligible=None if status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED) else not failed,
        ))  # fmt: skip
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    reviews = []
    reviewed_statuses = {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SHORTLISTED, ApplicationStatus.SELECTED,
                         ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED}  # fmt: skip
    for application in applications:
        if application.status in reviewed_statuses:
            for reviewer in random.sample(reviewers, 2):
                assigned = application.submitted_at + datetime.timedelta(days=5)
                done = random.random() < 0.8
                reviews.append(Review(application=application, reviewer=reviewer, assigned_at=assigned,
                                      submitted_at=assigned + datetime.timedelta(days=3) if done else None))  # fmt: skip
    Review.objects.bulk_create(reviews, batch_size=2000)
    print(f"built {len(applications)} applications, {len(reviews)} reviews")


def timed(client, url: str, params: dict) -> tuple[float, int, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # warm-up, counting the queries
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    durations = []
    for _run in range(RUNS):  # timed without query logging, as in production
        start = time.perf_counter()
        response = client.get(url, params)
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(durations), len(queries), len(response.content)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench", file=sys.stderr)
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
    from cohorts.models import Cohort

    setup_test_environment()  # the test Client in a script: ALLOWED_HOSTS gets 'testserver'
    # Timings as in production: DEBUG off, so Django does not log every query (static files keep the
    # development storage chosen at start-up, so templates need no collectstatic).
    override_settings(DEBUG=False).enable()
    call_command("migrate", verbosity=0)
    build()
    from django.db import connection

    with connection.cursor() as cursor:
        # Planner statistics, as autovacuum would have gathered them on a live database after a bulk load.
        cursor.execute("ANALYZE")
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(staff)
    cohort = Cohort.objects.get(programme__code="bench", number=1)

    results = {
        "application list (all 10,000, page 1)": timed(client, reverse("cohorts:application_list"), {}),
        "application list (filtered: women, page 2)": timed(client, reverse("cohorts:application_list"), {"gender": "woman", "page": 2}),
        "selection analysis (programme: 10,000)": timed(client, reverse("cohorts:selection_analysis"), {"programme": cohort.programme_id}),
        "selection analysis (one cohort: 5,000)": timed(client, reverse("cohorts:selection_analysis"), {"cohort": cohort.pk}),
    }  # fmt: skip
    failed = False
    for label, (median, queries, size) in results.items():
        verdict = "ok" if median < LIMIT_MS else "TOO SLOW"
        failed |= median >= LIMIT_MS
        print(f"{label:48} median {median:7.1f} ms  {queries:3} queries  {size / 1024:6.1f} KiB  {verdict}")

    for export_format in ("csv", "xlsx"):
        start = time.perf_counter()
        response = client.get(reverse("cohorts:application_export"), {"format": export_format})
        elapsed = (time.perf_counter() - start) * 1000
        print(
            f"{'export of 10,000 rows (' + export_format + ')':48} {elapsed:7.1f} ms  {len(response.content) / 1024:8.1f} KiB (no limit)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
