"""The selection-effect analysis, checked on a hand-built cohort whose figures are worked out below."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import Application, ApplicationStatus
from cohorts.selectors_staff import selection_analysis
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory, ReviewFactory
from cohorts.tests.factories_staff import SUBMITTED_ON, staff_application

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def cohort_data():
    """Eleven applicants in one cohort with two criteria, A (company ≥ 2 years) and B (formal company).

    #   gender region     diaspora status        failed  reviewed founded snapshot age
    1   W      dakar      no       selected      –       yes      2015    –      → >5
    2   W      thies      no       rejected      –       yes      2015    –      → >5
    3   W      kolda      no       ineligible    A       –        2023    1      → <2
    4   W      ziguinchor yes      ineligible    A       –        2023    –      → <2 (2024-2023)
    5   W      dakar      no       ineligible    A, B    –        2023    –      → <2
    6   M      dakar      no       selected      –       yes      2015    –      → >5
    7   M      kaolack    no       under_review  –       no (assigned, not submitted) 2020 → 2–5
    8   M      dakar      yes      ineligible    B       –        2015    –      → >5
    9   M      thies      no       eligible      –       –        2015    3      → 2–5 (the snapshot wins)
    10  W      dakar      no       draft         (not applied)
    11  M      kolda      no       withdrawn     (not applied)
    """
    cohort = CohortFactory()
    a = EligibilityCriterionFactory(cohort=cohort, label="A : entreprise de 2 ans ou plus")
    b = EligibilityCriterionFactory(cohort=cohort, field="is_formal", operator="true", value="", label="B : formelle")
    fa = {"id": a.pk, "field": a.field, "label": a.label}
    fb = {"id": b.pk, "field": b.field, "label": b.label}
    make = staff_application
    make(cohort=cohort, status=S.SELECTED, reviewed=True)
    make(cohort=cohort, status=S.REJECTED, region="thies", reviewed=True)
    make(cohort=cohort, status=S.INELIGIBLE, region="kolda", failed=[fa], year_founded=2023, snapshot={"company_age": 1},
         education="secondary")  # fmt: skip
    make(cohort=cohort, status=S.INELIGIBLE, region="ziguinchor", diaspora=True, failed=[fa], year_founded=2023)
    make(cohort=cohort, status=S.INELIGIBLE, failed=[fa, fb], year_founded=2023)
    make(cohort=cohort, status=S.SELECTED, gender="man", reviewed=True)
    seven = make(cohort=cohort, status=S.UNDER_REVIEW, gender="man", region="kaolack", year_founded=2020, sector="digital")
    ReviewFactory(application=seven, assigned_at=SUBMITTED_ON, submitted_at=None)
    make(cohort=cohort, status=S.INELIGIBLE, gender="man", diaspora=True, failed=[fb])
    make(cohort=cohort, status=S.ELIGIBLE, gender="man", region="thies", snapshot={"company_age": 3})
    make(cohort=cohort, status=S.DRAFT)
    # Withdrawn before it was sent: never submitted (one withdrawn after sending would count as submitted,
    # as on the dashboard and the home pages: cohorts.models.submitted_condition).
    withdrawn = make(cohort=cohort, status=S.WITHDRAWN, gender="man", region="kolda")
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(submitted_at=None)
    # Another cohort's applicant, outside the scope when the cohort is chosen.
    make(cohort=CohortFactory(programme=cohort.programme), status=S.SELECTED, reviewed=True)
    return cohort, a, b


def _rows(analysis, dimension):
    breakdown = next(b for b in analysis.breakdowns if b.dimension == dimension)
    return {row.key: row for row in breakdown.rows}


def test_the_funnel_counts_each_stage_by_group(cohort_data):
    cohort, _a, _b = cohort_data

    analysis = selection_analysis(Application.objects.filter(cohort=cohort), [cohort])

    # Applied = 1..9 (draft 10 and withdrawn 11 left out); eligible = 1, 2, 6, 7, 9; reviewed (a
    # submitted review) = 1, 2, 6; selected = 1, 6.
    total = analysis.total
    assert (total.applied, total.eligible, total.reviewed, total.selected) == (9, 5, 3, 2)
    gender = _rows(analysis, "gender")
    # Women 1–5: eligible 1, 2 (40 %), reviewed 1, 2, selected 1 (20 %).
    assert (gender["woman"].applied, gender["woman"].eligible, gender["woman"].reviewed, gender["woman"].selected) == (5, 2, 2, 1)
    assert gender["woman"].eligible_rate == 40.0
    assert gender["woman"].selected_rate == 20.0
    # Men 6–9: eligible 6, 7, 9 (75 %), reviewed 6 only (7's review is not submitted), selected 6.
    assert (gender["man"].applied, gender["man"].eligible, gender["man"].reviewed, gender["man"].selected) == (4, 3, 1, 1)
    assert gender["man"].eligible_rate == 75.0
    assert gender["other"].applied == 0 and gender["other"].eligible_rate is None
    region = _rows(analysis, "region")
    # Axis (Dakar, Thiès) = 1, 2, 5, 6, 8, 9; elsewhere = 3 (Kolda), 4 (Ziguinchor), 7 (Kaolack).
    assert (region["axis"].applied, region["axis"].eligible, region["axis"].selected) == (6, 4, 2)
    assert (region["elsewhere"].applied, region["elsewhere"].eligible) == (3, 1)
    assert region["elsewhere"].eligible_rate == 33.3
    diaspora = _rows(analysis, "diaspora")
    assert (diaspora["True"].applied, diaspora["True"].eligible) == (2, 0)
    assert (diaspora["False"].applied, diaspora["False"].eligible) == (7, 5)
    age = _rows(analysis, "age_band")
    # <2: 3 (snapshot 1), 4 and 5 (2024 − 2023); 2–5: 7 (2024 − 2020) and 9 (snapshot 3 beats 2015);
    # >5: 1, 2, 6, 8.
    assert (age["lt2"].applied, age["lt2"].eligible) == (3, 0)
    assert (age["2-5"].applied, age["2-5"].eligible, age["2-5"].selected) == (2, 2, 0)
    assert (age["gt5"].applied, age["gt5"].eligible, age["gt5"].reviewed, age["gt5"].selected) == (4, 3, 3, 2)
    assert _rows(analysis, "education")["secondary"].applied == 1
    assert _rows(analysis, "education")["master"].applied == 8
    assert _rows(analysis, "sector")["digital"].applied == 1
    assert _rows(analysis, "sector")["digital"].eligible_rate == 100.0


def test_a_criterion_that_alone_excludes_two_women_and_no_man(cohort_data):
    cohort, a, b = cohort_data

    exclusions = {
        item.criterion.pk: item for item in selection_analysis(Application.objects.filter(cohort=cohort), [cohort]).exclusions
    }

    # A alone: applicants 3 and 4 (5 failed A and B, so A alone did not exclude her).
    by_a = exclusions[a.pk]
    assert by_a.excluded == 2
    gender = {group.key: group for group in by_a.groups["gender"]}
    assert (gender["woman"].applied, gender["woman"].excluded, gender["woman"].share) == (5, 2, 40.0)
    assert (gender["man"].applied, gender["man"].excluded, gender["man"].share) == (4, 0, 0.0)
    region = {group.key: group for group in by_a.groups["region"]}
    assert (region["elsewhere"].excluded, region["elsewhere"].share) == (2, 66.7)  # 2 of 3
    assert (region["axis"].excluded, region["axis"].share) == (0, 0.0)
    diaspora = {group.key: group for group in by_a.groups["diaspora"]}
    assert (diaspora["True"].excluded, diaspora["True"].share) == (1, 50.0)  # 4, of 4 and 8
    assert (diaspora["False"].excluded, diaspora["False"].share) == (1, 14.3)  # 3, of 7
    # B alone: applicant 8, a man (1 of 4 men).
    by_b = exclusions[b.pk]
    assert by_b.excluded == 1
    gender_b = {group.key: group for group in by_b.groups["gender"]}
    assert (gender_b["man"].excluded, gender_b["man"].share, gender_b["woman"].excluded) == (1, 25.0, 0)


def test_the_analysis_takes_a_bounded_number_of_queries(cohort_data, django_assert_num_queries):
    cohort, _a, _b = cohort_data
    # 1 funnel counts grouped by cohort, gender, region group and diaspora; 2 grouped by company age band,
    # education and sector; 3 the criteria; 4 the failed-criteria lists of the ineligible applications.
    with django_assert_num_queries(4):
        selection_analysis(Application.objects.filter(cohort=cohort), [cohort])


def test_the_page_shows_the_analysis_of_the_chosen_cohort(client, cohort_data):
    cohort, a, _b = cohort_data
    client.force_login(UserFactory(roles=["staff"]))

    response = client.get(reverse("cohorts:selection_analysis"), {"cohort": cohort.pk})

    assert response.status_code == 200
    assert response.context["analysis"].total.applied == 9
    assert a.label in response.content.decode()
    everything = client.get(reverse("cohorts:selection_analysis"), {"programme": cohort.programme.pk})
    assert everything.context["analysis"].total.applied == 10


def test_the_analysis_exports_as_csv_and_xlsx(client, cohort_data):
    cohort, a, _b = cohort_data
    client.force_login(UserFactory(roles=["staff"]))
    url = reverse("cohorts:selection_analysis_export")

    csv_text = client.get(url, {"format": "csv", "cohort": cohort.pk}).content.decode("utf-8-sig")
    xlsx = client.get(url, {"format": "xlsx", "cohort": cohort.pk})

    assert csv_text.splitlines()[1].split(",")[2] == "9"  # the "Ensemble" row: 9 applied
    assert a.label in csv_text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 2
    funnel = book.worksheets[0]
    assert funnel.cell(row=2, column=3).value == 9


def test_an_unknown_export_format_is_refused_with_a_message(client):
    client.force_login(UserFactory(roles=["staff"]))

    response = client.get(reverse("cohorts:selection_analysis_export"), {"format": "pdf"}, follow=True)

    assert response.status_code == 200
    assert "Format d&#x27;export inconnu" in response.content.decode()


def test_other_roles_get_a_404(client):
    client.force_login(UserFactory(roles=["reviewer"]))
    assert client.get(reverse("cohorts:selection_analysis")).status_code == 404
    assert client.get(reverse("cohorts:selection_analysis_export")).status_code == 404


def test_each_criterion_shows_who_fails_it_and_who_it_alone_excludes(client, cohort_data):
    cohort, a, b = cohort_data

    exclusions = {
        item.criterion.pk: item for item in selection_analysis(Application.objects.filter(cohort=cohort), [cohort]).exclusions
    }

    # A is failed by 3, 4 and 5 (all women) but excludes only 3 and 4 alone (5 also fails B).
    by_a = exclusions[a.pk]
    assert (by_a.failing, by_a.excluded) == (3, 2)
    women = {group.key: group for group in by_a.groups["gender"]}["woman"]
    assert (women.failing, women.failing_share, women.excluded) == (3, 60.0, 2)
    # B is failed by 5 and 8, and excludes 8 alone.
    assert (exclusions[b.pk].failing, exclusions[b.pk].excluded) == (2, 1)
    client.force_login(UserFactory(roles=["staff"]))
    html = client.get(reverse("cohorts:selection_analysis"), {"cohort": cohort.pk}).content.decode()
    assert "3 ne le remplissent pas" in html and "2 exclu·es par lui seul" in html
    assert "Ne remplissent pas ce critère" in html and "Exclu·es par ce seul critère" in html
    csv_text = client.get(reverse("cohorts:selection_analysis_export"), {"format": "csv", "cohort": cohort.pk}).content
    assert "ne remplissent pas ce critère" in csv_text.decode("utf-8-sig")
