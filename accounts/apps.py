from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import session_clock_start

        # The session's clocks (idle timeout, absolute lifetime) start at the login itself, so that the first
        # page after it does not have to save the session.
        user_logged_in.connect(session_clock_start, dispatch_uid="accounts.session_clock_start")
