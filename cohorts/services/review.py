"""Writes of the review stage: assigning reviewers (one by one or balanced), scoring on the cohort's
rubric, and conflicts of interest. Scores stay private to their reviewer; staff read them on the board."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import Role, User
from core.bilingual import plain_text_in

from ..models import (
    Application,
    ApplicationStatus,
    Cohort,
    ConflictOfInterest,
    Review,
    ReviewScore,
    SelectionDecision,
)
from . import application_transition

#: Statuses in which an application can receive reviewers.
REVIEWABLE_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)


def reviews_closed_message() -> str:
    return _("Une décision a été notifiée pour cette candidature : les évaluations sont closes.")


def review_closed(application: Application) -> bool:
    """True once a decision on the application has been notified: nobody scores or edits after that."""
    return SelectionDecision.objects.filter(application=application, notified_at__isnull=False).exists()


def _start_review(*, application: Application, by: User | None) -> None:
    if application.status == ApplicationStatus.ELIGIBLE:
        application_transition(
            application=application, to_status=ApplicationStatus.UNDER_REVIEW, by=by, note=_("Évaluateur·rices assigné·es")
        )


def _lock_application(application: Application) -> Application:
    """Lock the application row (not its joined rows) so that two concurrent assignments or conflict
    declarations on it are serialised, and their checks below see each other's rows."""
    return Application.objects.select_for_update(of=("self",)).get(pk=application.pk)


@transaction.atomic
def review_assign(*, application: Application, reviewer: User, by: User | None) -> Review:
    """Assign one reviewer to an eligible (or already under review) application."""
    locked = _lock_application(application)
    if locked.status not in REVIEWABLE_STATUSES:
        raise ValidationError(_("Seule une candidature éligible ou en évaluation peut recevoir un·e évaluateur·rice."))
    if not reviewer.has_role(Role.REVIEWER):
        raise ValidationError(_("Cette personne n'a pas le rôle d'évaluateur·rice."))
    if ConflictOfInterest.objects.filter(application=locked, reviewer=reviewer).exists():
        raise ValidationError(_("Cette personne a déclaré un conflit d'intérêts sur cette candidature."))
    already = _("Cette personne évalue déjà cette candidature.")
    if Review.objects.filter(application=locked, reviewer=reviewer).exists():
        raise ValidationError(already)
    review = Review(application=application, reviewer=reviewer, assigned_by=by)
    review.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError must not break the outer transaction
            review.save()
    except IntegrityError:
        # The one-review-per-reviewer constraint, hit by an assignment that did not go through this lock
        # (the balanced assignment, say).
        raise ValidationError(already) from None
    application.status = locked.status
    _start_review(application=application, by=by)
    return review


@transaction.atomic
def review_assign_balanced(
    *, cohort: Cohort, reviewers: Iterable[User], per_application: int | None = None, by: User | None
) -> list[Review]:
    """Give each eligible or under-review application of the cohort up to `per_application` reviewers
    (default: the cohort's minimum), each time choosing the reviewers with the fewest assignments in the
    cohort, never one who declared a conflict on it nor one already assigned. Returns the new reviews;
    an application may get fewer when too few reviewers are free of conflict (the board shows it)."""
    per_application = per_application or cohort.min_reviews
    # One query for the role check, not one per reviewer.
    reviewers = list(
        User.objects.with_role(Role.REVIEWER).filter(is_active=True, pk__in=[r.pk for r in reviewers]).order_by("pk")
    )
    if not reviewers:
        raise ValidationError(_("Choisissez au moins un·e évaluateur·rice."))
    applications = list(
        Application.objects.select_for_update()
        .filter(cohort=cohort, status__in=REVIEWABLE_STATUSES)
        .order_by("submitted_at", "pk")
    )
    taken: dict[int, set[int]] = {application.pk: set() for application in applications}
    for application_id, reviewer_id in Review.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id"
    ):
        taken[application_id].add(reviewer_id)
    for application_id, reviewer_id in ConflictOfInterest.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id"
    ):
        taken[application_id].add(reviewer_id)
    assigned_count = dict.fromkeys((r.pk for r in reviewers), 0)
    for row in (
        Review.objects.filter(application__cohort=cohort, reviewer__in=reviewers).values("reviewer_id").annotate(n=Count("pk"))
    ):
        assigned_count[row["reviewer_id"]] = row["n"]
    existing = dict(
        Application.objects.filter(pk__in=[a.pk for a in applications]).annotate(n=Count("reviews")).values_list("pk", "n")
    )

    created: list[Review] = []
    for application in applications:
        missing = per_application - existing.get(application.pk, 0)
        if missing <= 0:
            continue
        free = [r for r in reviewers if r.pk not in taken[application.pk]]
        free.sort(key=lambda r: (assigned_count[r.pk], r.pk))
        chosen = free[:missing]
        for reviewer in chosen:
            # Built from rows just loaded and checked above: no per-row full_clean (3 queries each).
            created.append(Review(application=application, reviewer=reviewer, assigned_by=by))
            assigned_count[reviewer.pk] += 1
            taken[application.pk].add(reviewer.pk)
        if chosen:
            _start_review(application=application, by=by)
    Review.objects.bulk_create(created)
    return created


def _clean_scores(*, review: Review, scores: Mapping[int, int | None], require_all: bool) -> dict[int, int]:
    """Check every score against its criterion's scale; with `require_all`, every criterion must be scored."""
    rubric = {criterion.pk: criterion for criterion in review.application.cohort.rubric.all()}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, int] = {}
    unknown = set(scores) - set(rubric)
    if unknown:
        raise ValidationError(_("Un critère ne fait pas partie de la grille de cette cohorte."))
    for pk, criterion in rubric.items():
        value = scores.get(pk)
        if value is None or value == "":
            if require_all:
                errors[f"score_{pk}"] = [_("Notez ce critère avant de soumettre.")]
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[f"score_{pk}"] = [_("Saisissez un nombre entier.")]
            continue
        if not 0 <= value <= criterion.max_score:
            errors[f"score_{pk}"] = [_("La note doit être comprise entre 0 et %(max)s.") % {"max": criterion.max_score}]
            continue
        cleaned[pk] = value
    if errors:
        raise ValidationError(errors)
    if require_all and not rubric:
        raise ValidationError(_("La grille de notation de cette cohorte est vide : prévenez l'équipe du programme."))
    return cleaned


def _write_scores(
    *, review: Review, scores: Mapping[int, int | None], comments: Mapping[int, str] | None, comment: str, require_all: bool
) -> Review:
    locked = Review.objects.select_for_update().select_related("application__cohort").get(pk=review.pk)
    if locked.submitted_at is not None:
        raise ValidationError(_("Cette évaluation a déjà été soumise : elle ne peut plus être modifiée."))
    if review_closed(locked.application):
        raise ValidationError(reviews_closed_message(), code="reviews_closed")
    if ConflictOfInterest.objects.filter(application=locked.application_id, reviewer=locked.reviewer_id).exists():
        raise ValidationError(_("Vous avez déclaré un conflit d'intérêts sur cette candidature."))
    cleaned = _clean_scores(review=locked, scores=scores, require_all=require_all)
    comments = comments or {}
    existing = {score.criterion_id: score for score in locked.scores.all()}
    for criterion_id, value in cleaned.items():
        note = (comments.get(criterion_id) or "").strip()
        score = existing.get(criterion_id) or ReviewScore(review=locked, criterion_id=criterion_id)
        score.score, score.comment = value, note
        score.full_clean(validate_unique=False, validate_constraints=False)
        score.save()
    # A score cleared in a draft is removed, so that a draft never keeps a stale value.
    locked.scores.exclude(criterion_id__in=cleaned).delete()
    locked.comment = comment.strip()
    update_fields = ["comment"]
    if require_all:
        locked.submitted_at = timezone.now()
        update_fields.append("submitted_at")
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.save(update_fields=update_fields)
    review.comment, review.submitted_at = locked.comment, locked.submitted_at
    return review


@transaction.atomic
def review_save_draft(
    *,
    review: Review,
    scores: Mapping[int, int | None],
    comment: str = "",
    comments: Mapping[int, str] | None = None,
    by: User | None = None,
) -> Review:
    """Keep a reviewer's scores so far; each given score must already be within the criterion's scale."""
    return _write_scores(review=review, scores=scores, comments=comments, comment=comment, require_all=False)


@transaction.atomic
def review_submit(
    *,
    review: Review,
    scores: Mapping[int, int | None],
    comment: str = "",
    comments: Mapping[int, str] | None = None,
    by: User | None = None,
) -> Review:
    """Score every criterion of the cohort's rubric (0..max_score) and submit: the review is then read-only.

    `scores` and `comments` are keyed by RubricCriterion id. Errors are keyed `score_<id>` for the form."""
    return _write_scores(review=review, scores=scores, comments=comments, comment=comment, require_all=True)


@transaction.atomic
def conflict_declare(*, application: Application, reviewer: User, reason: str) -> ConflictOfInterest:
    """Record a reviewer's conflict of interest: their unsubmitted review is removed and staff are asked,
    by e-mail, for a replacement. A submitted review cannot be turned into a conflict."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Expliquez brièvement la nature du conflit.")]})
    _lock_application(application)
    review = Review.objects.select_for_update().filter(application=application, reviewer=reviewer).first()
    if review is not None and review.submitted_at is not None:
        raise ValidationError(_("Votre évaluation est déjà soumise : contactez l'équipe du programme pour signaler ce conflit."))
    already = _("Vous avez déjà déclaré un conflit d'intérêts sur cette candidature.")
    if ConflictOfInterest.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError(already)
    conflict = ConflictOfInterest(application=application, reviewer=reviewer, reason=reason)
    conflict.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError must not break the outer transaction
            conflict.save()
    except IntegrityError:
        raise ValidationError(already) from None
    if review is not None:
        review.delete()

    board_url = settings.SITE_URL.rstrip("/") + reverse("cohorts:review_board", kwargs={"pk": application.cohort_id})
    for member in User.objects.with_role(Role.STAFF).filter(is_active=True).exclude(email="").distinct():
        email_queue(
            to=member.email,
            user=member,
            template="review_conflict_declared",
            context={
                "application_label": f"{application.entrepreneur} – {application.cohort.label(member.preferred_language)}",
                "cohort_name": plain_text_in(application.cohort, "name", member.preferred_language),
                "reviewer_name": str(reviewer),
                "reason": reason,
                "board_url": board_url,
            },
        )
    return conflict
