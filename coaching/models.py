"""Pre-mobility support of selected entrepreneurs: coach assignments, coaching sessions and the cohort's
group events (boostcamps, trainings, info sessions) with their attendance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import Application, Cohort
from partners.models import Coach, Organisation


class CoachAssignment(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="coach_assignments"
    )
    coach = models.ForeignKey(Coach, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="assignments")
    is_lead = models.BooleanField(_("coach principal·e"), default=False)
    assigned_on = models.DateField(_("assigné le"), default=timezone.localdate)
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigné par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("affectation de coach")
        verbose_name_plural = _("affectations de coachs")
        ordering = ["-assigned_on"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-assigned_on", "-id"], name="coachassignment_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "coach"], condition=Q(ended_on__isnull=True), name="coach_assignment_one_active"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("assigned_on")), name="coach_assignment_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} → {self.application.entrepreneur}"


class EventKind(models.TextChoices):
    BOOSTCAMP = "boostcamp", _("Boostcamp")
    TRAINING = "training", _("Formation")
    GROUP_COACHING = "group_coaching", _("Coaching collectif")
    INFO_SESSION = "info_session", _("Séance d'information")
    INCUBATOR_EXCHANGE = "incubator_exchange", _("Échange entre incubateurs")
    VISA_TRAINING = "visa_training", _("Préparation au visa")


class GroupEvent(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("type"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        Organisation, verbose_name=_("animé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("événement collectif")
        verbose_name_plural = _("événements collectifs")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_dates_in_order")]

    def __str__(self) -> str:
        return self.title


class EventAttendance(models.Model):
    event = models.ForeignKey(GroupEvent, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="attendances")
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("présent·e"), default=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [models.UniqueConstraint(fields=["event", "application"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.application.entrepreneur} @ {self.event}"


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel")
    GROUP = "group", _("Collectif")
    BOOSTCAMP = "boostcamp", _("Boostcamp")


class CoachingTopic(models.TextChoices):
    """The themes a coach ticks when logging a session (plus free text)."""

    BUSINESS_MODEL = "business_model", _("Modèle d'affaires")
    FINANCE = "finance", _("Finances et trésorerie")
    MARKET = "market", _("Marché belge et export")
    PITCH = "pitch", _("Pitch et présentation")
    PARTNERS = "partners", _("Partenaires visés")
    MOBILITY_PLAN = "mobility_plan", _("Plan de mobilité")
    VISA = "visa", _("Visa et voyage")
    LEGAL = "legal", _("Formalisation et juridique")
    DIGITAL = "digital", _("Numérique")
    GENDER_ENVIRONMENT = "gender_environment", _("Genre et environnement")


class CoachingSession(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(Coach, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("type"), max_length=16, choices=SessionKind.choices, default=SessionKind.INDIVIDUAL)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    topic_tags = models.JSONField(_("thèmes"), default=list, blank=True, help_text=_("Valeurs de la liste des thèmes."))
    topics = models.TextField(_("résumé"), blank=True, help_text=_("Visible par l'entrepreneur·e."))
    private_notes = models.TextField(_("notes privées"), blank=True, help_text=_("Visibles du coach et de l'équipe seulement."))
    action_items = models.TextField(_("actions à mener (texte libre, ancien)"), blank=True)
    event = models.ForeignKey(
        GroupEvent, verbose_name=_("événement"), on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    logged_at = models.DateTimeField(_("saisie le"), default=timezone.now)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saisie par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Made by the form when it is shown: a form sent twice (a retry after a dropped connection, a
    #: double tap) records one session.
    client_token = models.UUIDField(_("jeton du formulaire"), null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["client_token"])

    class Meta:
        verbose_name = _("séance de coaching")
        verbose_name_plural = _("séances de coaching")
        ordering = ["-held_on"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-held_on", "-id"], name="coachingsession_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=12 * 60), name="session_duration_plausible"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} – {self.application.entrepreneur} ({self.coach})"


class ActionOwner(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur·e")
    COACH = "coach", _("Coach")


class ActionItem(models.Model):
    """Something to do after a session, by the entrepreneur or the coach, by a date."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="action_items"
    )
    session = models.ForeignKey(
        CoachingSession, verbose_name=_("séance"), on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=250)
    owner = models.CharField(_("qui"), max_length=16, choices=ActionOwner.choices, default=ActionOwner.ENTREPRENEUR)
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("faite par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("action à mener")
        verbose_name_plural = _("actions à mener")
        ordering = ["done_at", "due_on", "pk"]
        # The admin changelist's order (open items first, by due date): read from this index, not sorted.
        indexes = [models.Index(fields=["done_at", "due_on", "id"], name="actionitem_list_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < timezone.localdate()


class CoachDigest(models.Model):
    """The weekly reminder e-mail of one coach: one row per coach and week, written when it is queued,
    so that a beat firing twice sends it once."""

    coach = models.ForeignKey(Coach, verbose_name=_("coach"), on_delete=models.CASCADE, related_name="digests")
    week_of = models.DateField(_("semaine du"))
    overdue_actions = models.PositiveIntegerField(_("actions en retard"), default=0)
    quiet_entrepreneurs = models.PositiveIntegerField(_("entrepreneur·es sans séance récente"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel hebdomadaire")
        verbose_name_plural = _("rappels hebdomadaires")
        ordering = ["-week_of"]
        constraints = [models.UniqueConstraint(fields=["coach", "week_of"], name="coach_digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.coach} – {self.week_of:%d/%m/%Y}"
