"""Programmes, their cohorts and the life of an application up to selection:
calls, eligibility criteria, scoring rubrics, reviews, decisions; plus the
programme's governance (steering committee, incubator sub-projects) and its budget."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from django_countries.fields import CountryField

from accounts.models import Role
from partners.models import Company, Entrepreneur, Organisation, RegionGroup
from core.jobs import Job, JobStatus
from core.storage import private_storage

#: The XOF is pegged to the euro: 1 EUR = 655.957 XOF (fixed parity since 1999).
XOF_PER_EUR = Decimal("655.957")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    XOF = "XOF", "XOF (FCFA)"


def to_eur(amount: Decimal, currency: str) -> Decimal:
    """An amount in euros, rounded to the cent; the database computes the same with `to_eur_expression`."""
    return amount if currency == Currency.EUR else (amount / XOF_PER_EUR).quantize(Decimal("0.01"), ROUND_HALF_UP)


def to_eur_expression(amount: str = "amount", currency: str = "currency") -> models.Expression:
    """`to_eur` in the database, on the row's `amount` and `currency` fields: what a `GeneratedField` stores."""
    return models.Case(
        models.When(**{currency: Currency.XOF}, then=Round(F(amount) / Value(XOF_PER_EUR), 2)),
        default=F(amount),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
    )


# --------------------------------------------------------------------------------------------------
# Programmes
# --------------------------------------------------------------------------------------------------


class ProgrammeQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProgrammeQuerySet":
        """Staff see every programme; other roles see the programmes they are members of, in a role
        they still hold (taking someone out of the committee group ends their access)."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        return self.filter(memberships__user=user, memberships__role__in=user.role_names).distinct()


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin_country = CountryField(
        _("pays d'origine"), help_text=_("Ses régions sont proposées aux candidat·es ; qui vit hors de ce pays compte dans la diaspora.")
    )
    destination_country = CountryField(_("pays de destination"), default="BE")
    watched_region_group = models.ForeignKey(
        RegionGroup,
        verbose_name=_("groupe de régions suivi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text=_("Les indicateurs et la sélection comparent ce groupe aux autres régions (ex. axe Dakar–Thiès)."),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    donor = models.ForeignKey(
        Organisation, verbose_name=_("bailleur"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementer = models.ForeignKey(
        Organisation,
        verbose_name=_("agence de mise en œuvre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("référence (ex. code Navision)"), max_length=60, blank=True)
    iati_identifier = models.CharField(_("identifiant IATI"), max_length=100, blank=True)
    is_fictitious = models.BooleanField(_("données fictives (démo)"), default=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="programme_dates_in_order")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        group = self.watched_region_group
        if group is not None and self.origin_country and group.country != self.origin_country:
            raise ValidationError(
                {"watched_region_group": _("Choisissez un groupe de régions du pays d'origine du programme.")}
            )


class ProgrammeMembership(models.Model):
    """Ties a user to a programme in a role: what committee members and evaluators may see."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur·rice"),
        on_delete=models.CASCADE,
        related_name="programme_memberships",
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membre du programme")
        verbose_name_plural = _("membres du programme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="membership_unique_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme.code} ({self.get_role_display()})"


class ProgrammePartnerRole(models.TextChoices):
    IMPLEMENTING = "implementing", _("Partenaire de mise en œuvre")
    COACHING = "coaching", _("Formation et coaching")
    INCUBATOR = "incubator", _("Incubateur partenaire")
    RELAY = "relay", _("Agence relais")
    DIASPORA = "diaspora", _("Mobilisation de la diaspora")
    VISA = "visa", _("Accompagnement visa")
    FUNDING = "funding", _("Financement")
    INSTITUTIONAL = "institutional", _("Partenaire institutionnel")
    RESEARCH = "research", _("Recherche-action / évaluation")


class ProgrammePartner(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="programme_roles"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=ProgrammePartnerRole.choices)
    since = models.DateField(_("depuis"), null=True, blank=True)

    class Meta:
        verbose_name = _("partenaire du programme")
        verbose_name_plural = _("partenaires du programme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation", "role"], name="programme_partner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class Objective(models.TextChoices):
    """Specific objectives, and the level at which the programme acts."""

    OS1 = "OS1", _("OS1 – Performance des entreprises")
    OS2 = "OS2", _("OS2 – Partenariats durables entre acteurs")


class Level(models.TextChoices):
    MICRO = "micro", _("Micro (entreprises)")
    MESO = "meso", _("Méso (structures d'appui)")
    MACRO = "macro", _("Macro (organisations publiques)")


# --------------------------------------------------------------------------------------------------
# Cohorts, calls and selection rules
# --------------------------------------------------------------------------------------------------


class CohortQuerySet(models.QuerySet):
    def for_user(self, user) -> "CohortQuerySet":
        return self.filter(programme__in=Programme.objects.for_user(user))

    def open_for_applications(self, at=None) -> "CohortQuerySet":
        at = at or timezone.now()
        return self.filter(call_opens_at__lte=at, call_closes_at__gt=at)


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="cohorts")
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=200)
    call_text = models.TextField(_("texte de l'appel"), blank=True)
    call_opens_at = models.DateTimeField(_("ouverture de l'appel"))
    call_closes_at = models.DateTimeField(_("clôture de l'appel"))
    travel_starts_on = models.DateField(_("début de la fenêtre de voyage"), null=True, blank=True)
    travel_ends_on = models.DateField(_("fin de la fenêtre de voyage"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=25)
    min_reviews = models.PositiveSmallIntegerField(_("évaluations requises par candidature"), default=2)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohorte")
        verbose_name_plural = _("cohortes")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cohort_number_unique_per_programme"),
            models.CheckConstraint(condition=Q(call_closes_at__gt=F("call_opens_at")), name="cohort_call_dates_in_order"),
            models.CheckConstraint(
                condition=Q(travel_starts_on__isnull=True)
                | Q(travel_ends_on__isnull=True)
                | Q(travel_ends_on__gte=F("travel_starts_on")),
                name="cohort_travel_window_in_order",
            ),
            models.CheckConstraint(condition=Q(min_reviews__gte=1), name="cohort_at_least_one_review"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} – {self.name}"

    @property
    def is_open(self) -> bool:
        return self.call_opens_at <= timezone.now() < self.call_closes_at


class CriterionField(models.TextChoices):
    """What an eligibility criterion can test, in the applicant's and company's answers."""

    COMPANY_AGE = "company_age", _("Âge de l'entreprise (années)")
    IS_FORMAL = "is_formal", _("Entreprise formelle")
    TURNOVER_FLOOR = "turnover_floor_mxof", _("Chiffre d'affaires (plancher de la tranche, M FCFA)")
    EMPLOYEES = "employees", _("Nombre d'employé·es")
    SECTOR = "sector", _("Secteur")
    REGION = "region", _("Région")
    HAS_EXPORT_EXPERIENCE = "has_export_experience", _("Expérience à l'export")
    LEGAL_FORM = "legal_form", _("Forme juridique")
    IS_DIASPORA = "is_diaspora", _("Membre de la diaspora")
    GENDER = "gender", _("Genre")
    EDUCATION = "education", _("Niveau d'études")
    ENVIRONMENTAL_COMMITMENT = "has_environmental_commitment", _("Engagement environnemental renseigné")


class CriterionOperator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    GT = "gt", ">"
    LT = "lt", "<"
    EQ = "eq", "="
    NE = "ne", "≠"
    IN = "in", _("parmi")
    NOT_IN = "not_in", _("hors de")
    IS_TRUE = "true", _("est vrai")
    IS_FALSE = "false", _("est faux")


class EligibilityCriterion(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="criteria")
    field = models.CharField(_("champ"), max_length=32, choices=CriterionField.choices)
    operator = models.CharField(_("opérateur"), max_length=8, choices=CriterionOperator.choices)
    value = models.CharField(
        _("valeur"), max_length=250, blank=True, help_text=_("Plusieurs valeurs séparées par des virgules pour « parmi ».")
    )
    label = models.CharField(_("libellé"), max_length=250)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("critère d'éligibilité")
        verbose_name_plural = _("critères d'éligibilité")
        ordering = ["cohort", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class RubricCriterion(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="rubric")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200)
    guidance = models.TextField(_("consignes"), blank=True)
    weight = models.DecimalField(_("pondération"), max_digits=5, decimal_places=2, default=Decimal("1"))
    max_score = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère de notation")
        verbose_name_plural = _("grille de notation")
        ordering = ["cohort", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "code"], name="rubric_code_unique_per_cohort"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="rubric_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="rubric_max_score_positive"),
        ]

    def __str__(self) -> str:
        return self.label


# --------------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise")
    ELIGIBLE = "eligible", _("Éligible")
    INELIGIBLE = "ineligible", _("Non éligible")
    UNDER_REVIEW = "under_review", _("En évaluation")
    SHORTLISTED = "shortlisted", _("Présélectionnée")
    SELECTED = "selected", _("Sélectionnée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    REJECTED = "rejected", _("Non retenue")
    WITHDRAWN = "withdrawn", _("Retirée")


#: The allowed moves of the application state machine (services enforce it; the admin shows it).
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.ELIGIBLE: {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.INELIGIBLE: {ApplicationStatus.ELIGIBLE},
    ApplicationStatus.UNDER_REVIEW: {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.SHORTLISTED: {
        ApplicationStatus.SELECTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.WAITLISTED: {ApplicationStatus.SELECTED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SELECTED: {ApplicationStatus.WITHDRAWN},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}

#: Statuses that mean the application passed the eligibility screening.
ELIGIBLE_STATUSES = (
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
)


class PartnershipType(models.TextChoices):
    EXPORT = "export", _("Export")
    REPRESENTATION = "representation", _("Représentation / distribution")
    CO_DEVELOPMENT = "co_development", _("Co-développement d'un produit ou service")
    TRAINING = "training", _("Formation")
    INVESTMENT = "investment", _("Investissement")
    OTHER = "other", _("Autre")


class ApplicationSource(models.TextChoices):
    ONLINE = "online", _("En ligne")
    IMPORT = "import", _("Import (collecte hors ligne)")


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user) -> "ApplicationQuerySet":
        """Staff see all; entrepreneurs their own; coaches those assigned to them; reviewers those
        they must review and have not declared a conflict of interest on."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        visible = Q(entrepreneur__user=user)
        if user.has_role(Role.COACH):
            visible |= Q(coach_assignments__coach__user=user, coach_assignments__ended_on__isnull=True)
        if user.has_role(Role.REVIEWER):
            visible |= Q(reviews__reviewer=user) & ~Q(conflicts__reviewer=user)
        return self.filter(visible).distinct()

    def submitted(self) -> "ApplicationQuerySet":
        return self.exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])

    def eligible(self) -> "ApplicationQuerySet":
        return self.filter(status__in=ELIGIBLE_STATUSES)

    def selected(self) -> "ApplicationQuerySet":
        return self.filter(status=ApplicationStatus.SELECTED)


class Application(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.PROTECT, related_name="applications")
    entrepreneur = models.ForeignKey(
        Entrepreneur, verbose_name=_("entrepreneur·e"), on_delete=models.PROTECT, related_name="applications"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.PROTECT, related_name="applications", null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("statut modifié le"), default=timezone.now)
    source = models.CharField(_("origine"), max_length=8, choices=ApplicationSource.choices, default=ApplicationSource.ONLINE)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    current_step = models.PositiveSmallIntegerField(_("étape en cours"), default=1)
    motivation = models.TextField(_("motivation"), blank=True)
    partnership_types = models.JSONField(_("types de partenariat recherchés"), default=list, blank=True)
    partnership_sought = models.TextField(_("partenariat recherché"), blank=True)
    target_markets = models.CharField(_("marchés visés"), max_length=250, blank=True)
    gender_commitment = models.TextField(_("engagement genre"), blank=True)
    environmental_commitment = models.TextField(_("engagement environnemental"), blank=True)
    declaration_accepted_at = models.DateTimeField(_("déclaration acceptée le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    is_eligible = models.BooleanField(_("éligible"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(_("éligibilité vérifiée le"), null=True, blank=True)
    failed_criteria = models.JSONField(
        _("critères non remplis"), default=list, blank=True, help_text=_("Identifiants et libellés des critères échoués.")
    )
    profile_snapshot = models.JSONField(
        _("profil au dépôt"), default=dict, blank=True, help_text=_("Réponses telles qu'à la soumission.")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["entrepreneur", "cohort"], name="application_one_per_entrepreneur_and_cohort"),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.entrepreneur} – {self.cohort}"

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT and self.cohort.is_open


class ApplicationTransition(models.Model):
    """One dated, attributed change of an application's status: the audit trail of the funnel."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("de"), max_length=16, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=16, choices=ApplicationStatus.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["application", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="transition_changes_status")
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class DocumentKind(models.TextChoices):
    REGISTRATION = "registration", _("Registre du commerce (RCCM)")
    NINEA = "ninea", _("Attestation NINEA")
    FINANCIALS = "financials", _("États financiers")
    ID_DOCUMENT = "id_document", _("Pièce d'identité")
    CV = "cv", _("CV du / de la fondateur·rice")
    BUSINESS_PLAN = "business_plan", _("Plan d'affaires")
    OTHER = "other", _("Autre")


def application_document_path(instance: "ApplicationDocument", filename: str) -> str:
    # Random name: the original name is kept in a field and never used on disk.
    import uuid

    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("type de document"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=application_document_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document de candidature")
        verbose_name_plural = _("documents de candidature")
        ordering = ["application", "kind", "uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=10 * 1024 * 1024), name="application_document_max_10mb"),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="application_document_allowed_types",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.original_name}"


# --------------------------------------------------------------------------------------------------
# Review and selection
# --------------------------------------------------------------------------------------------------


class Review(models.Model):
    """A reviewer's scoring of one application on the cohort's rubric."""

    application = models.ForeignKey(Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("évaluateur·rice"), on_delete=models.PROTECT, related_name="reviews"
    )
    assigned_at = models.DateTimeField(_("assignée le"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignée par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    comment = models.TextField(_("commentaire général"), blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer_and_application"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_at__gte=F("assigned_at")),
                name="review_submitted_after_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, verbose_name=_("critère"), on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("note"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ConflictOfInterest(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("évaluateur·rice"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField(_("motif"))
    declared_at = models.DateTimeField(_("déclaré le"), default=timezone.now)

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="conflict_one_per_reviewer_and_application")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ✕ {self.application}"


class DecisionOutcome(models.TextChoices):
    SELECTED = "selected", _("Sélectionnée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    REJECTED = "rejected", _("Non retenue")


class SelectionDecision(models.Model):
    application = models.OneToOneField(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("décision"), max_length=16, choices=DecisionOutcome.choices)
    reason = models.TextField(_("motif"))
    decided_at = models.DateTimeField(_("décidée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidée par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(_("notifiée le"), null=True, blank=True)
    override_reason = models.TextField(
        _("motif de la décision sans toutes les évaluations"),
        blank=True,
        help_text=_("Renseigné quand la décision est prise alors que des évaluations requises manquent."),
    )

    # Its history is registered in translation.py, after the French and English fields exist.

    class Meta:
        verbose_name = _("décision de sélection")
        verbose_name_plural = _("décisions de sélection")
        ordering = ["-decided_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


# --------------------------------------------------------------------------------------------------
# Governance: steering committee, incubator sub-projects; budget
# --------------------------------------------------------------------------------------------------


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Présidence")
    MEMBER = "member", _("Membre")
    OBSERVER = "observer", _("Observateur")


class CommitteeMembership(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="committee_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="committee_memberships"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    representative = models.CharField(_("représentant·e"), max_length=200, blank=True)
    joined_on = models.DateField(_("depuis"), null=True, blank=True)
    left_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre du comité de pilotage")
        verbose_name_plural = _("comité de pilotage")
        ordering = ["programme", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="committee_member_unique"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(role="chair"), name="committee_one_chair_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="committee_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class CommitteeMeeting(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="committee_meetings"
    )
    held_on = models.DateField(_("date"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("réunion du comité de pilotage")
        verbose_name_plural = _("réunions du comité de pilotage")
        ordering = ["-held_on"]
        constraints = [models.UniqueConstraint(fields=["programme", "held_on"], name="committee_meeting_one_per_day")]

    def __str__(self) -> str:
        return f"COPIL {self.held_on:%d/%m/%Y}"


class CommitteeAttendance(models.Model):
    meeting = models.ForeignKey(
        CommitteeMeeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        CommitteeMembership, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("présent"), default=True)

    class Meta:
        verbose_name = _("présence au comité")
        verbose_name_plural = _("présences au comité")
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="committee_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.membership.organisation} @ {self.meeting}"


class SubProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    ONGOING = "ongoing", _("En cours")
    COMPLETED = "completed", _("Terminé")
    CANCELLED = "cancelled", _("Annulé")


class IncubatorSubProject(models.Model):
    """A joint sub-project of Senegalese and Belgian incubators (meso level)."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sub_projects")
    title = models.CharField(_("intitulé"), max_length=200)
    sector = models.CharField(_("secteur"), max_length=16, choices=Company._meta.get_field("sector").choices)
    lead = models.ForeignKey(
        Organisation, verbose_name=_("incubateur chef de file"), on_delete=models.PROTECT, related_name="led_sub_projects"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("incubateurs partenaires"), related_name="sub_projects", blank=True
    )
    supported_companies = models.ManyToManyField(
        Company, verbose_name=_("entreprises accompagnées"), related_name="sub_projects", blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=SubProjectStatus.choices, default=SubProjectStatus.PLANNED)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sous-projet d'incubateurs")
        verbose_name_plural = _("sous-projets d'incubateurs")
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="sub_project_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(budget_eur__gte=0), name="sub_project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetCategory(models.TextChoices):
    HUMAN_RESOURCES = "hr", _("Ressources humaines")
    BUSINESS_SUPPORT = "support", _("Accompagnement des entreprises")
    MOBILITY = "mobility", _("Mobilités (voyages, visas, séjours)")
    INCUBATORS = "incubators", _("Incubateurs et sous-projets")
    EQUIPMENT = "equipment", _("Équipement")
    OPERATIONS = "operations", _("Fonctionnement")
    MONITORING = "monitoring", _("Suivi-évaluation")
    OTHER = "other", _("Autre")


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("année"))
    category = models.CharField(_("catégorie"), max_length=16, choices=BudgetCategory.choices)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant prévu"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["programme", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "category", "label"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_line_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.label}"

    @property
    def amount_eur(self) -> Decimal:
        return to_eur(self.amount, self.currency)


class Expense(models.Model):
    budget_line = models.ForeignKey(BudgetLine, verbose_name=_("ligne budgétaire"), on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    # Computed by the database from the amount and currency, whoever writes the row (admin, demo, import).
    amount_eur = models.GeneratedField(
        expression=to_eur_expression(),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("montant (EUR)"),
        help_text=_("Converti à la parité fixe 1 EUR = 655,957 FCFA."),
    )
    description = models.CharField(_("objet"), max_length=250)
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses")

    class Meta:
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")
        ordering = ["-spent_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} – {self.description}"


# --------------------------------------------------------------------------------------------------
# Imports of applications collected offline
# --------------------------------------------------------------------------------------------------


ImportStatus = JobStatus  # one vocabulary for every background job (core.jobs)


def import_file_path(instance: "ApplicationImport", filename: str) -> str:
    import uuid

    return f"imports/{uuid.uuid4().hex}"


class ApplicationImport(Job):
    """A checked spreadsheet of applications, imported by a worker: the status staff follow."""

    job_task = "cohorts.tasks_staff.application_import_run"
    job_max_attempts = 3

    file = models.FileField(_("fichier"), upload_to=import_file_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("lignes"), default=0)
    created_count = models.PositiveIntegerField(_("candidatures créées"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)

    class Meta:
        verbose_name = _("import de candidatures")
        verbose_name_plural = _("imports de candidatures")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="application_import_failed_has_error"),
            # The same file cannot be imported twice while a first import is queued, running or done.
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(status__in=["queued", "running", "done"]), name="application_import_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ScreeningJob(Job):
    """A re-screening of a cohort's applications run by a worker: the status staff see on the criteria page."""

    job_task = "cohorts.tasks_screening.cohort_rescreen_task"

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="screening_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    result = models.JSONField(_("résultat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("réexamen de candidatures")
        verbose_name_plural = _("réexamens de candidatures")
        ordering = ["-requested_at"]
        constraints = [
            # One re-screening of a cohort in flight at a time: asking again joins it.
            models.UniqueConstraint(fields=["cohort"], condition=Q(status__in=["queued", "running"]), name="screening_job_one_in_flight"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} ({self.get_status_display()})"
