"""Builders for the review and selection tests: applications at a given status, and submitted reviews."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus, Review, ReviewScore, RubricCriterion
from cohorts.tests.factories import ApplicationFactory, RubricCriterionFactory


def application_at(status: str = ApplicationStatus.ELIGIBLE, **kwargs):
    """An application already submitted and moved to `status` (without going through the transitions)."""
    return ApplicationFactory(status=status, submitted_at=timezone.now(), **kwargs)


def reviewer(**kwargs):
    return UserFactory(roles=[Role.REVIEWER], **kwargs)


def rubric(cohort, *specs: tuple[str, int, int]) -> list[RubricCriterion]:
    """Criteria from (code, weight, max_score) triples."""
    return [
        RubricCriterionFactory(cohort=cohort, code=code, weight=Decimal(weight), max_score=max_score, order=index)
        for index, (code, weight, max_score) in enumerate(specs)
    ]


def submitted_review(application, by, scores: dict[RubricCriterion, int], comment: str = "") -> Review:
    """A review with its scores, submitted now (created directly: these tests read, they do not score)."""
    review = Review.objects.create(application=application, reviewer=by, comment=comment)
    for criterion, score in scores.items():
        ReviewScore.objects.create(review=review, criterion=criterion, score=score)
    review.submitted_at = timezone.now()
    review.save(update_fields=["submitted_at"])
    return review


def application_reviewed(status: str = ApplicationStatus.UNDER_REVIEW, **kwargs):
    """An application at `status` with all the reviews its cohort requires already submitted."""
    application = application_at(status, **kwargs)
    for _ in range(application.cohort.min_reviews):
        submitted_review(application, reviewer(), {})
    return application
