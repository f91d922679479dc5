"""The staff page of one application: who may open it, what it shows (answers with readable labels,
documents through the checked view, screening, reviews, history, decision), a number of queries that does
not grow with documents or reviews, and the decision taken from it through the selection safeguards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import (
    ApplicationStatus,
    ApplicationTransition,
    DecisionOutcome,
    PartnershipType,
    SelectionDecision,
)
from cohorts.services.selection import selection_decide
from cohorts.tests.factories import (
    ApplicationDocumentFactory,
    ConflictOfInterestFactory,
    EligibilityCriterionFactory,
    ReviewFactory,
)
from cohorts.tests.factories_review import application_at, reviewer, rubric, submitted_review

pytestmark = pytest.mark.django_db


def page_url(application) -> str:
    return reverse("cohorts:application_staff_detail", args=[application.pk])


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF], first_name="Fatou", last_name="Sarr")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def reviewed_application(*, documents: int = 1, reviews: int = 2, status=ApplicationStatus.UNDER_REVIEW):
    """An application under review with `documents` documents and `reviews` submitted reviews on a
    two-criterion rubric, one failed eligibility criterion and a couple of transitions."""
    application = application_at(
        status,
        partnership_types=[PartnershipType.INVESTMENT, PartnershipType.CO_DEVELOPMENT],
        motivation="Trouver un distributeur belge.",
        failed_criteria=[],
        is_eligible=True,
        eligibility_checked_at=timezone.now(),
    )
    application.cohort.min_reviews = 2
    application.cohort.save(update_fields=["min_reviews"])
    EligibilityCriterionFactory(cohort=application.cohort, label="Entreprise formelle")
    market, team = rubric(application.cohort, ("marche", 2, 5), ("equipe", 1, 5))
    market.label_fr, market.label_en = "Potentiel sur le marché belge", "Belgian market potential"
    market.save()
    for number in range(documents):
        ApplicationDocumentFactory(application=application, kind="business_plan", original_name=f"plan-{number}.pdf")
    for number in range(reviews):
        review = submitted_review(
            application, reviewer(first_name=f"Jury{number}", last_name="Diop"), {market: 4, team: 3}, comment=f"Avis {number}"
        )
        review.scores.filter(criterion=market).update(comment="Marché bien identifié")
    ApplicationTransition.objects.create(
        application=application, from_status=ApplicationStatus.SUBMITTED, to_status=ApplicationStatus.ELIGIBLE
    )
    ApplicationTransition.objects.create(
        application=application, from_status=ApplicationStatus.ELIGIBLE, to_status=ApplicationStatus.UNDER_REVIEW
    )
    return application


# --- who -------------------------------------------------------------------------------------------


def test_staff_open_it(staff_client):
    application = reviewed_application()
    assert staff_client.get(page_url(application)).status_code == 200


def test_the_reviewer_assigned_to_it_is_refused(client):
    application = reviewed_application()
    review = ReviewFactory(application=application)
    client.force_login(review.reviewer)
    assert client.get(page_url(application)).status_code == 404


def test_its_own_applicant_is_refused(client):
    application = reviewed_application()
    client.force_login(application.entrepreneur.user)
    assert client.get(page_url(application)).status_code == 404


def test_a_visitor_is_sent_to_login(client):
    response = client.get(page_url(reviewed_application()))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_application_is_a_404(staff_client):
    assert staff_client.get(reverse("cohorts:application_staff_detail", args=[999999])).status_code == 404


# --- what ------------------------------------------------------------------------------------------


def test_it_shows_the_answers_with_labels_never_codes(staff_client):
    application = reviewed_application()

    html = staff_client.get(page_url(application)).content.decode()

    assert "Investissement" in html and "Co-développement d&#x27;un produit ou service" in html
    assert "co_development" not in html and "investment" not in html
    assert "Trouver un distributeur belge." in html
    assert application.company.name in html


def test_it_links_each_document_to_the_checked_view_to_open_and_to_download(staff_client):
    application = reviewed_application(documents=2)

    html = staff_client.get(page_url(application)).content.decode()

    for document in application.documents.all():
        url = reverse("cohorts:application_document_download", kwargs={"pk": application.pk, "document_pk": document.pk})
        assert f'href="{url}?view=1"' in html
        assert f'href="{url}"' in html
        assert document.original_name in html
        assert document.file.name not in html


def test_a_reviewer_opens_no_document_of_an_application_not_assigned_to_them(client):
    from cohorts.models import DocumentAccess

    application = reviewed_application(documents=1)
    elsewhere = ReviewFactory(application=reviewed_application(documents=1))  # assigned in another application
    document = application.documents.get()
    client.force_login(elsewhere.reviewer)

    direct = reverse("cohorts:application_document_download", kwargs={"pk": application.pk, "document_pk": document.pk})
    # The document's id under the application the reviewer is assigned to is not found either.
    through = reverse(
        "cohorts:application_document_download", kwargs={"pk": elsewhere.application.pk, "document_pk": document.pk}
    )

    assert client.get(direct + "?view=1").status_code == 404
    assert client.get(through).status_code == 404
    assert not DocumentAccess.objects.exists()


def test_the_scoring_page_names_the_partnership_types_never_their_codes(client):
    application = reviewed_application()
    review = ReviewFactory(application=application)
    client.force_login(review.reviewer)

    html = client.get(reverse("cohorts:review_score", args=[review.pk])).content.decode()

    assert "Investissement" in html and "co_development" not in html and "investment" not in html


def test_it_lists_who_opened_each_document(staff_client):
    from cohorts.models import DocumentAccess

    application = reviewed_application(documents=1)
    document = application.documents.get()
    DocumentAccess.objects.create(document=document, user=UserFactory(first_name="Ibrahima", last_name="Diop"), inline=True)

    html = staff_client.get(page_url(application)).content.decode()

    assert "ouvert 1 fois" in html and "Ibrahima Diop" in html and "ouvert dans le navigateur" in html


def test_it_shows_the_reviews_with_their_scores_by_criterion(staff_client):
    application = reviewed_application(reviews=2)
    ReviewFactory(application=application, reviewer=reviewer(first_name="Lente", last_name="Ba"))  # not submitted

    html = staff_client.get(page_url(application)).content.decode()

    assert "2 avis (2 requis)" in html
    assert "Jury0 Diop" in html and "Jury1 Diop" in html and "Lente Ba" in html
    assert "Potentiel sur le marché belge" in html and "4 / 5" in html and "3 / 5" in html
    assert "Marché bien identifié" in html and "Avis 1" in html
    assert "pas encore soumise" in html
    # Weighted on 100: (4/5·2 + 3/5·1) / 3 = 73.3
    assert "73,3 / 100" in html


def test_it_shows_the_screening_criterion_by_criterion(staff_client):
    application = reviewed_application()
    failed = EligibilityCriterionFactory(cohort=application.cohort, label="Au moins deux ans")
    application.failed_criteria = [{"id": failed.pk, "label": "Au moins deux ans"}]
    application.save(update_fields=["failed_criteria"])

    html = staff_client.get(page_url(application)).content.decode()

    assert "Entreprise formelle" in html and "Au moins deux ans" in html
    assert "Non rempli :</span>Au moins deux ans" in html.replace("\n", "").replace("  ", "")


def test_it_shows_the_history_with_the_decision_and_its_changes(staff_client, staff):
    application = reviewed_application(status=ApplicationStatus.SHORTLISTED)
    selection_decide(application=application, outcome=DecisionOutcome.WAITLISTED, reason="Liste complète", by=staff)
    selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Une place libérée", by=staff)

    html = staff_client.get(page_url(application)).content.decode()

    assert "Décision enregistrée : Liste d&#x27;attente" in html
    assert "Décision modifiée : Sélectionnée" in html
    assert "Liste complète" in html and "Une place libérée" in html
    assert "Éligible → En évaluation" in html
    assert "Fatou Sarr" in html


def test_in_english_labels_and_rubric_are_english(client, staff):
    staff.preferred_language = "en"
    staff.save()
    client.force_login(staff)
    application = reviewed_application()

    html = client.get(page_url(application), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Belgian market potential" in html


# --- queries ---------------------------------------------------------------------------------------


def _queries(client, application) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(page_url(application)).status_code == 200
    return len(context.captured_queries)


def test_the_queries_do_not_grow_with_documents_and_reviews(staff_client):
    from cohorts.models import DocumentAccess

    small = reviewed_application(documents=2, reviews=2)
    large = reviewed_application(documents=10, reviews=10)
    for application in (small, large):
        ConflictOfInterestFactory(application=application)
        for document in application.documents.all():
            DocumentAccess.objects.create(document=document, user=UserFactory(), inline=True)

    assert _queries(staff_client, small) == _queries(staff_client, large)


@pytest.mark.parametrize("size", [2, 10])
def test_the_page_takes_at_most_a_fixed_number_of_queries(staff_client, size, django_assert_max_num_queries):
    application = reviewed_application(documents=size, reviews=size)
    # 1 session, 2 user, 3 SAVEPOINT, 4 the user's groups (role check), 5 the application with its people,
    # cohort and decision, 6 documents, 7 their openings with who opened them, 8 reviews (with weighted
    # totals and reviewers), 9 their scores with criteria, 10 conflicts, 11 transitions, 12 the cohort's
    # eligibility criteria, 13 the decision's versions, 14 RELEASE SAVEPOINT.
    with django_assert_max_num_queries(14):
        staff_client.get(page_url(application))


# --- decision --------------------------------------------------------------------------------------


def test_a_decision_with_reviews_missing_is_refused_without_an_override(staff_client):
    application = reviewed_application(reviews=1, status=ApplicationStatus.SHORTLISTED)

    page = staff_client.get(page_url(application)).content.decode()
    response = staff_client.post(page_url(application), {"action": "selected", "reason": "Dossier solide"}, follow=True)

    assert 'data-test="reviews-missing"' in page
    assert "Il manque 1 évaluation requise" in response.content.decode()
    assert not SelectionDecision.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED


def test_a_decision_with_an_override_and_its_reason_is_recorded_and_shown(staff_client, staff):
    application = reviewed_application(reviews=1, status=ApplicationStatus.SHORTLISTED)

    response = staff_client.post(
        page_url(application),
        {"action": "selected", "reason": "Dossier solide", "override": "on", "override_reason": "Jury absent"},
    )

    assert response.status_code == 302 and response["Location"] == page_url(application)
    decision = SelectionDecision.objects.get(application=application)
    assert (decision.outcome, decision.reason_fr, decision.override_reason, decision.decided_by) == (
        "selected",
        "Dossier solide",
        "Jury absent",
        staff,
    )
    html = staff_client.get(page_url(application)).content.decode()
    assert "Sans toutes les évaluations : Jury absent" in html


def test_a_decision_without_a_reason_is_a_form_error(staff_client):
    application = reviewed_application(status=ApplicationStatus.SHORTLISTED)

    response = staff_client.post(page_url(application), {"action": "rejected", "reason": ""})

    assert response.status_code == 200
    assert "Indiquez le motif de la décision." in response.content.decode()
    assert not SelectionDecision.objects.exists()


def test_the_decision_applies_to_this_application_only_whatever_is_posted(staff_client):
    application = reviewed_application(status=ApplicationStatus.SHORTLISTED)
    other = reviewed_application(status=ApplicationStatus.SHORTLISTED)
    other.cohort = application.cohort
    other.save(update_fields=["cohort"])

    staff_client.post(page_url(application), {"action": "rejected", "reason": "Non", "applications": [other.pk]})

    assert list(SelectionDecision.objects.values_list("application", flat=True)) == [application.pk]


def test_no_decision_form_before_review_and_a_post_changes_nothing(staff_client):
    application = application_at(ApplicationStatus.ELIGIBLE)
    application.submitted_at = timezone.now() - datetime.timedelta(days=1)
    application.save(update_fields=["submitted_at"])

    page = staff_client.get(page_url(application))
    response = staff_client.post(page_url(application), {"action": "selected", "reason": "x"}, follow=True)

    assert page.context["form"] is None
    assert "Aucune décision n&#x27;est possible" in response.content.decode()
    assert not SelectionDecision.objects.exists()


# --- linked from the staff lists -------------------------------------------------------------------


def test_the_review_and_selection_boards_link_to_the_page(staff_client):
    application = reviewed_application(status=ApplicationStatus.UNDER_REVIEW)
    url = page_url(application)

    review_board = staff_client.get(reverse("cohorts:review_board", args=[application.cohort.pk])).content.decode()
    selection_board = staff_client.get(reverse("cohorts:selection_board", args=[application.cohort.pk])).content.decode()

    assert url in review_board
    assert url in selection_board
