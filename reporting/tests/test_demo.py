"""`load_demo`: the PEM-WECCO demo, loaded once for the module (inside a transaction rolled back at the end)."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Max

from accounts.models import User
from coaching.models import CoachingSession
from cohorts.demo import criterion_passes
from cohorts.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    CommitteeMembership,
    CommitteeRole,
    Expense,
    IncubatorSubProject,
    PartnershipType,
    Programme,
    SelectionDecision,
    to_eur,
)
from cohorts.territory import diaspora_condition
from mobility.models import B2BMeeting, Partnership, PartnershipStage, PartnershipTransaction, Trip, TripStatus, VisaFile
from partners.demo import PUBLIC_ORGANISATIONS
from partners.models import Company, Entrepreneur, Organisation, OrganisationContact, OrganisationKind
from reporting.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from reporting.models import Evaluation

APPS = ["accounts", "partners", "cohorts", "coaching", "mobility", "reporting"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the whole module; roll it back afterwards so other modules see a clean base."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", "--allow-production", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def wecco(demo_output, db):
    return Programme.objects.get(code="pem-wecco")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for label in APPS for model in apps.get_app_config(label).get_models()
    }


def test_a_second_run_changes_no_row(wecco):
    before = row_counts()

    out = io.StringIO()
    call_command("load_demo", "--allow-production", stdout=out)

    assert row_counts() == before
    assert "déjà chargé" in out.getvalue()
    assert before["cohorts.Application"] > 300


def test_reset_deletes_the_demo_and_loads_it_again(wecco):
    before = row_counts()

    call_command("load_demo", "--reset", "--allow-production", stdout=io.StringIO())

    assert row_counts() == before
    assert Programme.objects.get(code="pem-wecco").pk != wecco.pk
    assert not Application.objects.filter(cohort__programme_id=wecco.pk).exists()


def test_the_command_prints_figures_counted_from_rows(demo_output):
    assert re.search(r"voyages effectués : 47\b", demo_output)
    assert re.search(r"entreprises belges distinctes rencontrées : 130\b", demo_output)
    assert re.search(r"diaspora éligible : 21\b", demo_output)
    assert re.search(r"membres du comité de pilotage : 22\b", demo_output)
    assert DEMO_PASSWORD in demo_output


def test_the_evaluation_figures_come_out_of_the_rows(wecco):
    applications = Application.objects.filter(cohort__programme=wecco)
    per_cohort = dict(applications.values_list("cohort__number").annotate(n=Count("pk")))
    assert 150 <= per_cohort[1] <= 200 and 140 <= per_cohort[2] <= 180

    travelled = Trip.objects.filter(application__cohort__programme=wecco, status=TripStatus.COMPLETED)
    assert travelled.count() == 47
    assert travelled.values("application").distinct().count() == 47
    assert travelled.filter(mission__isnull=False).exists() and travelled.filter(mission__isnull=True).exists()
    assert set(travelled.values_list("application__cohort__number", flat=True)) == {1, 2}

    met = B2BMeeting.objects.filter(
        trip__application__cohort__programme=wecco, organisation__kind=OrganisationKind.BELGIAN_COMPANY
    )
    assert met.values("organisation").distinct().count() == 130
    regions = set(met.values_list("organisation__belgian_region", flat=True))
    assert regions == {"brussels", "wallonia", "flanders"}
    assert not met.filter(organisation__relay_agency__isnull=True).exists()

    eligible_diaspora = applications.eligible().filter(diaspora_condition())
    assert eligible_diaspora.values("entrepreneur").distinct().count() == 21
    assert eligible_diaspora.filter(partnerships__isnull=False).values("entrepreneur").distinct().count() == 5
    assert (
        not applications.filter(diaspora_condition(), partnerships__isnull=False)
        .exclude(pk__in=eligible_diaspora.values("pk"))
        .exists()
    )

    members = CommitteeMembership.objects.filter(programme=wecco)
    assert members.count() == 22
    assert members.get(role=CommitteeRole.CHAIR).organisation.short_name == "DCEF"
    assert Organisation.objects.incubators().filter(country="SN", programme_roles__programme=wecco).distinct().count() == 5

    selected = applications.selected()
    assert selected.filter(trips__isnull=True).exists()  # selected who did not travel (visa refused, diaspora)
    refused = VisaFile.objects.filter(application__cohort__programme=wecco, status="refused")
    assert refused.count() >= 3
    assert not refused.filter(refusal_reason="").exists()
    assert not Trip.objects.filter(application__visa_file__status="refused").exists()


def test_eligibility_criteria_differ_between_cohorts_and_explain_each_screening(wecco):
    c1, c2 = wecco.cohorts.order_by("number")
    rules = lambda cohort: {(c.field, c.operator, c.value) for c in cohort.criteria.all()}  # noqa: E731
    assert ("is_formal", "true", "") in rules(c1) and ("turnover_floor_mxof", "gte", "50") in rules(c1)
    assert ("company_age", "gte", "2") in rules(c1)
    assert ("turnover_floor_mxof", "gte", "10") in rules(c2) and not any(f == "is_formal" for f, _, _ in rules(c2))

    for cohort in (c1, c2):
        criteria = list(cohort.criteria.all())
        screened = cohort.applications.filter(is_eligible__isnull=False)
        assert screened.filter(is_eligible=False).exists()
        for app in screened:
            failing = {c.pk for c in criteria if not criterion_passes(c, app.profile_snapshot)}
            assert {f["id"] for f in app.failed_criteria} == failing
            assert app.is_eligible == (not failing)
            assert (app.status == ApplicationStatus.INELIGIBLE) == (not app.is_eligible)


def test_every_status_left_a_dated_transition(wecco):
    applications = Application.objects.filter(cohort__programme=wecco).prefetch_related("transitions")
    statuses = Counter(applications.values_list("status", flat=True))
    for status in [
        "draft",
        "submitted",
        "eligible",
        "ineligible",
        "under_review",
        "selected",
        "waitlisted",
        "rejected",
        "withdrawn",
    ]:
        assert statuses[status] > 0, status
    for app in applications:
        moves = list(app.transitions.all())
        if app.status == ApplicationStatus.DRAFT:
            assert moves == []
            continue
        assert moves[0].from_status == "draft"
        assert all(a.to_status == b.from_status for a, b in zip(moves, moves[1:]))
        assert moves[-1].to_status == app.status
        assert [m.at for m in moves] == sorted(m.at for m in moves)
        assert moves[-1].at == app.status_changed_at


def test_reviewed_applications_have_two_scored_reviews_and_no_conflicted_reviewer(wecco):
    decided = Application.objects.filter(cohort__programme=wecco, decision__isnull=False)
    assert decided.count() > 100
    for app in decided.prefetch_related("reviews__scores", "conflicts"):
        submitted = [r for r in app.reviews.all() if r.submitted_at]
        assert len(submitted) >= 2
        assert all(len(r.scores.all()) == 7 for r in submitted)
        assert not {c.reviewer_id for c in app.conflicts.all()} & {r.reviewer_id for r in app.reviews.all()}
    assert SelectionDecision.objects.filter(application__cohort__programme=wecco).exclude(reason="").count() == decided.count()
    assert not decided.exclude(status=F("decision__outcome")).exists()


def test_partnerships_cover_every_stage_and_type_with_consistent_history(wecco):
    partnerships = Partnership.objects.filter(application__cohort__programme=wecco).prefetch_related("stage_changes")
    assert set(partnerships.values_list("stage", flat=True)) == set(PartnershipStage.values)
    assert set(partnerships.values_list("type", flat=True)) == set(PartnershipType.values)
    for partnership in partnerships:
        changes = list(partnership.stage_changes.all())
        assert changes[0].from_stage == "" and changes[0].to_stage == "prospect"
        assert changes[-1].to_stage == partnership.stage
        assert changes[-1].changed_on == partnership.stage_changed_on
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:]))
        assert partnership.stage_changed_on <= datetime.date(2024, 9, 30)
    transactions = PartnershipTransaction.objects.filter(partnership__in=partnerships)
    assert {"EUR", "XOF"} <= set(transactions.values_list("currency", flat=True))
    assert all(t.value_eur == to_eur(t.value, t.currency) for t in transactions)
    assert not transactions.exclude(partnership__stage_changes__to_stage="first_transaction").exists()


def test_money_is_converted_at_the_fixed_parity_and_2023_spends_most(wecco):
    expenses = Expense.objects.filter(budget_line__programme=wecco)
    assert {"EUR", "XOF"} <= set(expenses.values_list("currency", flat=True))
    assert all(e.amount_eur == to_eur(e.amount, e.currency) for e in expenses)
    by_year = Counter()
    for e in expenses:
        by_year[e.spent_on.year] += e.amount_eur
    assert max(by_year, key=by_year.get) == 2023
    assert set(by_year) == {2021, 2022, 2023, 2024}


def test_sub_projects_and_coaching(wecco):
    projects = {p.sector: p for p in IncubatorSubProject.objects.filter(programme=wecco)}
    assert set(projects) == {"creative", "agrifood"}
    agri = projects["agrifood"].supported_companies.all()
    assert agri.count() == 10
    assert all(c.sector in ("agrifood", "water") for c in agri)
    assert (
        Trip.objects.filter(application__company__in=agri, status=TripStatus.COMPLETED).values("application").distinct().count()
        == 10
    )
    sessions = CoachingSession.objects.filter(application__cohort__programme=wecco)
    assert set(sessions.values_list("kind", flat=True)) == {"individual", "group", "boostcamp"}
    assert sessions.filter(coach__user__email="coach@demo.pem.example").exists()


def test_the_evaluation_is_recorded_as_the_summary_gives_it(wecco):
    evaluation = Evaluation.objects.get(programme=wecco)
    assert evaluation.evaluator.name == "Cota asbl"
    assert (evaluation.field_mission_start, evaluation.field_mission_end) == (
        datetime.date(2024, 6, 3),
        datetime.date(2024, 6, 7),
    )
    grades = dict(evaluation.grades.values_list("criterion", "grade"))
    assert grades == {
        "relevance": "A",
        "coherence": "B",
        "effectiveness": "B",
        "efficiency": "B",
        "sustainability": "C",
        "impact": "B",
    }
    split = set(
        evaluation.grades.filter(objective_findings__isnull=False).values_list("criterion", "objective_findings__objective")
    )
    assert split == {("effectiveness", "OS1"), ("effectiveness", "OS2"), ("sustainability", "OS1"), ("sustainability", "OS2")}
    questions = {q.code: q for q in evaluation.questions.select_related("parent")}
    assert {f"QE{n}" for n in range(1, 8)} <= set(questions)
    assert {code: q.parent.code for code, q in questions.items() if q.parent} == {
        **{f"QE3.{n}": "QE3" for n in range(1, 6)},
        **{f"QE4.{n}": "QE4" for n in range(1, 4)},
        **{f"QE5.{n}": "QE5" for n in range(1, 4)},
    }
    assert all(q.answer and q.criteria for q in questions.values())
    assert list(evaluation.conclusions.values_list("code", flat=True)) == [f"C{n}" for n in range(1, 9)]
    recommendations = {r.code: r for r in evaluation.recommendations.prefetch_related("conclusions")}
    table = {r: (r.levels, r.priority, r.type, sorted(c.code for c in r.conclusions.all())) for r in recommendations.values()}
    expected = {
        "R1": ([1, 3], "medium", "strategic", ["C1"]),
        "R2": ([1, 3], "short", "operational", ["C2"]),
        "R3": ([1, 3], "short", "strategic", ["C3"]),
        "R4": ([1, 3], "short", "operational", ["C4", "C5", "C6", "C7", "C8"]),
        "R5": ([1, 3], "medium", "strategic", ["C5"]),
        "R6": ([1, 3], "medium", "operational", ["C6", "C7", "C8"]),
        "R7": ([3, 4], "medium", "strategic", ["C7"]),
        "R8": ([1, 3], "medium", "operational", ["C7"]),
    }
    assert {r.code: values for r, values in table.items()} == expected
    assert recommendations["R1"].management_response.decision == "accepted"
    assert list(evaluation.lessons.values_list("code", flat=True)) == ["L1", "L2"]


def test_every_demo_person_and_invented_organisation_is_marked_fictitious(wecco):
    assert Programme.objects.filter(code__in=["pem-wecco", "pem-nzassa"], is_fictitious=True).count() == 2
    assert not User.objects.filter(is_fictitious=False).exists()
    assert not User.objects.exclude(email__endswith="@demo.pem.example").exists()
    assert not Entrepreneur.objects.filter(is_fictitious=False).exists()
    assert not Entrepreneur.objects.exclude(email__endswith="@demo.pem.example").exists()
    assert not Company.objects.filter(is_fictitious=False).exists()
    assert not OrganisationContact.objects.filter(is_fictitious=False).exists()
    public = {name for _, name, *_ in PUBLIC_ORGANISATIONS}
    assert not Organisation.objects.filter(is_fictitious=False).exclude(name__in=public).exists()
    assert not Organisation.objects.belgian_companies().filter(is_fictitious=False).exists()
    passports = [v.passport_number for v in VisaFile.objects.all()]
    assert passports and all(re.fullmatch(r"A00\d{5}", p) for p in passports)


def test_every_demo_account_exists_with_its_role(wecco):
    for email, role, _description in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.has_role(role), email
    admin = User.objects.get(email="admin@demo.pem.example")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    entrepreneur = User.objects.get(email="entrepreneur@demo.pem.example").entrepreneur
    assert entrepreneur.applications.get().status == ApplicationStatus.SELECTED
    assert Trip.objects.filter(application__entrepreneur=entrepreneur, status=TripStatus.COMPLETED).exists()
    assert wecco.memberships.filter(user__email="comite@demo.pem.example", role="committee").exists()
    assert wecco.memberships.filter(user__email="evaluateur@demo.pem.example", role="evaluator").exists()


def test_all_dates_are_fixed_and_in_the_pilot_period(wecco):
    latest = Application.objects.aggregate(
        submitted=Max("submitted_at"), changed=Max("status_changed_at"), created=Max("created_at"), updated=Max("updated_at")
    )
    assert all(value.year <= 2024 for value in latest.values())
    assert ApplicationTransition.objects.aggregate(m=Max("at"))["m"].date() <= datetime.date(2024, 9, 30)
    assert Trip.objects.aggregate(m=Max("returns_on"))["m"] <= datetime.date(2024, 9, 30)
    assert B2BMeeting.objects.aggregate(m=Max("starts_at"))["m"].year <= 2024
    assert Company.objects.aggregate(m=Max("created_at"))["m"].year <= 2024


def test_trips_invitations_and_follow_up_are_plausible(wecco):
    trips = Trip.objects.filter(application__cohort__programme=wecco).prefetch_related("meetings", "invitations")
    assert trips.filter(status=TripStatus.CANCELLED).exists()
    for trip in trips:
        for meeting in trip.meetings.all():
            assert trip.departs_on <= meeting.starts_at.date() <= trip.returns_on
        for invitation in trip.invitations.all():
            assert invitation.sent_at.date() < trip.departs_on
            assert invitation.answered_at is None or invitation.answered_at.date() < trip.departs_on
    invitations = [i for t in trips for i in t.invitations.all()]
    assert {i.status for i in invitations} == {"accepted", "declined", "other_slot", "expired"}
    delays = sorted((i.answered_at - i.sent_at).days for i in invitations if i.answered_at)
    assert delays[len(delays) // 2] >= 3  # Belgian companies answered slowly
    from mobility.models import FollowUpCheckIn, SupportNeed

    check_ins = FollowUpCheckIn.objects.filter(application__cohort__programme=wecco)
    assert set(check_ins.values_list("months_after", flat=True)) == {1, 3, 6, 12}
    assert not check_ins.filter(status="done", completed_on__gt=datetime.date(2024, 9, 30)).exists()
    referrals = SupportNeed.objects.filter(application__cohort__programme=wecco, referred_to__isnull=False)
    assert referrals.filter(referred_to__short_name="OVO").values("application").distinct().count() == 4
    assert {"ADEPME", "APIX", "OVO"} <= set(referrals.values_list("referred_to__short_name", flat=True))
    selected = Application.objects.filter(cohort__programme=wecco).selected()
    assert not selected.filter(coach_assignments__isnull=True).exists()


@pytest.mark.django_db
def test_it_refuses_to_load_on_a_production_installation_unless_asked(settings):
    settings.DEBUG = False
    before = Programme.objects.count()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Programme.objects.count() == before


def test_the_demo_has_a_call_open_to_try_the_public_side(wecco):
    from django.utils import timezone as tz

    from cohorts.models import Cohort

    autumn_2026 = tz.make_aware(datetime.datetime(2026, 11, 26, 12))
    open_calls = Cohort.objects.open_for_applications(at=autumn_2026)
    assert [c.programme.code for c in open_calls] == ["pem-sine-saloum"]
    assert open_calls[0].criteria.count() == 2 and open_calls[0].rubric.count() == 7


def test_each_programme_has_its_country_regions_and_diaspora(wecco):
    from cohorts.selectors_selection import selection_shares
    from reporting.indicators import compute_indicators

    assert (wecco.origin_country, str(wecco.watched_region_group)) == ("SN", "Axe Dakar–Thiès")
    nzassa = Programme.objects.get(code="pem-nzassa")
    assert nzassa.origin_country == "CI" and str(nzassa.watched_region_group) == "Abidjan–Yamoussoukro"
    sine_saloum = Programme.objects.get(code="pem-sine-saloum")
    assert sine_saloum.origin_country == "SN" and sine_saloum.watched_region_group is None

    applications = Application.objects.filter(cohort__programme=nzassa)
    assert applications.count() == 15
    # Ivorian companies in Ivorian districts, never a Senegalese region nor a pseudo-region "abroad".
    assert set(applications.values_list("company__region__country", flat=True)) == {"CI"}
    shares = selection_shares(applications)
    assert shares.diaspora == applications.filter(diaspora_condition()).count() > 0
    assert shares.axis + shares.elsewhere == 15 and shares.axis > 0 and shares.elsewhere > 0
    indicators = compute_indicators(programme=nzassa)
    submitted = indicators.stage("applications")
    assert submitted.by["diaspora"]["yes"] > 0
    assert indicators.group_label("region", "axis") == "Abidjan–Yamoussoukro"


def test_the_jury_has_a_business_plan_to_open_in_each_application_under_review(wecco, client):
    from django.urls import reverse

    from cohorts.models import DocumentKind, Review
    from cohorts.services.apply import pdf_problem

    under_review = Application.objects.filter(status=ApplicationStatus.UNDER_REVIEW)
    assert under_review.exists()
    for application in under_review:
        plan = application.documents.get(kind=DocumentKind.BUSINESS_PLAN)
        with plan.file.open("rb") as handle:
            assert pdf_problem(handle) is None, plan.original_name
    # The demo reviewer opens one of the plans waiting for their scores, in the browser's viewer.
    reviewer = User.objects.get(email="reviewer@demo.pem.example")
    review = Review.objects.filter(reviewer=reviewer, submitted_at__isnull=True, application__in=under_review).first()
    plan = review.application.documents.get()
    client.force_login(reviewer)
    url = reverse("cohorts:application_document_download", kwargs={"pk": review.application_id, "document_pk": plan.pk})
    response = client.get(url + "?view=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
