"""Review services: balanced assignment, scoring rules, conflicts of interest, and the scores' summary."""

from collections import Counter
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from cohorts import selectors_review
from cohorts.models import Application, ApplicationStatus, ConflictOfInterest, Review
from cohorts.services.review import (
    conflict_declare,
    review_assign,
    review_assign_balanced,
    review_save_draft,
    review_submit,
)
from cohorts.tests.factories import CohortFactory, ConflictOfInterestFactory, ReviewFactory
from cohorts.tests.factories_review import application_at, reviewer, rubric, submitted_review

pytestmark = pytest.mark.django_db


def _board(cohort):
    """The review board's rows, as its view reads them (all on one page)."""
    return selectors_review.applications_with_scores(selectors_review.review_board_applications(cohort), cohort.min_reviews)


# --- Assignment ------------------------------------------------------------------------------------


def test_balanced_assignment_spreads_the_load_and_moves_applications_under_review():
    cohort = CohortFactory(min_reviews=2)
    applications = [application_at(cohort=cohort) for _ in range(7)]
    application_at(cohort=cohort, status=ApplicationStatus.SUBMITTED)  # not screened yet: left alone
    reviewers = [reviewer() for _ in range(3)]
    staff = UserFactory(roles=[Role.STAFF])

    created = review_assign_balanced(cohort=cohort, reviewers=reviewers, by=staff)

    assert len(created) == 14
    counts = Counter(Review.objects.filter(application__cohort=cohort).values_list("reviewer_id", flat=True))
    loads = [counts[r.pk] for r in reviewers]  # a reviewer left out counts as 0
    assert max(loads) - min(loads) <= 1
    for application in applications:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.UNDER_REVIEW
        assert application.reviews.count() == 2
        assert application.transitions.filter(to_status=ApplicationStatus.UNDER_REVIEW, by=staff).exists()


def test_balanced_assignment_never_picks_a_conflicted_or_already_assigned_reviewer():
    cohort = CohortFactory(min_reviews=2)
    alice, bob, carla, dieyna = (reviewer() for _ in range(4))
    conflicted = application_at(cohort=cohort)
    ConflictOfInterestFactory(application=conflicted, reviewer=alice)
    half_done = application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
    ReviewFactory(application=half_done, reviewer=bob)
    others = [application_at(cohort=cohort) for _ in range(6)]

    review_assign_balanced(cohort=cohort, reviewers=[alice, bob, carla, dieyna], by=None)

    assert alice.pk not in set(conflicted.reviews.values_list("reviewer_id", flat=True))
    assert conflicted.reviews.count() == 2
    assert half_done.reviews.count() == 2
    assert half_done.reviews.filter(reviewer=bob).count() == 1
    pairs = list(Review.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
    assert len(pairs) == len(set(pairs)) == 2 * (2 + len(others))
    counts = Counter(reviewer_id for _, reviewer_id in pairs)
    loads = [counts[r.pk] for r in (alice, bob, carla, dieyna)]
    assert max(loads) - min(loads) <= 1


def test_balanced_assignment_twice_adds_nothing():
    cohort = CohortFactory(min_reviews=2)
    for _ in range(3):
        application_at(cohort=cohort)
    reviewers = [reviewer() for _ in range(2)]
    review_assign_balanced(cohort=cohort, reviewers=reviewers, by=None)

    assert review_assign_balanced(cohort=cohort, reviewers=reviewers, by=None) == []
    assert Review.objects.filter(application__cohort=cohort).count() == 6


def test_balanced_assignment_favours_the_least_loaded_reviewer():
    cohort = CohortFactory(min_reviews=1)
    busy, free = reviewer(), reviewer()
    for _ in range(3):
        ReviewFactory(application=application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW), reviewer=busy)
    new = [application_at(cohort=cohort) for _ in range(3)]

    review_assign_balanced(cohort=cohort, reviewers=[busy, free], by=None)

    assert all(application.reviews.get().reviewer == free for application in new)


def test_balanced_assignment_ignores_users_without_the_reviewer_role():
    cohort = CohortFactory(min_reviews=1)
    application_at(cohort=cohort)
    with pytest.raises(ValidationError):
        review_assign_balanced(cohort=cohort, reviewers=[UserFactory(roles=[Role.COACH])], by=None)


def test_single_assignment_refuses_conflicts_duplicates_and_other_roles():
    application = application_at()
    alice = reviewer()
    review_assign(application=application, reviewer=alice, by=None)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW

    with pytest.raises(ValidationError, match="évalue déjà"):
        review_assign(application=application, reviewer=alice, by=None)
    bob = reviewer()
    ConflictOfInterestFactory(application=application, reviewer=bob)
    with pytest.raises(ValidationError, match="conflit"):
        review_assign(application=application, reviewer=bob, by=None)
    with pytest.raises(ValidationError, match="rôle"):
        review_assign(application=application, reviewer=UserFactory(), by=None)
    with pytest.raises(ValidationError):
        review_assign(application=application_at(status=ApplicationStatus.SUBMITTED), reviewer=reviewer(), by=None)


def racing_insert(model, **fields):
    """Stands for another request that commits the same row between our checks and our insert."""

    def full_clean(self, *args, **kwargs):
        model.objects.create(**fields)

    return mock.patch.object(model, "full_clean", full_clean)


def test_an_assignment_racing_the_same_one_is_a_validation_error_not_a_500():
    application = application_at(status=ApplicationStatus.UNDER_REVIEW)
    alice = reviewer()

    with (
        racing_insert(Review, application=application, reviewer=alice),
        pytest.raises(ValidationError, match="évalue déjà"),
    ):
        review_assign(application=application, reviewer=alice, by=None)


def test_an_assignment_started_from_a_stale_eligible_application_still_works():
    application = application_at(status=ApplicationStatus.ELIGIBLE)
    stale = Application.objects.get(pk=application.pk)
    review_assign(application=application, reviewer=reviewer(), by=None)  # moves it under review

    review_assign(application=stale, reviewer=reviewer(), by=None)

    assert Review.objects.filter(application=application).count() == 2
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_a_conflict_racing_the_same_one_is_a_validation_error_not_a_500():
    application = application_at(status=ApplicationStatus.UNDER_REVIEW)
    review = ReviewFactory(application=application)

    with (
        racing_insert(ConflictOfInterest, application=application, reviewer=review.reviewer, reason="Lien"),
        pytest.raises(ValidationError, match="déjà déclaré"),
    ):
        conflict_declare(application=application, reviewer=review.reviewer, reason="Lien")


# --- Scoring ---------------------------------------------------------------------------------------


@pytest.fixture
def scored_setup():
    application = application_at(status=ApplicationStatus.UNDER_REVIEW)
    criteria = rubric(application.cohort, ("marche", 2, 5), ("equipe", 1, 10))
    review = ReviewFactory(application=application)
    return review, criteria


def test_submitting_requires_every_criterion_within_its_scale(scored_setup):
    review, (market, team) = scored_setup

    with pytest.raises(ValidationError) as out_of_range:
        review_submit(review=review, scores={market.pk: 6, team.pk: 10}, comment="", by=review.reviewer)
    assert f"score_{market.pk}" in out_of_range.value.message_dict
    with pytest.raises(ValidationError) as missing:
        review_submit(review=review, scores={market.pk: 4}, comment="", by=review.reviewer)
    assert f"score_{team.pk}" in missing.value.message_dict
    review.refresh_from_db()
    assert review.submitted_at is None
    assert not review.scores.exists()

    review_submit(
        review=review, scores={market.pk: 5, team.pk: 0}, comments={team.pk: "Équipe à étoffer"}, comment="Solide", by=None
    )

    review.refresh_from_db()
    assert review.submitted_at is not None
    assert review.comment == "Solide"
    assert {s.criterion_id: (s.score, s.comment) for s in review.scores.all()} == {
        market.pk: (5, ""),
        team.pk: (0, "Équipe à étoffer"),
    }


def test_a_draft_keeps_partial_scores_and_a_submitted_review_is_read_only(scored_setup):
    review, (market, team) = scored_setup
    review_save_draft(review=review, scores={market.pk: 3, team.pk: None}, comment="À revoir")
    assert review.scores.get().score == 3
    with pytest.raises(ValidationError):
        review_save_draft(review=review, scores={market.pk: -1})

    review_submit(review=review, scores={market.pk: 4, team.pk: 7}, comment="")

    for service in (review_save_draft, review_submit):
        with pytest.raises(ValidationError, match="déjà été soumise"):
            service(review=review, scores={market.pk: 1, team.pk: 1}, comment="")
    assert review.scores.get(criterion=market).score == 4


def test_a_score_for_another_cohorts_criterion_is_refused(scored_setup):
    review, (market, team) = scored_setup
    foreign = rubric(CohortFactory(), ("autre", 1, 5))[0]
    with pytest.raises(ValidationError):
        review_submit(review=review, scores={market.pk: 1, team.pk: 1, foreign.pk: 1}, comment="")


# --- Conflicts of interest -------------------------------------------------------------------------


def test_declaring_a_conflict_removes_the_review_and_asks_staff_for_a_replacement(django_capture_on_commit_callbacks, mailoutbox):
    staff = UserFactory(roles=[Role.STAFF], email="equipe@pem.sn")
    english_staff = UserFactory(roles=[Role.STAFF], email="team@pem.be", preferred_language="en")
    application = application_at(status=ApplicationStatus.UNDER_REVIEW)
    review = ReviewFactory(application=application)
    ReviewFactory(application=application)

    with django_capture_on_commit_callbacks(execute=True):
        conflict_declare(application=application, reviewer=review.reviewer, reason="Ma cousine")

    assert not Review.objects.filter(pk=review.pk).exists()
    assert ConflictOfInterest.objects.get(application=application).reviewer == review.reviewer
    assert sorted(m.to[0] for m in mailoutbox) == [staff.email, english_staff.email]
    emails = OutgoingEmail.objects.filter(kind="review_conflict_declared")
    assert {e.to: e.language for e in emails} == {staff.email: "fr", english_staff.email: "en"}
    assert "Ma cousine" in mailoutbox[0].body
    [row] = _board(application.cohort)
    assert row.needs_replacement
    assert row.missing_reviewers == 1


def test_a_submitted_review_cannot_become_a_conflict_nor_a_conflict_be_declared_twice():
    application = application_at(status=ApplicationStatus.UNDER_REVIEW)
    done = ReviewFactory(application=application)
    Review.objects.filter(pk=done.pk).update(submitted_at=done.assigned_at)
    with pytest.raises(ValidationError, match="déjà soumise"):
        conflict_declare(application=application, reviewer=done.reviewer, reason="Lien")
    assert Review.objects.filter(pk=done.pk).exists()

    other = ReviewFactory(application=application)
    conflict_declare(application=application, reviewer=other.reviewer, reason="Lien")
    with pytest.raises(ValidationError, match="déjà déclaré"):
        conflict_declare(application=application, reviewer=other.reviewer, reason="Lien")
    with pytest.raises(ValidationError):
        conflict_declare(application=application, reviewer=reviewer(), reason="   ")


# --- Scores' summary -------------------------------------------------------------------------------


def test_weighted_average_spread_and_disagreement_on_a_hand_computed_example():
    # Market: weight 2, out of 5; team: weight 1, out of 10.
    #   Awa:    5/5 and 4/10 -> (2 x 1.0 + 1 x 0.4) / 3 = 80
    #   Binta:  2/5 and 10/10 -> (2 x 0.4 + 1 x 1.0) / 3 = 60
    #   Cheikh: 1/5 and 1/10 -> (2 x 0.2 + 1 x 0.1) / 3 = 16.67 (on the second application)
    cohort = CohortFactory(min_reviews=2)
    market, team = rubric(cohort, ("marche", 2, 5), ("equipe", 1, 10))
    agreed = application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
    split = application_at(cohort=cohort, status=ApplicationStatus.UNDER_REVIEW)
    awa, binta, cheikh = reviewer(), reviewer(), reviewer()
    submitted_review(agreed, awa, {market: 5, team: 4})
    submitted_review(agreed, binta, {market: 2, team: 10})
    submitted_review(split, awa, {market: 5, team: 4})
    submitted_review(split, cheikh, {market: 1, team: 1})
    ReviewFactory(application=split)  # a draft counts in neither average nor spread

    rows = {row.pk: row for row in _board(cohort)}

    assert rows[agreed.pk].score.average == pytest.approx(70.0)
    assert rows[agreed.pk].score.spread == pytest.approx(20.0)
    assert not rows[agreed.pk].score.disagreement
    assert rows[split.pk].score.average == pytest.approx((80 + 50 / 3) / 2)
    assert rows[split.pk].score.spread == pytest.approx(80 - 50 / 3)
    assert rows[split.pk].score.disagreement
    assert rows[split.pk].submitted_count == 2
    assert sorted(r.total for r in rows[agreed.pk].board_reviews) == pytest.approx([60.0, 80.0])
