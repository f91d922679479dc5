"""Review pages: a reviewer sees only their own reviews and scores; staff see the board and assign."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, ConflictOfInterest, Review
from cohorts.tests.factories import (
    ApplicationDocumentFactory,
    CohortFactory,
    ConflictOfInterestFactory,
    ReviewFactory,
)
from cohorts.tests.factories_review import application_at, reviewer, rubric, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """An application under review with a two-criterion rubric, scored by Binta; Awa has yet to score."""
    application = application_at(status=ApplicationStatus.UNDER_REVIEW, motivation="Exporter du fonio en Belgique")
    market, team = rubric(application.cohort, ("marche", 2, 5), ("equipe", 1, 10))
    awa, binta = reviewer(), reviewer()
    mine = ReviewFactory(application=application, reviewer=awa)
    submitted_review(application, binta, {market: 1, team: 9}, comment="AVIS-SECRET-DE-BINTA")
    return {"application": application, "market": market, "team": team, "awa": awa, "binta": binta, "review": mine}


def score_url(review):
    return reverse("cohorts:review_score", args=[review.pk])


# --- The reviewer's list ---------------------------------------------------------------------------


def test_the_list_shows_my_reviews_but_not_others_nor_conflicted_ones(client, setting):
    conflicted = ReviewFactory(reviewer=setting["awa"])
    ConflictOfInterestFactory(application=conflicted.application, reviewer=setting["awa"])
    someone_elses = ReviewFactory()
    client.force_login(setting["awa"])

    html = client.get(reverse("cohorts:review_list")).content.decode()

    assert score_url(setting["review"]) in html
    assert score_url(conflicted) not in html
    assert score_url(someone_elses) not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_reviewers_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    me = reviewer()
    for _ in range(rows):
        ReviewFactory(reviewer=me)
    client.force_login(me)

    # session, user, savepoint (ATOMIC_REQUESTS), user's groups (role check), the reviews with their
    # counts, release savepoint.
    with django_assert_num_queries(6):
        response = client.get(reverse("cohorts:review_list"))
    assert response.status_code == 200


# --- The scoring page ------------------------------------------------------------------------------


def test_the_scoring_page_shows_the_application_but_never_other_reviewers_scores(client, setting):
    ApplicationDocumentFactory(application=setting["application"], original_name="bilan-2023.pdf")
    client.force_login(setting["awa"])

    response = client.get(score_url(setting["review"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Exporter du fonio en Belgique" in html
    assert setting["application"].company.name in html
    assert "bilan-2023.pdf" in html
    assert f'name="score_{setting["market"].pk}"' in html
    assert "AVIS-SECRET-DE-BINTA" not in html
    assert str(setting["binta"]) not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_rubric_texts_typed_by_staff_are_escaped_and_never_run_as_template_code(client, setting, language):
    market = setting["market"]
    market.label = market.label_en = "<img src=x onerror=alert(1)>{{ user.password }}"
    market.guidance = "{{ csrf_token }}<script>alert(2)</script>"
    market.save()
    awa = setting["awa"]
    client.force_login(awa)
    client.cookies["django_language"] = language

    html = client.get(score_url(setting["review"])).content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;{{ user.password }}" in html
    assert "{{ csrf_token }}&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert awa.password not in html
    assert f'name="score_{market.pk}"' in html
    assert 'name="submit_review"' in html and 'name="save_draft"' in html


def test_a_reviewer_cannot_open_someone_elses_or_a_conflicted_review(client, setting):
    client.force_login(setting["awa"])
    binta_review = Review.objects.get(reviewer=setting["binta"])
    # A tampered id: Binta's review of the same application.
    assert client.get(score_url(binta_review)).status_code == 404
    assert client.post(score_url(binta_review), {"save_draft": "1"}).status_code == 404
    assert client.get(reverse("cohorts:review_conflict", args=[binta_review.pk])).status_code == 404
    # Awa, once she declares a conflict, cannot open her own review any more.
    ConflictOfInterest.objects.create(application=setting["application"], reviewer=setting["awa"], reason="Lien")
    assert client.get(score_url(setting["review"])).status_code == 404


def test_a_score_out_of_range_is_a_form_error_and_nothing_is_saved(client, setting):
    client.force_login(setting["awa"])
    market, team = setting["market"], setting["team"]

    response = client.post(
        score_url(setting["review"]),
        {f"score_{market.pk}": "6", f"score_{team.pk}": "4", "comment": "Mon avis", "submit_review": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{market.pk}"]
    assert "Mon avis" in response.content.decode()  # what was typed is kept
    setting["review"].refresh_from_db()
    assert setting["review"].submitted_at is None
    assert not setting["review"].scores.exists()


def test_submitting_without_every_score_is_a_form_error_but_a_draft_is_kept(client, setting):
    client.force_login(setting["awa"])
    market, team = setting["market"], setting["team"]

    response = client.post(score_url(setting["review"]), {f"score_{market.pk}": "3", "submit_review": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{team.pk}"]

    response = client.post(score_url(setting["review"]), {f"score_{market.pk}": "3", "save_draft": "1"})
    assert response.status_code == 302
    assert setting["review"].scores.get().score == 3


def test_a_submitted_review_is_read_only(client, setting):
    client.force_login(setting["awa"])
    market, team = setting["market"], setting["team"]
    data = {f"score_{market.pk}": "4", f"score_{team.pk}": "8", "comment": "Bon dossier", "submit_review": "1"}

    assert client.post(score_url(setting["review"]), data).status_code == 302
    again = client.post(score_url(setting["review"]), {**data, f"score_{market.pk}": "1"}, follow=True)

    assert "déjà été soumise" in again.content.decode()
    assert setting["review"].scores.get(criterion=market).score == 4
    page = client.get(score_url(setting["review"]))
    assert page.context["form"] is None
    assert 'name="score_' not in page.content.decode()
    assert "AVIS-SECRET-DE-BINTA" not in page.content.decode()


def test_declaring_a_conflict_from_the_portal(client, setting, django_capture_on_commit_callbacks, mailoutbox):
    UserFactory(roles=[Role.STAFF])
    client.force_login(setting["awa"])
    url = reverse("cohorts:review_conflict", args=[setting["review"].pk])

    assert client.post(url, {"reason": ""}).context["form"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Associé de la fondatrice"})

    assert response.status_code == 302
    assert not Review.objects.filter(pk=setting["review"].pk).exists()
    assert len(mailoutbox) == 1
    assert client.get(url).status_code == 404


# --- Staff: the board and assignments --------------------------------------------------------------


def test_the_board_shows_progress_average_spread_and_flags(client, setting):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    awa_submits = setting["review"]
    awa_submits.delete()
    submitted_review(setting["application"], setting["awa"], {setting["market"]: 5, setting["team"]: 10})
    # Binta: (2 x 0.2 + 1 x 0.9) / 3 = 43.3; Awa: 100 -> average 71.7, spread 56.7: disagreement.

    response = client.get(reverse("cohorts:review_board", args=[setting["application"].cohort_id]))

    html = response.content.decode()
    [row] = response.context["applications"]
    assert row.score.average == pytest.approx((100 + 130 / 3) / 2)
    assert "71,7" in html and "56,7" in html
    assert "Fort désaccord" in html
    assert "AVIS-SECRET-DE-BINTA" not in html  # comments stay with the review; the board shows totals


@pytest.mark.parametrize("rows", [3, 30])
def test_the_review_board_query_count_does_not_grow(client, django_assert_num_queries, rows):
    cohort = CohortFactory()
    criteria = rubric(cohort, ("marche", 2, 5))
    people = [reviewer() for _ in range(3)]
    for index in range(rows):
        application = application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
        submitted_review(application, people[index % 3], {criteria[0]: 3})
        ReviewFactory(application=application, reviewer=people[(index + 1) % 3])
        ConflictOfInterestFactory(application=application, reviewer=people[(index + 2) % 3])
    client.force_login(UserFactory(roles=[Role.STAFF]))

    # session, user, savepoint, groups, cohort, the count for the pages, the page's applications, their
    # reviews (with totals and reviewers), their conflicts, the reviewers and their loads (one grouped
    # count), the single-assignment form's applications (those of the page) and reviewers, release savepoint.
    with django_assert_num_queries(14):
        response = client.get(reverse("cohorts:review_board", args=[cohort.pk]))
    assert response.status_code == 200


def test_staff_spread_the_cohort_over_the_chosen_reviewers(client):
    cohort = CohortFactory(min_reviews=2)
    applications = [application_at(cohort=cohort) for _ in range(4)]
    people = [reviewer() for _ in range(2)]
    client.force_login(UserFactory(roles=[Role.STAFF]))

    response = client.post(
        reverse("cohorts:review_assign_balanced", args=[cohort.pk]),
        {"reviewers": [p.pk for p in people], "per_application": "2"},
        follow=True,
    )

    assert response.status_code == 200
    assert "8 affectations créées" in response.content.decode()
    assert all(a.reviews.count() == 2 for a in applications)


def test_a_tampered_assignment_is_a_message_not_a_500(client):
    cohort = CohortFactory()
    elsewhere = application_at()  # another cohort's application
    conflicted = application_at(cohort=cohort)
    person = reviewer()
    ConflictOfInterestFactory(application=conflicted, reviewer=person)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("cohorts:review_assign", args=[cohort.pk])

    first = client.post(url, {"application": elsewhere.pk, "reviewer": person.pk}, follow=True)
    second = client.post(url, {"application": conflicted.pk, "reviewer": person.pk}, follow=True)
    third = client.post(url, {"application": "x", "reviewer": UserFactory().pk}, follow=True)

    assert first.status_code == second.status_code == third.status_code == 200
    assert "alert-danger" in first.content.decode()
    assert "conflit d'intérêts" in second.content.decode()
    assert not Review.objects.exists()


def test_a_long_review_board_is_paginated_and_its_menu_offers_the_page(client):
    cohort = CohortFactory()
    applications = [application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW) for _ in range(60)]
    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("cohorts:review_board", args=[cohort.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    first_rows, second_rows = first.context["applications"], second.context["applications"]
    assert (len(first_rows), len(second_rows)) == (50, 10)
    assert [a.pk for a in first_rows + second_rows] == [a.pk for a in applications]  # oldest submission first
    assert {a.pk for a in second.context["assign_form"].fields["application"].queryset} == {a.pk for a in second_rows}
    assert "?page=2" in first.content.decode()


def test_an_application_of_another_page_can_still_be_assigned(client):
    cohort = CohortFactory()
    application = application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
    person = reviewer()
    client.force_login(UserFactory(roles=[Role.STAFF]))

    client.post(reverse("cohorts:review_assign", args=[cohort.pk]), {"application": application.pk, "reviewer": person.pk})

    assert Review.objects.filter(application=application, reviewer=person).exists()


def test_an_assignment_sent_from_page_two_comes_back_to_page_two(client):
    cohort = CohortFactory()
    applications = [application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW) for _ in range(60)]
    person = reviewer()
    client.force_login(UserFactory(roles=[Role.STAFF]))
    board = client.get(reverse("cohorts:review_board", args=[cohort.pk]), {"page": 2}).content.decode()
    action = reverse("cohorts:review_assign", args=[cohort.pk]) + "?page=2"
    assert f'action="{action}"' in board

    response = client.post(action, {"application": applications[-1].pk, "reviewer": person.pk})

    assert response["Location"] == reverse("cohorts:review_board", args=[cohort.pk]) + "?page=2"
    assert Review.objects.filter(application=applications[-1], reviewer=person).exists()
