"""Background work of the cohorts app: spreadsheet imports of applications and re-screenings, as jobs of core.jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import Job, JobStatus
from core.storage import private_storage

from .programmes import Cohort

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
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    column_mapping = models.JSONField(
        _("correspondance des colonnes"),
        default=dict,
        blank=True,
        help_text=_("La colonne du fichier retenue pour chaque champ (vide : colonnes reconnues d'après leur en-tête)."),
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohorte par défaut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("La cohorte des lignes qui n'en indiquent pas."),
    )

    class Meta:
        verbose_name = _("import de candidatures")
        verbose_name_plural = _("imports de candidatures")
        ordering = ["-requested_at"]
        # The import page's latest imports and the admin changelist, newest first: read from this index.
        indexes = [models.Index(fields=["-requested_at", "-id"], name="applicationimport_list_order")]
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    result = models.JSONField(_("résultat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("réexamen de candidatures")
        verbose_name_plural = _("réexamens de candidatures")
        ordering = ["-requested_at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-requested_at", "-id"], name="screeningjob_list_order")]
        constraints = [
            # One re-screening of a cohort in flight at a time: asking again joins it.
            models.UniqueConstraint(
                fields=["cohort"], condition=Q(status__in=["queued", "running"]), name="screening_job_one_in_flight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} ({self.get_status_display()})"


__all__ = ["ApplicationImport", "ImportStatus", "ScreeningJob", "import_file_path"]
