"""The staff page of a cohort's eligibility criteria: saving, validation, and the engine behind it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, EligibilityCriterion
from cohorts.services.screening import criteria_replace
from cohorts.tests.factories import CohortFactory, EligibilityCriterionFactory
from cohorts.tests.factories_screening import applicant, criteria_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=["staff"]))
    return client


@pytest.fixture
def cohort():
    return CohortFactory()


def edit_url(cohort) -> str:
    return reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk})


def test_the_page_lists_the_cohorts_criteria_and_the_allowed_codes(staff_client, cohort):
    EligibilityCriterionFactory(cohort=cohort, label="Au moins deux ans d'existence")

    response = staff_client.get(edit_url(cohort))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Au moins deux ans d&#x27;existence" in html
    assert "Saint-Louis" in html and "<code>saint-louis</code>" not in html  # regions by name, codes internal
    assert "criteria-__prefix__-field" in html  # the template of a new row


def test_saving_creates_updates_and_deletes_criteria(staff_client, cohort):
    kept = EligibilityCriterionFactory(cohort=cohort, field="company_age", operator="gte", value="2", order=0)
    removed = EligibilityCriterionFactory(cohort=cohort, field="is_formal", operator="true", value="", order=1)
    data = criteria_post(
        [
            {"id": kept.pk, "field": "company_age", "operator": "gte", "value": "1", "label": "Un an au moins"},
            {"id": removed.pk, "field": "is_formal", "operator": "true", "DELETE": True},
            {"field": "region", "operator": "not_in", "value": "Dakar, thies", "label": "Hors de l'axe"},
        ],
        initial=2,
    )

    response = staff_client.post(edit_url(cohort), data)

    assert response.status_code == 302
    criteria = list(cohort.criteria.values_list("pk", "field", "operator", "value", "label"))
    assert criteria[0] == (kept.pk, "company_age", "gte", "1", "Un an au moins")  # updated in place, same id
    assert criteria[1][1:] == ("region", "not_in", "dakar,thies", "Hors de l'axe")  # labels mapped to codes
    assert len(criteria) == 2
    assert not EligibilityCriterion.objects.filter(pk=removed.pk).exists()


def test_saving_does_not_rescreen_applications(staff_client, cohort):
    application = applicant(cohort, status=ApplicationStatus.ELIGIBLE, company_age=1)

    staff_client.post(edit_url(cohort), criteria_post([{"field": "company_age", "operator": "gte", "value": "2"}]))

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ({"field": "company_age", "operator": "gte", "value": "deux"}, "Saisissez un nombre"),
        ({"field": "company_age", "operator": "gte", "value": ""}, "Saisissez un nombre"),
        ({"field": "company_age", "operator": "in", "value": "2"}, "choisissez un de ces opérateurs"),
        ({"field": "is_formal", "operator": "true", "value": "oui"}, "Laissez la valeur vide"),
        ({"field": "is_formal", "operator": "gte", "value": ""}, "choisissez un de ces opérateurs"),
        ({"field": "sector", "operator": "in", "value": "agrifood, spatial"}, "Code inconnu : spatial"),
        ({"field": "gender", "operator": "eq", "value": "woman,man"}, "Un seul code"),
        ({"field": "education", "operator": "gte", "value": "master"}, "choisissez un de ces opérateurs"),
        ({"field": "region", "operator": "in", "value": " , "}, "Saisissez au moins un code"),
    ],
)
def test_a_bad_criterion_is_a_form_error_in_french_and_nothing_is_saved(staff_client, cohort, row, error):
    response = staff_client.post(edit_url(cohort), criteria_post([row]))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not cohort.criteria.exists()


def test_the_error_for_an_unknown_code_lists_the_allowed_codes(staff_client, cohort):
    response = staff_client.post(edit_url(cohort), criteria_post([{"field": "sector", "operator": "eq", "value": "spatial"}]))

    form = response.context["formset"].forms[0]
    assert "agrifood (Agroalimentaire)" in form.errors["value"][0]


def test_the_same_rule_twice_is_refused(staff_client, cohort):
    row = {"field": "is_formal", "operator": "true"}

    response = staff_client.post(edit_url(cohort), criteria_post([row, row]))

    assert "est en double" in response.content.decode()
    assert not cohort.criteria.exists()


def test_a_criterion_id_of_another_cohort_is_refused_not_moved(staff_client, cohort):
    foreign = EligibilityCriterionFactory(label="Autre cohorte")
    data = criteria_post([{"id": foreign.pk, "field": "is_formal", "operator": "true"}], initial=1)

    response = staff_client.post(edit_url(cohort), data)

    assert response.status_code == 200
    assert response.context["formset"].errors
    foreign.refresh_from_db()
    assert foreign.cohort_id != cohort.pk
    assert foreign.label == "Autre cohorte"


def test_the_service_refuses_a_criterion_of_another_cohort(cohort):
    foreign = EligibilityCriterionFactory()

    with pytest.raises(ValidationError) as error:
        criteria_replace(
            cohort=cohort, rows=[{"id": foreign.pk, "field": "is_formal", "operator": "true", "label": "x"}], by=None
        )

    assert "n'appartient pas" in str(error.value)
    assert foreign.cohort.criteria.count() == 1


def test_a_double_submission_of_a_new_criterion_leaves_one(staff_client, cohort):
    data = criteria_post([{"field": "is_formal", "operator": "true"}])

    staff_client.post(edit_url(cohort), data)
    staff_client.post(edit_url(cohort), data)

    assert cohort.criteria.count() == 1


# --- The engine through the page: save a criterion, re-screen, read the outcome ---------------------

RESCREEN_CASES = [
    # (criterion row, applicant profile, expected to pass)
    ({"field": "company_age", "operator": "gte", "value": "2"}, {"company_age": 2}, True),
    ({"field": "company_age", "operator": "gte", "value": "2"}, {"company_age": 1}, False),
    ({"field": "company_age", "operator": "lt", "value": "2,5"}, {"company_age": 2}, True),
    ({"field": "employees", "operator": "gt", "value": "10"}, {"employees": 10}, False),
    ({"field": "employees", "operator": "lte", "value": "10"}, {"employees": 10}, True),
    ({"field": "turnover_floor_mxof", "operator": "eq", "value": "50"}, {"turnover_band": "50-100m"}, True),
    ({"field": "turnover_floor_mxof", "operator": "ne", "value": "50"}, {"turnover_band": "50-100m"}, False),
    ({"field": "is_formal", "operator": "true"}, {"is_formal": False}, False),
    ({"field": "is_formal", "operator": "false"}, {"is_formal": False}, True),
    ({"field": "is_diaspora", "operator": "true"}, {"diaspora": True}, True),
    ({"field": "gender", "operator": "eq", "value": "Femme"}, {"gender": "woman"}, True),
    ({"field": "gender", "operator": "ne", "value": "woman"}, {"gender": "woman"}, False),
    ({"field": "region", "operator": "in", "value": "kolda,matam"}, {"region": "kolda"}, True),
    ({"field": "region", "operator": "not_in", "value": "dakar,thies"}, {"region": "dakar"}, False),
    ({"field": "sector", "operator": "in", "value": "digital"}, {"sector": "agrifood"}, False),
    ({"field": "legal_form", "operator": "not_in", "value": "informal"}, {"legal_form": "sarl"}, True),
]


@pytest.mark.parametrize(("row", "profile", "passes"), RESCREEN_CASES)
def test_criteria_saved_on_the_page_decide_eligibility(staff_client, cohort, row, profile, passes):
    application = applicant(cohort, **profile)
    staff_client.post(edit_url(cohort), criteria_post([row]))

    response = staff_client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == (ApplicationStatus.ELIGIBLE if passes else ApplicationStatus.INELIGIBLE)


def test_an_inactive_criterion_is_kept_but_not_applied(staff_client, cohort):
    application = applicant(cohort, company_age=0)
    staff_client.post(
        edit_url(cohort), criteria_post([{"field": "company_age", "operator": "gte", "value": "2", "is_active": False}])
    )

    staff_client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk}))

    application.refresh_from_db()
    assert cohort.criteria.get().is_active is False
    assert application.status == ApplicationStatus.ELIGIBLE


# --- Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coach", "reviewer", "entrepreneur", "committee", "evaluator"])
def test_other_roles_get_a_404_and_change_nothing(client, cohort, role):
    client.force_login(UserFactory(roles=[role]))
    data = criteria_post([{"field": "is_formal", "operator": "true"}])

    assert client.get(edit_url(cohort)).status_code == 404
    assert client.post(edit_url(cohort), data).status_code == 404
    assert client.post(reverse("cohorts:criteria_preview", kwargs={"pk": cohort.pk}), data).status_code == 404
    assert client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": cohort.pk})).status_code == 404
    assert client.get(reverse("cohorts:criteria_cohort_list")).status_code == 404
    assert not cohort.criteria.exists()


def test_a_cohort_that_does_not_exist_is_a_404(staff_client, cohort):
    missing = cohort.pk + 1000

    assert staff_client.get(reverse("cohorts:criteria_edit", kwargs={"pk": missing})).status_code == 404
    assert staff_client.post(reverse("cohorts:criteria_preview", kwargs={"pk": missing}), criteria_post([])).status_code == 404
    assert staff_client.post(reverse("cohorts:criteria_rescreen", kwargs={"pk": missing})).status_code == 404


def test_visitors_are_sent_to_the_login_page(client, cohort):
    response = client.get(edit_url(cohort))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_cohort_list_links_to_each_cohorts_criteria(staff_client):
    cohorts = CohortFactory.create_batch(3)
    EligibilityCriterionFactory(cohort=cohorts[0])

    response = staff_client.get(reverse("cohorts:criteria_cohort_list"))

    html = response.content.decode()
    for cohort in cohorts:
        assert edit_url(cohort) in html
    assert [c.active_criteria_count for c in response.context["cohorts"] if c.pk == cohorts[0].pk] == [1]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_cohort_list_takes_the_same_queries_for_3_or_30_cohorts(staff_client, django_assert_num_queries, rows):
    for cohort in CohortFactory.create_batch(rows):
        EligibilityCriterionFactory(cohort=cohort)
        applicant(cohort)
    # session, user, savepoint (ATOMIC_REQUESTS), the user's groups (role check),
    # the active criteria per cohort, the submitted applications per cohort, the cohorts with their
    # programme, release savepoint
    with django_assert_num_queries(8):
        response = staff_client.get(reverse("cohorts:criteria_cohort_list"))
    assert len(response.context["cohorts"]) == rows
