from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"
    verbose_name = _("Accompagnement pré-mobilité")

    def ready(self) -> None:
        from accounts.emails import email_kinds_register

        email_kinds_register({"coach_digest": _("Rappel hebdomadaire aux coachs")})
