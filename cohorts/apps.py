from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"
    verbose_name = _("Programmes, cohortes et candidatures")

    def ready(self) -> None:
        from accounts.emails import email_kinds_register

        email_kinds_register(
            {
                "application_submitted": _("Candidature reçue"),
                "selection_selected": _("Décision : candidature retenue"),
                "selection_waitlisted": _("Décision : liste d'attente"),
                "selection_rejected": _("Décision : candidature non retenue"),
                "screening_rescreen_done": _("Réexamen de l'éligibilité terminé"),
                "review_conflict_declared": _("Conflit d'intérêts déclaré"),
            }
        )
