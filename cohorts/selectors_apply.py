"""Reads of the application wizard: the steps, what is still missing before submission, an applicant's
own applications and the status page of one of them."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Company

from .models import Application, ApplicationTransition
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


def application_missing_fields(application: Application, *, documents_count: int | None = None) -> dict[int, list[str]]:
    """What must still be filled before the application can be submitted, per step (empty when complete).
    The declaration (step 6) is checked by the submission itself."""
    missing: dict[int, list[str]] = {}
    entrepreneur = application.entrepreneur
    founder = [
        str(entrepreneur._meta.get_field(name).verbose_name)
        for name in ("gender", "age_band", "education", "country_of_residence")
        if not getattr(entrepreneur, name)
    ]
    if founder:
        missing[1] = founder
    if application.company_id is None:
        missing[2] = [str(_("les informations sur l'entreprise"))]
    elif application.company.region_id is None and application.company.country == application.cohort.programme.origin_country:
        missing[2] = [str(Company._meta.get_field("region").verbose_name)]
    partnership = [
        str(Application._meta.get_field(name).verbose_name)
        for name in ("partnership_types", "partnership_sought", "motivation")
        if not getattr(application, name)
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
