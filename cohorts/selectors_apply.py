"""Reads of the application wizard: the steps, what is still missing before submission, which of the
call's conditions the answers do not meet yet (per step), an applicant's own applications and the status
page of one of them."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Company

from .eligibility import application_profile, failed_criteria
from .models import Application, ApplicationTransition, CriterionField, EligibilityCriterion
from .selectors import OUTCOME_STATUSES, applications_of_entrepreneur

#: The wizard's steps, in order: number, title.
APPLY_STEPS: tuple[tuple[int, str], ...] = (
    (1, _("Fondateur·rice")),
    (2, _("Entreprise")),
    (3, _("Partenariat recherché")),
    (4, _("Genre et environnement")),
    (5, _("Documents")),
    (6, _("Déclaration et envoi")),
)
LAST_STEP = APPLY_STEPS[-1][0]
STEP_TITLES = dict(APPLY_STEPS)

#: The answers each step must have before the application can be submitted (the step's form marks them
#: required; step 2's are the company's own required fields, step 5 needs a document).
REQUIRED_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("gender", "age_band", "education", "country_of_residence"),
    3: ("partnership_types", "partnership_sought", "motivation"),
}

#: The step that asks for what each eligibility criterion reads; a criterion on anything else is shown
#: at the last step only.
CRITERION_STEPS: dict[str, int] = {
    CriterionField.GENDER: 1,
    CriterionField.EDUCATION: 1,
    CriterionField.IS_DIASPORA: 1,
    CriterionField.COMPANY_AGE: 2,
    CriterionField.IS_FORMAL: 2,
    CriterionField.TURNOVER_FLOOR: 2,
    CriterionField.YEAR_FOUNDED: 2,
    CriterionField.TURNOVER_AMOUNT: 2,
    CriterionField.EMPLOYEES: 2,
    CriterionField.SECTOR: 2,
    CriterionField.REGION: 2,
    CriterionField.HAS_EXPORT_EXPERIENCE: 2,
    CriterionField.LEGAL_FORM: 2,
    CriterionField.ENVIRONMENTAL_COMMITMENT: 4,
}


def criterion_step(criterion: EligibilityCriterion) -> int:
    return CRITERION_STEPS.get(criterion.field, LAST_STEP)


def call_conditions(application: Application) -> dict[int, list[EligibilityCriterion]]:
    """The call's active eligibility criteria, per step that asks for what they read."""
    conditions: dict[int, list[EligibilityCriterion]] = {}
    for criterion in application.cohort.criteria.filter(is_active=True).order_by("order", "pk"):
        conditions.setdefault(criterion_step(criterion), []).append(criterion)
    return conditions


def application_unmet_conditions(
    application: Application, *, conditions: dict[int, list[EligibilityCriterion]] | None = None
) -> dict[int, list[EligibilityCriterion]]:
    """The call's criteria that the draft's answers, as saved now, do not meet, per step: the screening
    on submission would find the application not eligible. Judged by the eligibility engine itself."""
    if conditions is None:
        conditions = call_conditions(application)
    criteria = [criterion for step_criteria in conditions.values() for criterion in step_criteria]
    failed = {item["id"] for item in failed_criteria(criteria, application_profile(application))}
    unmet = {step: [c for c in step_criteria if c.pk in failed] for step, step_criteria in conditions.items()}
    return {step: step_criteria for step, step_criteria in unmet.items() if step_criteria}


def application_missing_fields(application: Application, *, documents_count: int | None = None) -> dict[int, list[str]]:
    """What must still be filled before the application can be submitted, per step (empty when complete).
    The declaration (step 6) is checked by the submission itself."""
    missing: dict[int, list[str]] = {}
    entrepreneur = application.entrepreneur
    founder = [
        str(entrepreneur._meta.get_field(name).verbose_name) for name in REQUIRED_FIELDS[1] if not getattr(entrepreneur, name)
    ]
    if founder:
        missing[1] = founder
    if application.company_id is None:
        missing[2] = [str(_("les informations sur l'entreprise"))]
    elif application.company.region_id is None and application.company.country == application.cohort.programme.origin_country:
        missing[2] = [str(Company._meta.get_field("region").verbose_name)]
    partnership = [
        str(Application._meta.get_field(name).verbose_name) for name in REQUIRED_FIELDS[3] if not getattr(application, name)
    ]
    if partnership:
        missing[3] = partnership
    if documents_count is None:
        documents_count = application.documents.count()
    if not documents_count:
        missing[5] = [str(_("au moins un document"))]
    return missing


def applications_with_documents(user) -> QuerySet[Application]:
    """The entrepreneur's applications (see `applications_of_entrepreneur`) with their number of documents."""
    return applications_of_entrepreneur(user).annotate(documents_count=Count("documents", distinct=True))


def application_for_owner(user) -> QuerySet[Application]:
    """Applications their owner may open: only the entrepreneur's own (a coach role does not widen it)."""
    return Application.objects.filter(entrepreneur__user=user).select_related(
        "cohort__programme", "entrepreneur", "company__region", "decision"
    )


def application_status_page(user) -> QuerySet[Application]:
    """The owner's applications with what the status page shows: transitions (without those that would
    tell the selection outcome before the decision is notified) and documents."""
    visible_transitions = ApplicationTransition.objects.exclude(
        Q(to_status__in=OUTCOME_STATUSES)
        & (Q(application__decision__isnull=True) | Q(application__decision__notified_at__isnull=True))
    ).order_by("at", "pk")
    return application_for_owner(user).prefetch_related(
        Prefetch("transitions", queryset=visible_transitions, to_attr="visible_transitions"), "documents"
    )
