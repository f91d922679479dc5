"""Writes of the screening area: a cohort's eligibility criteria, replaced as a whole from the staff
page, and the re-screening of submitted applications once the criteria have changed.

Saving criteria never re-screens by itself: re-screening is a separate, deliberate staff action, because
it changes the status of applications that applicants may already have been told about."""

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.bilingual import text_set
from core.jobs import IN_FLIGHT, UNEXPECTED_CODE, JobRetry, job_claim, job_enqueue, job_finish, job_heartbeat, job_retry_later
from partners.models import Education, Gender, LegalForm, Region, Sector

from ..eligibility import BOOLEAN_FIELDS, NUMERIC_FIELDS, application_profile, failed_criteria
from ..models import (
    Application,
    ApplicationStatus,
    Cohort,
    CriterionField,
    CriterionOperator,
    EligibilityCriterion,
    ScreeningJob,
)
from . import application_screen, application_transition

logger = logging.getLogger(__name__)

#: Fields whose value is one of the codes of a TextChoices, and those choices. The region is a choice
#: too, among the regions of the programme's country (`choices_for`).
CHOICE_FIELDS = {
    CriterionField.SECTOR: Sector,
    CriterionField.LEGAL_FORM: LegalForm,
    CriterionField.GENDER: Gender,
    CriterionField.EDUCATION: Education,
}

NUMERIC_OPERATORS = (
    CriterionOperator.GTE,
    CriterionOperator.LTE,
    CriterionOperator.GT,
    CriterionOperator.LT,
    CriterionOperator.EQ,
    CriterionOperator.NE,
)
BOOLEAN_OPERATORS = (CriterionOperator.IS_TRUE, CriterionOperator.IS_FALSE)
CHOICE_OPERATORS = (CriterionOperator.EQ, CriterionOperator.NE, CriterionOperator.IN, CriterionOperator.NOT_IN)

#: What staff may edit on a criterion (the cohort is given by the page, never by the form).
CRITERION_FIELDS = ("field", "operator", "value", "label_fr", "label_en", "order", "is_active")

#: Statuses that re-screening may change: later stages (review, selection) are never reopened by it.
RESCREEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)

#: Up to this many applications the re-screening runs in the request; beyond, in a Celery worker.
RESCREEN_SYNC_LIMIT = 500


def operators_for(field: str) -> tuple[str, ...]:
    if field in NUMERIC_FIELDS:
        return NUMERIC_OPERATORS
    if field in BOOLEAN_FIELDS:
        return BOOLEAN_OPERATORS
    return CHOICE_OPERATORS


def choice_fields() -> tuple[str, ...]:
    return (*CHOICE_FIELDS, CriterionField.REGION)


def choices_for(field: str, *, country: object = None) -> list[tuple[str, str]]:
    """(code, label) of a choice field; for the region, the regions of `country` by name."""
    if field == CriterionField.REGION:
        return [(region.code, region.name) for region in Region.objects.filter(country=str(country or ""))]
    return list(CHOICE_FIELDS[field].choices)


def _code_lookup(field: str, country: object = None) -> dict[str, str]:
    """Code by code and by label (French and English, any case), so staff may type either."""
    lookup: dict[str, str] = {}
    if field == CriterionField.REGION:
        for region in Region.objects.filter(country=str(country or "")):
            for name in (region.name_en, region.name_fr, region.code):
                if name:
                    lookup[name.casefold()] = region.code
        return lookup
    choices = CHOICE_FIELDS[field]
    for language in ("en", "fr"):
        with translation.override(language):
            for code, label in choices.choices:
                lookup[str(label).casefold()] = code
    lookup.update({code.casefold(): code for code in choices.values})
    return lookup


def allowed_codes_text(field: str, country: object = None) -> str:
    if field == CriterionField.REGION:  # regions by name only: their codes are internal
        return ", ".join(label for _code, label in choices_for(field, country=country))
    return ", ".join(f"{code} ({label})" for code, label in choices_for(field))


def criterion_value_clean(*, field: str, operator: str, value: str, country: object = None) -> str:
    """Check that the operator and the value fit the field, and return the value as the engine reads
    it (a number with a dot, nothing for a yes/no test, codes separated by commas). A region is one of
    `country`'s (the programme's country of origin), by name in either language.

    Raises a ValidationError keyed by "operator" or "value", so a form can show it beside the input."""
    value = (value or "").strip()
    if field not in CriterionField.values:
        raise ValidationError({"field": _("Champ inconnu.")}, code="unknown_field")
    allowed = operators_for(field)
    if operator not in allowed:
        labels = ", ".join(f"« {CriterionOperator(op).label} »" for op in allowed)
        raise ValidationError(
            {"operator": _("Pour ce champ, choisissez un de ces opérateurs : %(operators)s.") % {"operators": labels}},
            code="operator_mismatch",
        )
    if field in BOOLEAN_FIELDS:
        if value:
            raise ValidationError(
                {"value": _("Laissez la valeur vide : « est vrai » et « est faux » n'en prennent pas.")},
                code="value_not_expected",
            )
        return ""
    if field in NUMERIC_FIELDS:
        try:
            number = float(value.replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\u00a0", ""))
        except ValueError:
            raise ValidationError({"value": _("Saisissez un nombre (par exemple 2 ou 2,5).")}, code="not_a_number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError({"value": _("Saisissez un nombre (par exemple 2 ou 2,5).")}, code="not_a_number")
        if field == CriterionField.YEAR_FOUNDED and not (number.is_integer() and 1900 <= number <= 2100):
            raise ValidationError({"value": _("Saisissez une année (par exemple 2022).")}, code="not_a_year")
        return str(int(number)) if number.is_integer() else repr(number)
    lookup = _code_lookup(field, country)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ValidationError(
            {"value": _("Saisissez au moins un code parmi : %(codes)s.") % {"codes": allowed_codes_text(field, country)}},
            code="value_required",
        )
    unknown = [item for item in items if item.casefold() not in lookup]
    if unknown:
        raise ValidationError(
            {
                "value": _("Code inconnu : %(unknown)s. Codes autorisés : %(codes)s.")
                % {"unknown": ", ".join(unknown), "codes": allowed_codes_text(field, country)}
            },
            code="unknown_code",
        )
    codes = list(dict.fromkeys(lookup[item.casefold()] for item in items))
    if operator in (CriterionOperator.EQ, CriterionOperator.NE) and len(codes) > 1:
        raise ValidationError(
            {"value": _("Un seul code avec « = » ou « ≠ » ; pour plusieurs codes, choisissez « parmi » ou « hors de ».")},
            code="one_code_expected",
        )
    return ",".join(codes)


@transaction.atomic
def criteria_replace(*, cohort: Cohort, rows: list[dict], by: User | None) -> list[EligibilityCriterion]:
    """Make the cohort's criteria exactly `rows`: a row with an "id" updates that criterion (which must
    belong to the cohort), a row without one creates a criterion, and criteria left out are deleted.

    Criteria are updated in place rather than recreated so that the ids stored in applications'
    `failed_criteria` keep pointing at them."""
    existing = {criterion.pk: criterion for criterion in cohort.criteria.select_for_update()}
    seen_rules: set[tuple[str, str, str]] = set()
    kept: set[int] = set()
    saved: list[EligibilityCriterion] = []
    for row in rows:
        pk = row.get("id")
        if pk is not None:
            if pk not in existing or pk in kept:
                raise ValidationError(_("Ce critère n'appartient pas à cette cohorte."), code="foreign_criterion")
            criterion = existing[pk]
            kept.add(pk)
        else:
            criterion = EligibilityCriterion(cohort=cohort)
        for name in CRITERION_FIELDS:
            if name in row:
                setattr(criterion, name, row[name])
        if "label" in row:  # one text for both languages' fields, or the French one alone (core.bilingual)
            text_set(criterion, "label", row["label"])
        criterion.value = criterion_value_clean(
            field=criterion.field, operator=criterion.operator, value=criterion.value, country=cohort.programme.origin_country
        )
        rule = (criterion.field, criterion.operator, criterion.value)
        if rule in seen_rules:
            raise ValidationError(
                _("Le critère « %(label)s » est en double.") % {"label": criterion.label}, code="duplicate_criterion"
            )
        seen_rules.add(rule)
        criterion.full_clean()
        criterion.save()
        saved.append(criterion)
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        EligibilityCriterion.objects.filter(pk__in=removed).delete()
    logger.info(
        "Eligibility criteria of cohort %s replaced by user %s: %s kept or added, %s removed",
        cohort.pk,
        getattr(by, "pk", None),
        len(saved),
        len(removed),
    )
    return saved


def rescreen_candidates(*, cohort: Cohort):
    return Application.objects.filter(cohort=cohort, status__in=RESCREEN_STATUSES)


@transaction.atomic
def _application_rescreen(*, pk: int, criteria: list[EligibilityCriterion], by: User | None) -> tuple[str, bool]:
    """Re-screen one application; returns (outcome, whether its status changed).

    The row is locked and its status read again, so two runs at once (a double click, a retried task)
    cannot both move it: the second finds it already where the criteria put it."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("cohort", "entrepreneur", "company").get(pk=pk)
    )
    if application.status not in RESCREEN_STATUSES:
        return "skipped", False
    if application.status == ApplicationStatus.SUBMITTED:
        eligible = application_screen(application=application, by=by)
        return ("eligible" if eligible else "ineligible"), True

    # Screen on the answers as they were at submission when stored (the engine's snapshot).
    profile = {**application_profile(application), **(application.profile_snapshot or {})}
    failed = failed_criteria(criteria, profile)
    if failed != application.failed_criteria or profile != application.profile_snapshot:
        Application.objects.filter(pk=application.pk).update(profile_snapshot=profile, failed_criteria=failed)
        application.profile_snapshot, application.failed_criteria = profile, failed
    target = ApplicationStatus.INELIGIBLE if failed else ApplicationStatus.ELIGIBLE
    outcome = "ineligible" if failed else "eligible"
    if target == application.status:
        return outcome, False
    if failed:
        note = _("Réexamen après changement des critères ; critères non remplis : %(labels)s") % {
            "labels": ", ".join(item["label"] for item in failed)
        }
    else:
        note = _("Réexamen après changement des critères : tous les critères sont remplis.")
    application_transition(application=application, to_status=target, by=by, note=note[:500])
    return outcome, True


def cohort_rescreen(*, cohort: Cohort, by: User | None) -> dict:
    """Evaluate the cohort's saved, active criteria again on its submitted, eligible and ineligible
    applications, moving only those whose outcome changes. Idempotent: a second run changes nothing.

    Each application is screened in its own transaction, so a long run holds no long lock and an
    interruption leaves every application either done or untouched; running it again finishes the job."""
    criteria = list(cohort.criteria.filter(is_active=True))
    pks = list(rescreen_candidates(cohort=cohort).order_by("pk").values_list("pk", flat=True))
    counts: Counter = Counter()
    for pk in pks:
        try:
            outcome, changed = _application_rescreen(pk=pk, criteria=criteria, by=by)
        except Application.DoesNotExist:
            outcome, changed = "skipped", False
        counts[outcome] += 1
        counts["changed"] += int(changed)
    return {
        "checked": counts["eligible"] + counts["ineligible"],
        "eligible": counts["eligible"],
        "ineligible": counts["ineligible"],
        "changed": counts["changed"],
        "skipped": counts["skipped"],
    }


def cohort_rescreen_notify(*, cohort: Cohort, by: User | None) -> dict:
    """Re-screen, then tell the staff member who asked by e-mail (used when it ran in a worker)."""
    from accounts.emails import email_queue

    result = cohort_rescreen(cohort=cohort, by=by)
    if by is not None and by.email:
        with transaction.atomic():
            email_queue(
                to=by.email,
                user=by,
                template="screening_rescreen_done",
                context={"cohort": cohort, "result": result},
            )
    return result


def cohort_rescreen_start(*, cohort: Cohort, by: User) -> dict | None:
    """Re-screen now when there are few applications and return the counts; otherwise queue a
    ScreeningJob (joining the one already in flight for this cohort) for a worker once the current
    transaction commits and return None (its status shows on the criteria page, the result comes by e-mail)."""
    if rescreen_candidates(cohort=cohort).count() < RESCREEN_SYNC_LIMIT:
        return cohort_rescreen(cohort=cohort, by=by)
    screening_job_request(cohort=cohort, by=by)
    return None


@transaction.atomic
def screening_job_request(*, cohort: Cohort, by: User | None) -> ScreeningJob:
    """The re-screening job of this cohort in flight, or a new one handed to the broker after the commit."""
    existing = ScreeningJob.objects.filter(cohort=cohort, status__in=IN_FLIGHT).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = ScreeningJob.objects.create(cohort=cohort, requested_by=by)
    except IntegrityError:  # asked at the same moment by someone else: join theirs
        return ScreeningJob.objects.get(cohort=cohort, status__in=IN_FLIGHT)
    job_enqueue(job=job)
    return job


def screening_job_run(*, job_id: int) -> ScreeningJob | None:
    """Run a queued re-screening in a worker: claim it, re-screen with a heartbeat, record the counts.
    Safe twice (the service only moves what changed; the claim lets one run at a time). Raises JobBusy
    when a live worker holds it, JobRetry when it failed and will be tried again."""
    job = job_claim(model=ScreeningJob, pk=job_id)
    if job is None:
        return None
    job = ScreeningJob.objects.select_related("cohort", "requested_by").get(pk=job.pk)
    try:
        with job_heartbeat(job=job):
            result = cohort_rescreen_notify(cohort=job.cohort, by=job.requested_by)
    except Exception as error:  # noqa: BLE001 - applications already done stay done; a retry finishes the rest
        logger.exception("screening job %s failed", job.pk)
        if job_retry_later(job=job, reason=UNEXPECTED_CODE):
            raise JobRetry(f"{type(error).__name__}: {error}") from error
    else:
        job_finish(job=job, result=result)
    job.refresh_from_db()
    return job
