"""The what-if preview: unsaved criteria against the cohort's current applicants, group by group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.eligibility import application_profile
from cohorts.models import ApplicationStatus, EligibilityCriterion
from cohorts.selectors_screening import criteria_what_if
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory
from cohorts.tests.factories_screening import applicant, criteria_post

pytestmark = pytest.mark.django_db

AGE_AT_LEAST_2 = {"field": "company_age", "operator": "gte", "value": "2", "label": "Au moins 2 ans"}


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=["staff"]))
    return client


@pytest.fixture
def cohort():
    """4 women with young companies in Kolda, 4 men with old companies in Dakar (2 of them diaspora)."""
    cohort = CohortFactory()
    for _ in range(4):
        applicant(cohort, gender="woman", company_age=1, region="kolda")
    for index in range(4):
        applicant(cohort, gender="man", company_age=8, region="dakar", diaspora=index < 2)
    return cohort


def preview_url(cohort) -> str:
    return reverse("cohorts:criteria_preview", kwargs={"pk": cohort.pk})


def group(what_if: dict, dimension: str, key: str) -> dict:
    found = next(d for d in what_if["dimensions"] if d["key"] == dimension)
    return next(g for g in found["groups"] if g["key"] == key)


def test_a_criterion_that_excludes_women_more_than_men_shows_exactly(cohort):
    what_if = criteria_what_if(cohort=cohort, criteria=[EligibilityCriterion(cohort=cohort, **AGE_AT_LEAST_2)])

    assert (what_if["total"], what_if["saved_passing"], what_if["proposed_passing"]) == (8, 8, 4)
    assert (what_if["saved_rate"], what_if["proposed_rate"], what_if["drop"]) == (100.0, 50.0, 50.0)
    women, men = group(what_if, "gender", "woman"), group(what_if, "gender", "man")
    assert (women["total"], women["saved_passing"], women["proposed_passing"]) == (4, 4, 0)
    assert (women["saved_rate"], women["proposed_rate"], women["drop"], women["highlight"]) == (100.0, 0.0, 100.0, True)
    assert (men["total"], men["saved_passing"], men["proposed_passing"]) == (4, 4, 4)
    assert (men["proposed_rate"], men["drop"], men["highlight"]) == (100.0, 0.0, False)
    assert group(what_if, "gender", "other")["total"] == 0
    assert group(what_if, "gender", "other")["proposed_rate"] is None
    # The same split by territory and by company age; diaspora members are all men here.
    assert (group(what_if, "region", "elsewhere")["proposed_passing"], group(what_if, "region", "elsewhere")["total"]) == (0, 4)
    assert (group(what_if, "region", "axis")["proposed_passing"], group(what_if, "region", "axis")["total"]) == (4, 4)
    assert (group(what_if, "company_age", "lt2")["total"], group(what_if, "company_age", "lt2")["proposed_passing"]) == (4, 0)
    assert group(what_if, "company_age", "2-5")["total"] == 0
    assert (group(what_if, "company_age", "gt5")["total"], group(what_if, "company_age", "gt5")["proposed_passing"]) == (4, 4)
    assert (group(what_if, "diaspora", "yes")["total"], group(what_if, "diaspora", "yes")["proposed_rate"]) == (2, 100.0)
    assert (group(what_if, "diaspora", "no")["total"], group(what_if, "diaspora", "no")["proposed_passing"]) == (6, 2)
    assert [(g["dimension"], g["key"]) for g in what_if["most_affected"]] == [
        ("gender", "woman"),
        ("region", "elsewhere"),
        ("company_age", "lt2"),
    ]


def test_it_compares_with_the_saved_criteria_and_ignores_inactive_ones(cohort):
    EligibilityCriterionFactory(cohort=cohort, **AGE_AT_LEAST_2)  # saved: women fail today
    relaxed = [
        EligibilityCriterion(cohort=cohort, field="company_age", operator="gte", value="1", label="1 an"),
        EligibilityCriterion(cohort=cohort, field="is_formal", operator="false", label="x", is_active=False),
    ]

    what_if = criteria_what_if(cohort=cohort, criteria=relaxed)

    women = group(what_if, "gender", "woman")
    assert (women["saved_passing"], women["proposed_passing"], women["drop"], women["highlight"]) == (0, 4, -100.0, False)
    assert what_if["most_affected"] == []


def test_it_counts_only_current_applicants_and_reads_the_stored_snapshot(cohort):
    other = CohortFactory()
    applicant(other, gender="woman", company_age=1)
    applicant(cohort, gender="woman", company_age=1, status=ApplicationStatus.WITHDRAWN)
    draft = applicant(cohort, gender="woman", company_age=1)
    type(draft).objects.filter(pk=draft.pk).update(status=ApplicationStatus.DRAFT, submitted_at=None)
    # A man whose company was young when he applied: the snapshot, not today's company, counts.
    snapshot_holder = applicant(cohort, gender="man", company_age=9, status=ApplicationStatus.UNDER_REVIEW)
    snapshot = {**application_profile(snapshot_holder), "company_age": 1}
    type(snapshot_holder).objects.filter(pk=snapshot_holder.pk).update(profile_snapshot=snapshot)

    what_if = criteria_what_if(cohort=cohort, criteria=[EligibilityCriterion(cohort=cohort, **AGE_AT_LEAST_2)])

    assert what_if["total"] == 9
    men = group(what_if, "gender", "man")
    assert (men["total"], men["proposed_passing"]) == (5, 4)
    assert group(what_if, "company_age", "lt2")["total"] == 5


def test_the_preview_page_shows_the_figures_and_highlights_the_group(staff_client, cohort):
    response = staff_client.post(preview_url(cohort), criteria_post([AGE_AT_LEAST_2]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "cohorts/screening/_what_if.html"
    html = response.content.decode()
    assert "<html" not in html  # a partial for htmx
    assert "Sur 8 candidatures soumises : 8 passent les critères enregistrés, 4 passeraient les critères proposés." in html
    row = html[html.index('data-group="gender-woman"') :]
    row = row[: row.index("</tr>")]
    assert "table-warning" in html[html.index('data-group="gender-woman"') - 40 : html.index('data-group="gender-woman"')]
    assert "0 (0,0 %)" in row and "4 (100,0 %)" in row and "-100,0" in row


def test_without_javascript_the_preview_comes_back_in_the_full_page_with_the_form_as_typed(staff_client, cohort):
    response = staff_client.post(preview_url(cohort), criteria_post([AGE_AT_LEAST_2]))

    html = response.content.decode()
    assert "<html" in html
    assert 'value="Au moins 2 ans"' in html
    assert "4 passeraient les critères proposés" in html


def test_invalid_criteria_give_the_errors_in_the_preview_not_a_500(staff_client, cohort):
    data = criteria_post([{"field": "company_age", "operator": "gte", "value": "beaucoup"}])

    response = staff_client.post(preview_url(cohort), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Corrigez les critères" in html
    assert "Critère 1 (Valeur) : Saisissez un nombre" in html


def test_the_preview_writes_nothing(staff_client, cohort):
    saved = EligibilityCriterionFactory(cohort=cohort, **AGE_AT_LEAST_2)
    data = criteria_post(
        [
            {"id": saved.pk, "field": "company_age", "operator": "gte", "value": "5", "label": "Changé"},
            {"field": "is_formal", "operator": "true"},
        ],
        initial=1,
    )

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(preview_url(cohort), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    saved.refresh_from_db()
    assert (saved.value, saved.label) == ("2", "Au moins 2 ans")
    assert cohort.criteria.count() == 1
    assert set(cohort.applications.values_list("status", flat=True)) == {ApplicationStatus.SUBMITTED}


@pytest.mark.parametrize("applicants", [3, 30])
def test_the_preview_takes_the_same_queries_for_3_or_30_applicants(staff_client, django_assert_num_queries, applicants):
    cohort = CohortFactory()
    saved = EligibilityCriterionFactory(cohort=cohort, **AGE_AT_LEAST_2)
    for index in range(applicants):
        applicant(cohort, gender="woman" if index % 2 else "man", company_age=index % 7)
    data = criteria_post([{"id": saved.pk, **AGE_AT_LEAST_2}, {"field": "is_formal", "operator": "true"}], initial=1)

    # session, user, savepoint, the user's groups, the cohort with its programme, the formset's
    # existing criteria, the posted id checked, the saved active criteria, the applicants with
    # entrepreneur and company, release savepoint
    with django_assert_num_queries(10):
        response = staff_client.post(preview_url(cohort), data, HTTP_HX_REQUEST="true")
    assert response.context["what_if"]["total"] == applicants
