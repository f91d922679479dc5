"""Applications (answers, documents, dated transitions), their reviews, conflicts of interest and the selection decision."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role
from core.db import NullsOrderIndex, desc_nulls_last
from core.storage import private_storage
from partners.models import Company, Entrepreneur

from .programmes import Cohort, RubricCriterion

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


def submitted_condition(prefix: str = "") -> Q:
    """The one definition of a submitted application, for every page, export and report: it was sent
    (it has a submission date) and is not a draft. An application withdrawn after submission still
    counts: it was received. `prefix` reaches the application through a relation ("applications__")."""
    return Q(**{f"{prefix}submitted_at__isnull": False}) & ~Q(**{f"{prefix}status": ApplicationStatus.DRAFT})


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
        return self.filter(submitted_condition())

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
    #: Given at application time: if not selected, the applicant agrees to answer the short follow-up
    #: questionnaire at +6 and +12 months (the comparison group of the impact analysis).
    follow_up_consent = models.BooleanField(
        _("accepte le questionnaire de suivi même si non retenu·e"),
        default=False,
        help_text=_("Deux questions courtes à 6 et 12 mois, pour comparer les résultats des participants et des autres."),
    )
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
        # Latest submitted first, drafts (no submission date) last on every database.
        ordering = [desc_nulls_last("submitted_at"), "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["entrepreneur", "cohort"], name="application_one_per_entrepreneur_and_cohort"),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            # The order of the staff list (selectors_staff.applications_for_staff): the database reads the
            # first page from the index instead of sorting every application.
            NullsOrderIndex(
                desc_nulls_last("submitted_at"),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="application_staff_list_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} – {self.cohort}"

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT and self.cohort.is_open

    @property
    def partnership_type_labels(self) -> list[str]:
        """The partnership types sought, by their names (the stored values are codes, never shown)."""
        return [str(PartnershipType(code).label) for code in self.partnership_types or [] if code in PartnershipType.values]


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
        # The admin changelist's order (latest moves first; ApplicationTransitionAdmin.ordering).
        indexes = [models.Index(fields=["-at", "-id"], name="transition_list_order")]
        constraints = [models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="transition_changes_status")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '∅'} → {self.get_to_status_display()}"


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
        # The admin changelist's order (latest uploads first; ApplicationDocumentAdmin.ordering).
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="applicationdocument_list_order")]
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    comment = models.TextField(_("commentaire général"), blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["application", "assigned_at"]
        # The admin changelist's order (latest assigned first; ReviewAdmin.ordering).
        indexes = [models.Index(fields=["-assigned_at", "-id"], name="review_list_order")]
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
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
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-decided_at", "-id"], name="selectiondecision_list_order")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class DocumentAccess(models.Model):
    """One opening of an application's document by staff or a reviewer: who, when, which, how."""

    document = models.ForeignKey(
        ApplicationDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur·rice"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("date"), auto_now_add=True)
    inline = models.BooleanField(_("ouvert dans le navigateur"), default=False)

    class Meta:
        verbose_name = _("consultation de document")
        verbose_name_plural = _("consultations de documents")
        ordering = ["-at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-at", "-id"], name="documentaccess_list_order")]

    def __str__(self) -> str:
        return f"{self.user} → {self.document_id}"


__all__ = [
    "DocumentAccess",
    "APPLICATION_TRANSITIONS",
    "Application",
    "ApplicationDocument",
    "ApplicationQuerySet",
    "ApplicationSource",
    "ApplicationStatus",
    "ApplicationTransition",
    "ConflictOfInterest",
    "DecisionOutcome",
    "DocumentKind",
    "ELIGIBLE_STATUSES",
    "PartnershipType",
    "Review",
    "ReviewScore",
    "SelectionDecision",
    "application_document_path",
    "submitted_condition",
]
