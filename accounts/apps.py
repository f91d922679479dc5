from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self) -> None:
        from .emails import email_kinds_register

        email_kinds_register(
            {
                "verify_email": _("Vérification de l'adresse e-mail"),
                "password_reset": _("Réinitialisation du mot de passe"),
                "test_message": _("Message d'essai"),
            }
        )
