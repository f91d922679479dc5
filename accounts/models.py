"""Users of the platform: one account per person, logged in by e-mail, with roles held as groups."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.jobs import Job, JobStatus


class Role(models.TextChoices):
    """The roles of the brief. Each is a Group (created by a migration) carrying its permissions."""

    STAFF = "staff", _("Équipe du programme")
    COACH = "coach", _("Coach")
    REVIEWER = "reviewer", _("Évaluateur·rice de candidatures")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur·e")
    COMMITTEE = "committee", _("Membre du comité de pilotage")
    EVALUATOR = "evaluator", _("Évaluateur·rice externe")


class UserQuerySet(models.QuerySet):
    def with_role(self, role: str) -> "UserQuerySet":
        return self.filter(groups__name=role)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("langue préférée"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default="Africa/Dakar")
    is_fictitious = models.BooleanField(
        _("fictif (démo)"), default=False, help_text=_("Compte de démonstration : personne fictive.")
    )

    awaiting_verification = models.BooleanField(
        _("inscription en attente de confirmation"),
        default=False,
        help_text=_("Compte créé par l'inscription en ligne dont le lien de confirmation n'a pas encore été ouvert."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True)) if self.pk else set()
        return self._role_names

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.is_superuser and Role.STAFF in roles or bool(self.role_names & set(roles)))


EmailStatus = JobStatus  # one vocabulary for every background job: sending is "running", sent is "done"


class OutgoingEmail(Job):
    """One e-mail the platform sends, rendered in the recipient's language when it is queued, sent by a
    Celery worker. The row is the status staff see, and what makes sending idempotent."""

    job_task = "accounts.tasks.email_send"
    job_created_field = "created_at"
    job_max_attempts = 5

    to = models.EmailField(_("destinataire"))
    user = models.ForeignKey(
        "User", verbose_name=_("utilisateur·rice"), on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(_("type"), max_length=60, db_index=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    subject = models.CharField(_("objet"), max_length=250)
    body = models.TextField(_("texte"))
    html_body = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["-created_at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-created_at", "-id"], name="outgoingemail_list_order")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="done") | models.Q(sent_at__isnull=False), name="email_sent_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
