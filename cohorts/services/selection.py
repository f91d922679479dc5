"""Writes of the selection stage: shortlisting, decisions with their reason (status moved in the same
transaction), and the notification e-mails, sent once per decision in the applicant's language."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.emails import email_queue
from accounts.models import User
from core.bilingual import BilingualText, plain_text_in, text_any, text_set

from ..models import Application, ApplicationStatus, Cohort, DecisionOutcome, Review, SelectionDecision
from . import application_transition

#: The status an application takes with each outcome.
OUTCOME_STATUS = {
    DecisionOutcome.SELECTED: ApplicationStatus.SELECTED,
    DecisionOutcome.WAITLISTED: ApplicationStatus.WAITLISTED,
    DecisionOutcome.REJECTED: ApplicationStatus.REJECTED,
}


def reviews_missing(application: Application) -> int:
    """How many of the cohort's required reviews the application still lacks (0 when complete)."""
    submitted = Review.objects.filter(application=application, submitted_at__isnull=False).count()
    return max(application.cohort.min_reviews - submitted, 0)


def _check_reviews(application: Application, override_reason: str) -> None:
    """Refuse to move an application on while required reviews are missing, unless staff give a reason
    for going ahead anyway (kept on the decision and in the status history)."""
    missing = reviews_missing(application)
    if missing and not override_reason:
        raise ValidationError(
            ngettext(
                "Il manque %(count)s évaluation requise : cochez « Décider sans toutes les évaluations » et indiquez pourquoi.",
                "Il manque %(count)s évaluations requises : cochez « Décider sans toutes les évaluations » et indiquez pourquoi.",
                missing,
            )
            % {"count": missing},
            code="reviews_missing",
        )


@transaction.atomic
def application_shortlist(*, application: Application, by: User | None, override_reason: str = "") -> None:
    """Move an application under review to the shortlist; refused while required reviews are missing,
    unless `override_reason` says why (it is kept in the status history)."""
    override_reason = (override_reason or "").strip()
    _check_reviews(application, override_reason)
    note = _("Sans toutes les évaluations : %(reason)s") % {"reason": override_reason} if override_reason else ""
    application_transition(application=application, to_status=ApplicationStatus.SHORTLISTED, by=by, note=note[:500])


@transaction.atomic
def selection_decide(
    *, application: Application, outcome: str, reason: BilingualText, by: User | None, override_reason: str = ""
) -> SelectionDecision:
    """Record (or change) the decision on an application and move its status accordingly, together.

    Allowed: shortlisted → selected / waitlisted / rejected; under review → rejected; waitlisted →
    selected / rejected. Anything else raises a ValidationError with a readable message. A changed
    decision is to be notified again. While required reviews are missing the decision is refused, unless
    `override_reason` explains why staff decide anyway: it is recorded on the decision (and its history)."""
    override_reason = (override_reason or "").strip()
    if outcome not in OUTCOME_STATUS:
        raise ValidationError(_("Décision inconnue."), code="invalid_outcome")
    if not text_any(reason):
        raise ValidationError({"reason": [_("Indiquez le motif de la décision.")]}, code="reason_required")
    missing = reviews_missing(application)
    _check_reviews(application, override_reason)
    application_transition(application=application, to_status=OUTCOME_STATUS[outcome], by=by, note=text_any(reason)[:500])
    decision = SelectionDecision.objects.filter(application=application).first() or SelectionDecision(application=application)
    decision.outcome = outcome
    text_set(decision, "reason", reason)
    decision.override_reason = override_reason if missing else ""
    decision.decided_at, decision.decided_by = timezone.now(), by
    decision.notified_at = None
    decision.full_clean(validate_unique=False)
    decision.save()
    return decision


def selection_decide_many(
    *, applications: Iterable[Application], outcome: str, reason: BilingualText, by: User | None, override_reason: str = ""
) -> tuple[list[SelectionDecision], list[tuple[Application, str]]]:
    """Decide a batch with one reason; each decision stands alone, so one invalid move does not undo the
    others. Returns the decisions made and, for the others, the application with the reason it failed."""
    done: list[SelectionDecision] = []
    failed: list[tuple[Application, str]] = []
    for application in applications:
        try:
            done.append(
                selection_decide(application=application, outcome=outcome, reason=reason, by=by, override_reason=override_reason)
            )
        except ValidationError as error:
            failed.append((application, " ".join(str(m) for m in error.messages)))
    return done, failed


def application_shortlist_many(
    *, applications: Iterable[Application], by: User | None, override_reason: str = ""
) -> tuple[list[Application], list[tuple[Application, str]]]:
    done: list[Application] = []
    failed: list[tuple[Application, str]] = []
    for application in applications:
        try:
            application_shortlist(application=application, by=by, override_reason=override_reason)
            done.append(application)
        except ValidationError as error:
            failed.append((application, " ".join(str(m) for m in error.messages)))
    return done, failed


@transaction.atomic
def selection_notify(*, cohort: Cohort, by: User | None = None) -> int:
    """Queue one e-mail per decided, not yet notified application of the cohort, in the applicant's
    language, and mark it notified. Running it again sends nothing new. Returns the number queued.

    A decision is claimed with a conditional update before its e-mail is queued, so two runs at once
    cannot both send it."""
    decisions = (
        SelectionDecision.objects.filter(application__cohort=cohort, notified_at__isnull=True)
        .select_related("application__entrepreneur__user", "application__cohort__programme", "application__company")
        .order_by("pk")
    )
    sent = 0
    for decision in decisions:
        application = decision.application
        if application.status != OUTCOME_STATUS.get(decision.outcome):
            continue  # the status moved on since (e.g. withdrawn): nothing to announce
        now = timezone.now()
        if not SelectionDecision.objects.filter(pk=decision.pk, notified_at__isnull=True).update(notified_at=now):
            continue
        entrepreneur = application.entrepreneur
        account = entrepreneur.user
        language = account.preferred_language if account else application.language
        email_queue(
            to=account.email if account else entrepreneur.email,
            user=account,
            template=f"selection_{decision.outcome}",
            language=language,
            context={
                "name": entrepreneur.first_name or str(entrepreneur),
                "programme_name": application.cohort.programme.name,
                "cohort_name": plain_text_in(application.cohort, "name", language),
                "company_name": application.company.name if application.company else "",
                # Written by staff in one language: the other one is marked as such.
                "reason": plain_text_in(decision, "reason", language),
            },
        )
        sent += 1
    return sent
