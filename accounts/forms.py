import logging

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User

logger = logging.getLogger(__name__)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, but the e-mail goes through the platform's queue (an OutgoingEmail
    sent by a worker, retried, its status visible) in the recipient's language, never inside the request:
    a hung SMTP server cannot hold the page."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        from .emails import email_queue
        from .services import account_email_allowed

        user = context.get("user")
        if not account_email_allowed(email=to_email, kinds=("password_reset",)):
            logger.info("Password-reset e-mail not sent: limit reached for account %s.", getattr(user, "pk", None))
            return
        email_queue(
            to=to_email,
            user=user,
            template="password_reset",
            language=getattr(user, "preferred_language", None),
            context={key: value for key, value in context.items() if key != "user"},
        )


class LoginForm(AuthenticationForm):
    # A sign-up whose link was not opened yet has no password: nothing to tell apart from a wrong one.
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class SignupForm(forms.Form):
    """An applicant's sign-up: name, e-mail (their login), preferred language. The password is chosen
    from the link e-mailed to that address, so that only the holder of the mailbox sets it."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Elle vous servira d'identifiant ; nous y enverrons un lien pour choisir votre mot de passe."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Langue préférée"),
        choices=settings.LANGUAGES,
        help_text=_("Langue des pages et des e-mails que vous recevrez."),
    )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class SignupCompleteForm(forms.Form):
    """Opened from the verification link: the names typed at sign-up (to correct) and the password."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", ValidationError(_("Les deux mots de passe ne correspondent pas."), code="password_mismatch")
            )
        elif password1:
            candidate = User(
                email=self.user.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class MfaTokenForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )
