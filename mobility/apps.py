from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mobility"
    verbose_name = _("Mobilité et partenariats")

    def ready(self) -> None:
        from accounts.emails import email_kinds_register

        email_kinds_register(
            {
                "plan_submitted": _("Plan de mobilité soumis au coach"),
                "plan_reviewed": _("Plan de mobilité validé ou à revoir"),
                "partner_link/invitation": _("Invitation à une entreprise belge (lien personnel)"),
                "partner_link/invitation_reminder": _("Rappel d'une invitation sans réponse"),
                "invitation_answered": _("Réponse d'une entreprise belge à une invitation"),
                "check_in": _("Questionnaire de suivi (entrepreneur·e) ou sa relance"),
                "partner_link/check_in": _("Questionnaire de suivi du partenaire belge ou sa relance"),
            }
        )
