"""Speed check of the B2B meeting list and the trip page on 1,000 Belgian companies and 20,000 meetings
(PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_trips .venv/bin/python bench/meetings_bench.py

Creates the database if missing, migrates, builds 1,000 Belgian companies with a contact each, 400
travelling entrepreneurs in two cohorts with one trip each, and 50 meetings per trip (20,000) with their
outcomes and costs, all with bulk_create; then times, through Django's test Client as a logged-in staff
member with DEBUG off, the staff meeting list (first page, a filtered page, a late page), the trip list
and a trip page (50 meetings, list and week views): one warm-up that counts the queries, then the
median of 10 runs. Exits non-zero if any median is 300 ms or more. Re-running reuses the data built.
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
TRIPS = 400
MEETINGS_PER_TRIP = 50
LIMIT_MS = 300
RUNS = 10
PROGRAMME = "bench-trips"


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
    from decimal import Decimal

    from django.utils import timezone

    from cohorts.models import Application, ApplicationStatus, Cohort, Programme
    from core.meeting_time import BRUSSELS
    from mobility.models import B2BMeeting, InterestLevel, MeetingOutcome, NextStepOwner, Trip, TripCost, TripStatus
    from partners.models import BelgianRegion, Company, Entrepreneur, Organisation, OrganisationContact, OrganisationKind, Sector

    if B2BMeeting.objects.filter(trip__application__cohort__programme__code=PROGRAMME).count() >= TRIPS * MEETINGS_PER_TRIP:
        print("data already built")
        return
    random.seed(2023)
    programme, _ = Programme.objects.get_or_create(
        code=PROGRAMME,
        defaults={"name": "Programme de mesure (voyages)", "starts_on": datetime.date(2021, 1, 1),
                  "ends_on": datetime.date(2025, 12, 31), "origin_country": "SN"},
    )  # fmt: skip
    now = timezone.now()
    cohorts = [
        Cohort.objects.get_or_create(
            programme=programme, number=number,
            defaults={"name": f"Cohorte {number}", "call_opens_at": now - datetime.timedelta(days=900),
                      "call_closes_at": now - datetime.timedelta(days=800),
                      "travel_starts_on": datetime.date(2022 + number, 3, 1),
                      "travel_ends_on": datetime.date(2022 + number, 11, 30)},
        )[0]
        for number in (1, 2)
    ]  # fmt: skip
    cities = ["Bruxelles", "Anvers", "Gand", "Liège", "Namur", "Charleroi", "Louvain", "Mons"]
    regions = [BelgianRegion.BRUSSELS, BelgianRegion.FLANDERS, BelgianRegion.WALLONIA]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Entreprise belge de mesure {index}, SA", kind=OrganisationKind.BELGIAN_COMPANY,
                         country="BE", belgian_region=random.choice(regions), city=random.choice(cities),
                         sector=random.choice(Sector.values), is_fictitious=True)
            for index in range(COMPANIES)
        ],
        batch_size=1000,
    )  # fmt: skip
    contacts = OrganisationContact.objects.bulk_create(
        [OrganisationContact(organisation=org, full_name=f"Contact {org.pk}", email=f"contact{org.pk}@example.be",
                             is_fictitious=True) for org in organisations],
        batch_size=1000,
    )  # fmt: skip
    companies = Company.objects.bulk_create(
        [Company(name=f"Voyageuse {index}", legal_form="sarl", is_formal=True, sector=random.choice(Sector.values),
                 country="SN", year_founded=2015, turnover_band="10-50m", employees=5, is_fictitious=True) for index in range(TRIPS)],
        batch_size=1000,
    )  # fmt: skip
    people = Entrepreneur.objects.bulk_create(
        [Entrepreneur(first_name=f"Prénom{index}", last_name=f"Voyage{index}", email=f"bench-trip-{index}@example.sn",
                      company=company, country_of_residence="SN", is_fictitious=True)
         for index, company in enumerate(companies)],
        batch_size=1000,
    )  # fmt: skip
    applications = Application.objects.bulk_create(
        [Application(cohort=cohorts[index % 2], entrepreneur=person, company=person.company,
                     status=ApplicationStatus.SELECTED, submitted_at=now - datetime.timedelta(days=700))
         for index, person in enumerate(people)],
        batch_size=1000,
    )  # fmt: skip
    trips = []
    for index, application in enumerate(applications):
        year = 2023 + index % 2
        departs = datetime.date(year, 3, 1) + datetime.timedelta(days=random.randint(0, 220))
        trips.append(Trip(application=application, departs_on=departs, returns_on=departs + datetime.timedelta(days=13),
                          cities="Bruxelles, Anvers", status=TripStatus.COMPLETED if year == 2023 else TripStatus.PLANNED))  # fmt: skip
    trips = Trip.objects.bulk_create(trips, batch_size=1000)
    meetings, costs = [], []
    outcomes = list(MeetingOutcome.values)
    for trip in trips:
        # 50 meetings over 10 working days, 5 a day, one hour each with half an hour between them.
        for slot in range(MEETINGS_PER_TRIP):
            day = trip.departs_on + datetime.timedelta(days=1 + slot // 5)
            starts = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=BRUSSELS) + datetime.timedelta(
                minutes=90 * (slot % 5)
            )
            org_index = random.randrange(COMPANIES)
            outcome = random.choice(outcomes) if trip.status == TripStatus.COMPLETED else ""
            interest = {"no_interest": InterestLevel.NONE, "": ""}.get(outcome, random.choice(["low", "medium", "high"]))
            meetings.append(B2BMeeting(
                trip=trip, organisation=organisations[org_index], contact=contacts[org_index], starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1), city=organisations[org_index].city,
                place=f"Rue de la Loi {slot + 1}", attendees=f"Prénom Voyage ; Contact {organisations[org_index].pk}",
                outcome=outcome, interest_level=interest,
                next_step="Envoyer une offre" if outcome == "follow_up" else "",
                next_step_owner=NextStepOwner.ENTREPRENEUR if outcome == "follow_up" else "",
            ))  # fmt: skip
        costs += [
            TripCost(trip=trip, category="flight", amount=Decimal("650"), currency="EUR"),
            TripCost(trip=trip, category="per_diem", amount=Decimal("630000"), currency="XOF"),
            TripCost(trip=trip, category="visa_fees", amount=Decimal("80"), currency="EUR"),
        ]
    B2BMeeting.objects.bulk_create(meetings, batch_size=2000)
    TripCost.objects.bulk_create(costs, batch_size=2000)
    print(f"built {len(organisations)} Belgian companies, {len(trips)} trips, {len(meetings)} meetings")


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
        print("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_trips", file=sys.stderr)
        return 2
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    os.environ.setdefault("DEBUG", "true")
    # The bench times pages, not the second factor: the staff member's session counts as verified.
    os.environ.setdefault("MFA_ENFORCED", "0")
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from cohorts.models import Cohort
    from mobility.models import B2BMeeting, Trip

    setup_test_environment()  # the test Client in a script: ALLOWED_HOSTS gets 'testserver'
    override_settings(DEBUG=False).enable()  # timings as in production: no query log
    call_command("migrate", verbosity=0)
    build()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have them after a bulk load
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(staff)
    cohort = Cohort.objects.get(programme__code=PROGRAMME, number=1)
    total = B2BMeeting.objects.filter(trip__application__cohort__programme=cohort.programme).count()
    last_page = (total + 49) // 50
    trip = Trip.objects.filter(application__cohort=cohort).order_by("pk").first()
    meetings = reverse("mobility:meeting_list")
    results = {
        f"meeting list (all {total:,}, page 1)": timed(client, meetings, {}),
        "meeting list (one cohort, 'high' interest, p. 2)": timed(client, meetings, {"cohort": cohort.pk, "interest_level": "high", "page": 2}),
        "meeting list (company search, one month)": timed(client, meetings, {"q": "mesure 42", "starts_from": "2023-05-01", "starts_until": "2023-05-31"}),
        f"meeting list (late page {last_page - 1})": timed(client, meetings, {"page": last_page - 1}),
        "trip list (page 1 of 400 trips)": timed(client, reverse("mobility:trip_list"), {}),
        "trip page (50 meetings, by day)": timed(client, reverse("mobility:trip_detail", args=[trip.pk]), {}),
        "trip page (50 meetings, week grid)": timed(client, reverse("mobility:trip_detail", args=[trip.pk]), {"vue": "semaine"}),
        "trip agenda .ics (50 meetings)": timed(client, reverse("mobility:trip_ics", args=[trip.pk]), {}),
    }  # fmt: skip
    failed = False
    for label, (median, queries, size) in results.items():
        verdict = "ok" if median < LIMIT_MS else "TOO SLOW"
        failed |= median >= LIMIT_MS
        print(f"{label:50} median {median:7.1f} ms  {queries:3} queries  {size / 1024:6.1f} KiB  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
