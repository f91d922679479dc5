"""Speed check of the indicators page on 10,000 applications (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench .venv/bin/python bench/indicators_bench.py

Reuses bench/selection_bench.py for the database, the 10,000 applications and their reviews, then adds
what follows selection for the selected applicants (coaching, a boostcamp, visa files, trips, invitations,
B2B meetings, partnerships with their stage history and transactions) and the programme's governance and
budget, all with bulk_create. Times the indicators page through Django's test Client as a logged-in staff
member: one warm-up, then the median of 10 runs. Exits non-zero if the median is 500 ms or more.
Re-running reuses the data already built.
"""

import datetime
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import selection_bench  # noqa: E402  (the shared data builder and timer)

LIMIT_MS = 500
PROGRAMME = "bench"


def build_follow_up(programme_code: str = PROGRAMME) -> None:
    """Everything after selection, for the programme's selected applications (once)."""
    from django.utils import timezone

    from accounts.models import User
    from coaching.models import CoachingSession, EventAttendance, GroupEvent
    from cohorts.models import (
        Application,
        ApplicationStatus,
        BudgetLine,
        CommitteeAttendance,
        CommitteeMeeting,
        CommitteeMembership,
        Expense,
        IncubatorSubProject,
        Programme,
        ProgrammePartner,
    )  # fmt: skip
    from mobility.models import (
        B2BMeeting,
        Invitation,
        Partnership,
        PartnershipStageChange,
        PartnershipTransaction,
        Trip,
        VisaFile,
    )  # fmt: skip
    from partners.models import Coach, Organisation
    from reporting.demo import INDICATORS, OBJECTIVES
    from reporting.models import Indicator, IndicatorTarget, ResultObjective

    programme = Programme.objects.get(code=programme_code)
    if Trip.objects.filter(application__cohort__programme=programme).exists():
        print("follow-up data already built")
        return
    rng = random.Random(2025)
    suffix = "" if programme_code == PROGRAMME else f"{programme_code} "
    selected = list(
        Application.objects.filter(cohort__programme=programme, status=ApplicationStatus.SELECTED).select_related("cohort")
    )

    incubators = [
        Organisation.objects.get_or_create(name=f"Incubateur de mesure {n}", country="SN", defaults={"kind": "incubator", "is_fictitious": True})[0]
        for n in range(6)
    ]  # fmt: skip
    belgian = Organisation.objects.bulk_create([
        Organisation(name=f"Entreprise belge de mesure {suffix}{n}", kind="belgian_company", country="BE", belgian_region="brussels", is_fictitious=True)
        for n in range(300)
    ])  # fmt: skip
    coaches = []
    for n in range(8):
        user, _ = User.objects.get_or_create(
            email=f"bench-coach-{n}@example.org", defaults={"first_name": "Coach", "last_name": f"Mesure {n}"}
        )
        coaches.append(Coach.objects.get_or_create(user=user, defaults={"organisation": incubators[n % len(incubators)]})[0])

    ProgrammePartner.objects.bulk_create(
        [ProgrammePartner(programme=programme, organisation=o, role="incubator") for o in incubators]
    )
    events = {}
    for cohort_id in {a.cohort_id for a in selected}:
        start = timezone.make_aware(datetime.datetime(2023, 2, 1, 9, 0))
        events[cohort_id] = GroupEvent.objects.create(cohort_id=cohort_id, kind="boostcamp", title="Boostcamp", starts_at=start,
                                                      ends_at=start + datetime.timedelta(hours=8))  # fmt: skip
    attendances, sessions, visas, trips = [], [], [], []
    for application in selected:
        attendances.append(
            EventAttendance(event=events[application.cohort_id], application=application, attended=rng.random() < 0.9)
        )
        for _n in range(rng.randint(2, 8)):
            sessions.append(CoachingSession(
                application=application, coach=rng.choice(coaches), kind=rng.choice(["individual", "group", "boostcamp"]),
                held_on=datetime.date(2023, rng.randint(1, 4), rng.randint(1, 28)), duration_minutes=rng.choice([60, 90, 120]),
                topics="Modèle d'affaires",
            ))  # fmt: skip
        submitted_on = datetime.date(2023, 3, rng.randint(1, 20))
        granted = rng.random() < 0.9
        visas.append(VisaFile(
            application=application, status="granted" if granted else "refused", refusal_reason="" if granted else "means",
            submitted_on=submitted_on, decision_on=submitted_on + datetime.timedelta(days=rng.randint(8, 40)),
        ))  # fmt: skip
        if granted:
            departs = datetime.date(2023, 5, rng.randint(1, 20))
            trips.append(Trip(application=application, departs_on=departs, returns_on=departs + datetime.timedelta(days=10),
                              status="completed" if rng.random() < 0.95 else "cancelled"))  # fmt: skip
    EventAttendance.objects.bulk_create(attendances)
    CoachingSession.objects.bulk_create(sessions, batch_size=2000)
    VisaFile.objects.bulk_create(visas)
    trips = Trip.objects.bulk_create(trips)

    invitations, meetings, partnerships = [], [], []
    for trip in trips:
        companies = rng.sample(belgian, 6)
        for company in companies:
            sent = timezone.make_aware(datetime.datetime(2023, 4, rng.randint(1, 20), 10, 0))
            status = rng.choice(["accepted", "accepted", "declined", "sent", "expired", "other_slot"])
            answered = (
                sent + datetime.timedelta(days=rng.randint(1, 25)) if status in ("accepted", "declined", "other_slot") else None
            )
            invitations.append(Invitation(trip=trip, organisation=company, email=f"contact@{company.pk}.example.be",
                                          status=status, sent_at=sent, answered_at=answered))  # fmt: skip
        for hour, company in enumerate(companies[:3], start=10):
            starts = timezone.make_aware(datetime.datetime(trip.departs_on.year, trip.departs_on.month, trip.departs_on.day, hour, 0)) + datetime.timedelta(days=2)  # fmt: skip
            meetings.append(B2BMeeting(trip=trip, organisation=company, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)))  # fmt: skip
        if trip.status == "completed" and rng.random() < 0.6:
            partnerships.append(Partnership(
                application_id=trip.application_id, organisation=companies[0], type=rng.choice(["export", "representation", "training"]),
                stage="prospect", started_on=trip.returns_on, stage_changed_on=trip.returns_on,
            ))  # fmt: skip
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    B2BMeeting.objects.bulk_create(meetings, batch_size=2000)
    partnerships = Partnership.objects.bulk_create(partnerships)
    changes, transactions = [], []
    for partnership in partnerships:
        path = rng.choice([["prospect"], ["prospect", "discussion"], ["prospect", "agreement", "active"],
                           ["prospect", "agreement", "first_transaction", "dormant"], ["prospect", "discussion", "ended"]])  # fmt: skip
        on, previous = partnership.started_on, ""
        for stage in path:
            changes.append(PartnershipStageChange(partnership=partnership, from_stage=previous, to_stage=stage, changed_on=on))
            previous = stage
            on += datetime.timedelta(days=rng.randint(30, 200))
        partnership.stage, partnership.stage_changed_on = path[-1], changes[-1].changed_on
        if "first_transaction" in path or "active" in path:
            transactions.append(PartnershipTransaction(partnership=partnership, kind="order", occurred_on=on,
                                                       value=Decimal("2500")))  # fmt: skip
    PartnershipStageChange.objects.bulk_create(changes, batch_size=2000)
    Partnership.objects.bulk_update(partnerships, ["stage", "stage_changed_on"])
    PartnershipTransaction.objects.bulk_create(transactions)

    members = CommitteeMembership.objects.bulk_create([
        CommitteeMembership(programme=programme, organisation=o, role="member") for o in incubators
    ])  # fmt: skip
    meetings = CommitteeMeeting.objects.bulk_create([
        CommitteeMeeting(programme=programme, held_on=datetime.date(2022 + n // 2, 3 + 6 * (n % 2), 15)) for n in range(6)
    ])  # fmt: skip
    CommitteeAttendance.objects.bulk_create([
        CommitteeAttendance(meeting=m, membership=member, present=rng.random() < 0.8) for m in meetings for member in members
    ])  # fmt: skip
    IncubatorSubProject.objects.bulk_create([
        IncubatorSubProject(programme=programme, title=f"Sous-projet {n}", sector="creative", lead=incubators[n], status="ongoing",
                            budget_eur=Decimal("40000"))
        for n in range(3)
    ])  # fmt: skip
    lines = BudgetLine.objects.bulk_create([
        BudgetLine(programme=programme, year=year, category=category, label=f"{category} {year}",
                   amount=Decimal("100000") if currency == "EUR" else Decimal("65595700"), currency=currency)
        for year in (2022, 2023, 2024) for category, currency in (("mobility", "EUR"), ("support", "XOF"), ("hr", "EUR"))
    ])  # fmt: skip
    Expense.objects.bulk_create([
        Expense(budget_line=line, spent_on=datetime.date(line.year, rng.randint(1, 12), 10), amount=Decimal("1000"),
                description="Dépense", cohort_id=rng.choice(list(events)))
        for line in lines for _n in range(40)
    ])  # fmt: skip

    objectives = {}
    for order, (code, parent, level, title, title_en) in enumerate(OBJECTIVES, start=1):
        objectives[code] = ResultObjective.objects.create(programme=programme, code=code, title=title, title_en=title_en,
                                                          level=level, parent=objectives.get(parent), order=order)  # fmt: skip
    indicators = Indicator.objects.bulk_create([
        Indicator(programme=programme, objective=objectives[objective], code=code, name=name, calculator=calculator, unit=unit,
                  disaggregations=disaggregations, baseline=baseline, order=order)
        for order, (code, objective, name, _en, calculator, unit, disaggregations, baseline, _target) in enumerate(INDICATORS, start=1)
    ])  # fmt: skip
    IndicatorTarget.objects.bulk_create([
        IndicatorTarget(indicator=indicator, period_label="Fin", period_end=datetime.date(2024, 9, 30), value=row[-1])
        for indicator, row in zip(indicators, INDICATORS, strict=True) if row[-1] is not None
    ])  # fmt: skip
    print(f"built follow-up: {len(selected)} selected, {len(sessions)} sessions, {len(trips)} trips, "
          f"{len(invitations)} invitations, {len(partnerships)} partnerships")  # fmt: skip


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench", file=sys.stderr)
        return 2
    selection_bench.ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("MFA_ENFORCED", "0")  # the bench logs in with force_login, without a second factor
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from cohorts.models import Cohort

    setup_test_environment()
    override_settings(DEBUG=False).enable()
    call_command("migrate", verbosity=0)
    selection_bench.build(PROGRAMME)
    build_follow_up()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(staff)
    cohort = Cohort.objects.get(programme__code=PROGRAMME, number=1)
    page = reverse("reporting:indicators")
    results = {
        "indicators page (programme: 10,000 applications)": selection_bench.timed(client, page, {"programme": cohort.programme_id}),
        "indicators page (one cohort: 5,000)": selection_bench.timed(client, page, {"programme": cohort.programme_id, "cohort": cohort.pk}),
        "export of the funnel table (xlsx)": selection_bench.timed(
            client, reverse("reporting:indicators_export"), {"programme": cohort.programme_id, "table": "funnel", "format": "xlsx"}
        ),
    }  # fmt: skip
    failed = False
    for label, (median, queries, size) in results.items():
        verdict = "ok" if median < LIMIT_MS else "TOO SLOW"
        failed |= median >= LIMIT_MS
        print(f"{label:52} median {median:7.1f} ms  {queries:3} queries  {size / 1024:6.1f} KiB  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
