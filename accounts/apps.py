from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import session_clock_start

        from .emails import email_kinds_register

        # The session's clocks (idle timeout, absolute lifetime) start at the login itself, so that the first
        # page after it does not have to save the session.
        user_logged_in.connect(session_clock_start, dispatch_uid="accounts.session_clock_start")
        email_kinds_register(
            {
                "verify_email": _("Vérification de l'adresse e-mail"),
                "password_reset": _("Réinitialisation du mot de passe"),
                "test_message": _("Message d'essai"),
                "account_exists": _("Compte déjà existant"),
                "password_link": _("Lien pour choisir son mot de passe"),
            }
        )
