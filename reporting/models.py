"""Results framework, the DAC evaluation and report jobs. `reporting` reads every other app and
writes only these models."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from cohorts.models import Cohort, Level, Programme, ProgrammeMembership
from core.jobs import Job, JobStatus  # noqa: F401 - JobStatus re-exported for the reports area
from core.storage import private_storage
from partners.models import Organisation

#: The roles that read results, the evaluation and reports.
READING_ROLES = (Role.STAFF, Role.COMMITTEE, Role.EVALUATOR)


def readable_programmes(user, roles: tuple[str, ...] = READING_ROLES) -> models.QuerySet:
    """The one access rule of reporting: staff (when `roles` includes staff) see every programme; the
    other roles see the programmes they are members of in one of `roles` that they still hold (taking
    someone out of the committee group ends their access)."""
    if not user.is_authenticated or not user.has_role(*roles):
        return Programme.objects.none()
    if Role.STAFF in roles and user.has_role(Role.STAFF):
        return Programme.objects.all()
    held = set(roles) & user.role_names
    return Programme.objects.filter(pk__in=ProgrammeMembership.objects.filter(user=user, role__in=held).values("programme_id"))


class ProgrammeScopedQuerySet(models.QuerySet):
    """Results, evaluation and reports: staff, and the committee members and evaluators of the programme."""

    programme_path = "programme"

    def for_user(self, user):
        if user.is_authenticated and user.has_role(Role.STAFF):
            return self
        return self.filter(**{f"{self.programme_path}__in": readable_programmes(user)})


# --------------------------------------------------------------------------------------------------
# Results framework
# --------------------------------------------------------------------------------------------------


class ResultObjective(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=300)
    level = models.CharField(_("niveau"), max_length=8, choices=Level.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("objectif parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="objective_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class Disaggregation(models.TextChoices):
    GENDER = "gender", _("Genre")
    REGION = "region", _("Région (groupe de régions suivi par le programme, ou ailleurs)")
    DIASPORA = "diaspora", _("Diaspora")
    COMPANY_AGE = "company_age", _("Âge de l'entreprise")
    EDUCATION = "education", _("Niveau d'études")
    SECTOR = "sector", _("Secteur")
    COHORT = "cohort", _("Cohorte")


class IndicatorDirection(models.TextChoices):
    """Which way an indicator should move: a refusal rate or a cost is better lower, a count higher."""

    HIGHER_IS_BETTER = "higher", _("À augmenter (plus c'est haut, mieux c'est)")
    LOWER_IS_BETTER = "lower", _("À réduire (plus c'est bas, mieux c'est)")


class Indicator(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        ResultObjective, verbose_name=_("objectif"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("intitulé"), max_length=300)
    definition = models.TextField(_("définition"), blank=True)
    unit = models.CharField(_("unité"), max_length=40, default="nombre")
    calculator = models.CharField(
        _("calcul automatique"),
        max_length=60,
        blank=True,
        help_text=_("Clé du calcul enregistré ; vide pour un indicateur saisi à la main."),
    )
    disaggregations = models.JSONField(_("ventilations"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    baseline = models.DecimalField(_("valeur de référence"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("année de référence"), null=True, blank=True)
    direction = models.CharField(
        _("sens"),
        max_length=10,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.HIGHER_IS_BETTER,
        help_text=_(
            "À réduire : la cible est un maximum (taux de refus, coût), atteinte quand la valeur est inférieure ou égale. "
            "À augmenter : la cible est un minimum."
        ),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["programme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_manual(self) -> bool:
        return not self.calculator

    @property
    def lower_is_better(self) -> bool:
        return self.direction == IndicatorDirection.LOWER_IS_BETTER

    def target_met(self, actual, target) -> bool | None:
        """Whether `actual` meets `target` in the indicator's direction (None when either is missing):
        a 9.4 % refusal rate meets a "10 % at most" target."""
        if actual is None or target is None:
            return None
        return Decimal(actual) <= Decimal(target) if self.lower_is_better else Decimal(actual) >= Decimal(target)

    def progress(self, actual, target) -> Decimal | None:
        """Actual as a share of the target, in %, for an indicator to raise; none for one to reduce (a
        maximum is met or not: "94 % of the target" would read as falling short)."""
        if self.lower_is_better or actual is None or not target:
            return None
        return (Decimal(actual) / Decimal(target) * 100).quantize(Decimal("1"))


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="targets")
    period_label = models.CharField(_("période"), max_length=40)
    period_end = models.DateField(_("fin de période"))
    value = models.DecimalField(_("cible"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["indicator", "period_end"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_end"], name="target_one_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_label}: {self.value}"


class IndicatorValue(models.Model):
    """A value for a period: entered by hand (with evidence) or frozen from a calculator (snapshot)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField(_("fin de période"))
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dimension = models.CharField(_("ventilation"), max_length=16, choices=Disaggregation.choices, blank=True)
    group = models.CharField(_("groupe"), max_length=60, blank=True)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4)
    is_snapshot = models.BooleanField(_("instantané calculé"), default=False)
    evidence = models.TextField(_("justificatif"), blank=True)
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        ordering = ["indicator", "period_end", "dimension", "group"]
        constraints = [
            # Two partial constraints instead of nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["indicator", "period_end", "cohort", "dimension", "group"],
                condition=Q(cohort__isnull=False),
                name="indicator_value_unique_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_end", "dimension", "group"],
                condition=Q(cohort__isnull=True),
                name="indicator_value_unique_programme_wide",
            ),
            models.CheckConstraint(condition=Q(dimension="") | ~Q(group=""), name="indicator_value_group_named"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_end}: {self.value}"


# --------------------------------------------------------------------------------------------------
# The evaluation
# --------------------------------------------------------------------------------------------------


class DacCriterion(models.TextChoices):
    RELEVANCE = "relevance", _("Pertinence")
    COHERENCE = "coherence", _("Cohérence")
    EFFECTIVENESS = "effectiveness", _("Efficacité")
    EFFICIENCY = "efficiency", _("Efficience")
    SUSTAINABILITY = "sustainability", _("Durabilité")
    IMPACT = "impact", _("Impact")


class Grade(models.TextChoices):
    A = "A", _("A – très bon")
    B = "B", _("B – bon")
    C = "C", _("C – problèmes")
    D = "D", _("D – graves lacunes")


class EvaluationQuerySet(ProgrammeScopedQuerySet):
    pass


class Evaluation(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="evaluations")
    title = models.CharField(_("intitulé"), max_length=250)
    evaluator = models.ForeignKey(
        Organisation, verbose_name=_("évaluateur"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("période évaluée du"))
    period_end = models.DateField(_("au"))
    field_mission_start = models.DateField(_("mission de terrain du"), null=True, blank=True)
    field_mission_end = models.DateField(_("au (mission)"), null=True, blank=True)
    report_date = models.DateField(_("date du rapport"), null=True, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    methodology = models.TextField(_("méthodologie"), blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation du programme")
        verbose_name_plural = _("évaluations du programme")
        ordering = ["-period_end"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="evaluation_period_in_order"),
            models.CheckConstraint(
                condition=Q(field_mission_end__isnull=True)
                | Q(field_mission_start__isnull=True)
                | Q(field_mission_end__gte=F("field_mission_start")),
                name="evaluation_mission_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CriterionGrade(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="grades")
    criterion = models.CharField(_("critère CAD"), max_length=16, choices=DacCriterion.choices)
    grade = models.CharField(_("note"), max_length=1, choices=Grade.choices)
    findings = models.TextField(_("constats"), blank=True)

    # Its history is registered in translation.py, after the French and English fields exist.

    class Meta:
        verbose_name = _("note par critère CAD")
        verbose_name_plural = _("notes par critère CAD")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="grade_one_per_criterion"),
            models.CheckConstraint(condition=Q(grade__in=["A", "B", "C", "D"]), name="grade_between_a_and_d"),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.grade}"


class CriterionFinding(models.Model):
    """Findings of one criterion for one specific objective (OS1, OS2), where the evaluation splits them."""

    grade = models.ForeignKey(
        CriterionGrade, verbose_name=_("critère"), on_delete=models.CASCADE, related_name="objective_findings"
    )
    objective = models.CharField(_("objectif spécifique"), max_length=8, choices=[("OS1", "OS1"), ("OS2", "OS2")])
    text = models.TextField(_("constats"))

    class Meta:
        verbose_name = _("constat par objectif")
        verbose_name_plural = _("constats par objectif")
        constraints = [models.UniqueConstraint(fields=["grade", "objective"], name="finding_one_per_objective")]

    def __str__(self) -> str:
        return f"{self.grade} – {self.objective}"


class DataSource(models.TextChoices):
    PLATFORM = "platform", _("Données de la plateforme")
    INTERVIEWS = "interviews", _("Entretiens")
    FOCUS_GROUPS = "focus_groups", _("Groupes de discussion")
    DOCUMENTS = "documents", _("Documents du projet")


class EvaluationQuestion(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=10)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("question principale"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_questions",
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("réponse"), blank=True)
    criteria = models.JSONField(_("critères CAD liés"), default=list, blank=True)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicateurs"), blank=True, related_name="questions")
    sources = models.JSONField(_("sources de données"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("question d'évaluation")
        verbose_name_plural = _("questions d'évaluation (matrice)")
        ordering = ["evaluation", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return self.code


class Conclusion(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="conclusions")
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("intitulé"), max_length=300)
    text = models.TextField(_("texte"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["evaluation", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="conclusion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class RecommendationPriority(models.TextChoices):
    SHORT = "short", _("Court terme")
    MEDIUM = "medium", _("Moyen terme")
    LONG = "long", _("Long terme")


class RecommendationType(models.TextChoices):
    STRATEGIC = "strategic", _("Stratégique")
    OPERATIONAL = "operational", _("Opérationnelle")


class RecommendationLevel(models.IntegerChoices):
    PROGRAMME = 1, _("1 – Projet / programme")
    COUNTRY = 2, _("2 – Représentation / pays")
    AGENCY = 3, _("3 – Organisation de l'agence")
    FRAMEWORK = 4, _("4 – Cadre global de la coopération")


class Recommendation(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="recommendations"
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("intitulé"), max_length=300)
    text = models.TextField(_("texte"), blank=True)
    conclusions = models.ManyToManyField(
        Conclusion, verbose_name=_("conclusions liées"), blank=True, related_name="recommendations"
    )
    targeted_actors = models.CharField(_("acteurs ciblés"), max_length=500, blank=True)
    levels = models.JSONField(_("niveaux (1 à 4)"), default=list)
    priority = models.CharField(_("priorité"), max_length=8, choices=RecommendationPriority.choices)
    type = models.CharField(_("type"), max_length=16, choices=RecommendationType.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["evaluation", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="recommendation_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.levels or any(level not in RecommendationLevel.values for level in self.levels):
            raise ValidationError({"levels": _("Indiquez un ou plusieurs niveaux entre 1 et 4.")})


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée")
    PARTLY = "partly", _("Partiellement acceptée")
    REJECTED = "rejected", _("Rejetée")


class ResponseStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    DROPPED = "dropped", _("Abandonnée")


class ManagementResponse(models.Model):
    recommendation = models.OneToOneField(
        Recommendation, verbose_name=_("recommandation"), on_delete=models.CASCADE, related_name="management_response"
    )
    decision = models.CharField(_("réponse"), max_length=16, choices=ResponseDecision.choices)
    action = models.TextField(_("action prévue"), blank=True)
    owner = models.CharField(_("responsable"), max_length=200, blank=True)
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("avancement"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.PLANNED)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    # Its history is registered in translation.py, after the French and English fields exist.

    class Meta:
        verbose_name = _("réponse managériale")
        verbose_name_plural = _("réponses managériales")

    def __str__(self) -> str:
        return f"{self.recommendation.code}: {self.get_decision_display()}"


class Lesson(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="lessons")
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("intitulé"), max_length=300)
    text = models.TextField(_("texte"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("leçon apprise")
        verbose_name_plural = _("leçons apprises")
        ordering = ["evaluation", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="lesson_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


# --------------------------------------------------------------------------------------------------
# Report jobs
# --------------------------------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    DAC_EVALUATION = "dac", _("Rapport d'évaluation CAD")
    COHORT = "cohort", _("Rapport de cohorte")
    COMMITTEE_BRIEF = "committee", _("Note au comité de pilotage")


class ReportJobQuerySet(ProgrammeScopedQuerySet):
    pass


def report_path(instance: "ReportJob", filename: str) -> str:
    return f"reports/{instance.programme_id}/{instance.pk}-{instance.kind}-{instance.language}.pdf"


class ReportJob(Job):
    job_task = "reporting.tasks_reports.report_render"

    kind = models.CharField(_("rapport"), max_length=16, choices=ReportKind.choices)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="report_jobs")
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    file = models.FileField(_("fichier"), upload_to=report_path, storage=private_storage, blank=True, max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("données arrêtées au"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport demandé")
        verbose_name_plural = _("rapports demandés")
        ordering = ["-requested_at"]
        indexes = [
            # A programme's dashboard lists its latest finished reports (selectors_dashboard.finished_reports).
            models.Index(fields=["programme", "status", "-finished_at", "-id"], name="reportjob_programme_order"),
            # The report list and the admin changelist, newest first.
            models.Index(fields=["-requested_at", "-id"], name="reportjob_list_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_max_100"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="report_job_done_has_file"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="report_job_failed_has_error"),
            # The same report asked again while one is in flight joins it instead of starting another.
            models.UniqueConstraint(
                fields=["kind", "programme", "cohort", "language"],
                condition=Q(status__in=["queued", "running"], cohort__isnull=False),
                name="report_job_one_in_flight_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["kind", "programme", "language"],
                condition=Q(status__in=["queued", "running"], cohort__isnull=True),
                name="report_job_one_in_flight_programme_wide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.programme.name} ({translation.get_language_info(self.language)['name_translated']})"
