"""Safeguards on decisions: no decision while required reviews are missing unless staff say why, no
outcome chosen in advance, a reason always, and reviews closed once a decision is notified."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.forms.selection import SelectionBatchForm
from cohorts.models import ApplicationStatus, DecisionOutcome, ReviewScore, SelectionDecision
from cohorts.services.review import review_save_draft
from cohorts.services.selection import application_shortlist, selection_decide
from cohorts.tests.factories import CohortFactory, ReviewFactory
from cohorts.tests.factories_review import application_at, reviewer, rubric, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF], preferred_language="fr")


def half_reviewed(status=ApplicationStatus.UNDER_REVIEW):
    """An application whose cohort requires 2 reviews and that has only 1 submitted."""
    application = application_at(status, cohort=CohortFactory(min_reviews=2))
    submitted_review(application, reviewer(), {})
    return application


# --- Missing reviews --------------------------------------------------------------------------------


def test_a_decision_is_refused_while_a_required_review_is_missing(staff):
    application = half_reviewed(ApplicationStatus.SHORTLISTED)

    with pytest.raises(ValidationError, match="Il manque 1 évaluation requise"):
        selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Très bon", by=staff)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert not SelectionDecision.objects.exists()


def test_shortlisting_is_refused_too_while_a_required_review_is_missing(staff):
    application = half_reviewed()

    with pytest.raises(ValidationError, match="Il manque 1 évaluation requise"):
        application_shortlist(application=application, by=staff)
    application_shortlist(application=application, by=staff, override_reason="Deuxième évaluateur malade")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert "Deuxième évaluateur malade" in application.transitions.get(to_status=ApplicationStatus.SHORTLISTED).note


def test_a_decision_with_an_override_reason_is_recorded_with_it_in_its_history(staff):
    application = half_reviewed(ApplicationStatus.SHORTLISTED)

    decision = selection_decide(
        application=application,
        outcome=DecisionOutcome.SELECTED,
        reason="Très bon",
        by=staff,
        override_reason="Comité demain, l'évaluatrice est injoignable",
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert decision.override_reason == "Comité demain, l'évaluatrice est injoignable"
    assert decision.history.get().override_reason == "Comité demain, l'évaluatrice est injoignable"


def test_the_board_refuses_without_the_override_box_and_accepts_with_box_and_reason(client, staff):
    application = half_reviewed(ApplicationStatus.SHORTLISTED)
    url = reverse("cohorts:selection_decide", args=[application.cohort_id])
    client.force_login(staff)
    data = {"applications": [application.pk], "action": "selected", "reason": "Très bon"}

    refused = client.post(url, data, follow=True)
    assert "Il manque 1 évaluation requise" in refused.content.decode()
    box_without_reason = client.post(url, {**data, "override": "on", "override_reason": " "})
    assert box_without_reason.status_code == 200
    assert box_without_reason.context["form"].errors["override_reason"]
    reason_without_box = client.post(url, {**data, "override_reason": "Urgent"}, follow=True)
    assert "Il manque 1 évaluation requise" in reason_without_box.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED

    accepted = client.post(url, {**data, "override": "on", "override_reason": "Urgent"}, follow=True)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert SelectionDecision.objects.get().override_reason == "Urgent"
    assert "Sans toutes les évaluations : Urgent" in accepted.content.decode()


def test_review_counts_read_n_of_required_and_never_a_bare_fraction(client, staff):
    application = application_at(ApplicationStatus.UNDER_REVIEW, cohort=CohortFactory(min_reviews=2))
    for _ in range(3):
        submitted_review(application, reviewer(), {})
    client.force_login(staff)

    for name in ("cohorts:selection_board", "cohorts:review_board"):
        html = client.get(reverse(name, args=[application.cohort_id])).content.decode()
        assert "3 avis (2 requis)" in html
        assert "3/2" not in html


# --- The form: nothing chosen in advance, reason required ------------------------------------------


def test_no_action_is_chosen_in_advance(client, staff):
    application = half_reviewed()
    client.force_login(staff)

    html = client.get(reverse("cohorts:selection_board", args=[application.cohort_id])).content.decode()

    select = html.split('name="action"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == [""]
    form = SelectionBatchForm({"applications": [application.pk], "reason": "x"}, cohort=application.cohort)
    assert not form.is_valid() and form.errors["action"] == ["Choisissez une action."]


def test_a_decision_without_a_reason_is_refused_in_the_users_language(client, staff):
    application = application_at(ApplicationStatus.SHORTLISTED)
    staff.preferred_language = "en"
    staff.save()
    client.force_login(staff)

    response = client.post(
        reverse("cohorts:selection_decide", args=[application.cohort_id]),
        {"applications": [application.pk], "action": "rejected", "reason": "   "},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert "Give the reason for the decision." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    with pytest.raises(ValidationError):
        selection_decide(application=application, outcome=DecisionOutcome.REJECTED, reason="", by=staff)


# --- Reviews closed once a decision is notified -----------------------------------------------------


def notified(application):
    SelectionDecision.objects.create(
        application=application, outcome=DecisionOutcome.REJECTED, reason="Hors cible", notified_at=timezone.now()
    )


def test_scoring_is_refused_once_a_decision_is_notified(client):
    application = application_at(ApplicationStatus.UNDER_REVIEW)
    (market,) = rubric(application.cohort, ("marche", 1, 5))
    person = reviewer()
    review = ReviewFactory(application=application, reviewer=person)
    application.status = ApplicationStatus.REJECTED
    application.save(update_fields=["status"])
    notified(application)

    with pytest.raises(ValidationError, match="les évaluations sont closes"):
        review_save_draft(review=review, scores={market.pk: 3})
    client.force_login(person)
    url = reverse("cohorts:review_score", args=[review.pk])
    page = client.get(url)
    posted = client.post(url, {f"score_{market.pk}": "3", "save_draft": "1"}, follow=True)

    assert page.context["form"] is None
    assert 'name="score_' not in page.content.decode()
    assert "les évaluations sont closes" in page.content.decode()
    assert "les évaluations sont closes" in posted.content.decode()
    assert not ReviewScore.objects.exists()
    assert "Close : décision notifiée" in client.get(reverse("cohorts:review_list")).content.decode()


# --- English pages: no French space before a colon ---------------------------------------------------


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_english_pages_of_this_stage_put_no_space_before_a_colon(client):
    application = half_reviewed(ApplicationStatus.SHORTLISTED)
    (market,) = rubric(application.cohort, ("marche", 1, 5))
    application.gender_commitment, application.environmental_commitment = "Parity", "Solar"
    application.save(update_fields=["gender_commitment", "environmental_commitment"])
    staff = UserFactory(roles=[Role.STAFF], preferred_language="en")
    selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Good", by=staff, override_reason="Urgent")
    person = reviewer(preferred_language="en")
    review = ReviewFactory(application=application, reviewer=person)
    pages = []
    client.force_login(staff)
    pages += [
        client.get(reverse(name, args=[application.cohort_id])) for name in ("cohorts:selection_board", "cohorts:review_board")
    ]
    pages.append(
        client.post(reverse("cohorts:selection_decide", args=[application.cohort_id]), {"applications": [application.pk]})
    )
    client.force_login(person)
    pages.append(client.get(reverse("cohorts:review_score", args=[review.pk])))

    for page in pages:
        text = visible_text(page.content.decode())
        assert page.status_code == 200 and 'lang="en"' in page.content.decode()
        assert not re.findall(r"\S+ :", text), re.findall(r".{30}\S+ :.{10}", text)
    assert "Without every review: Urgent" in visible_text(pages[0].content.decode())
    assert "Gender:" in visible_text(pages[-1].content.decode())
