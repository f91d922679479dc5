"""Writes on accounts: sign-up with e-mail verification (an applicant creates an inactive account in the
entrepreneur group, receives a signed link valid three days, and the link activates the account), and
sending a queued e-mail exactly once."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    base36_to_int,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _

from core.jobs import JobRetry, job_claim, job_finish, job_heartbeat, job_retry_later

from .emails import email_queue
from .models import OutgoingEmail, Role, User


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (dead once the password or last login changes) with its own salt, so
    that neither kind of link opens the other, and dead once the account is active, so that a link works
    only once. Valid SIGNUP_VERIFICATION_TIMEOUT (three days), not the reset links' hour."""

    key_salt = "accounts.services_signup.EmailVerificationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's own check also limits the age to PASSWORD_RESET_TIMEOUT (one hour): same checks, own limit.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.SIGNUP_VERIFICATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


email_verification_token = EmailVerificationTokenGenerator()


def safe_next(next_url: str | None) -> str:
    """A `next` path that stays on this site, else an empty string."""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):
        return next_url
    return ""


def verification_path(*, user: User, next_url: str = "") -> str:
    path = reverse(
        "accounts:signup_verify",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": email_verification_token.make_token(user)},
    )
    next_url = safe_next(next_url)
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def verification_email_send(*, user: User, next_url: str = "") -> None:
    """Queue the verification e-mail, in the language the person chose when signing up."""
    email_queue(
        to=user.email,
        user=user,
        template="verify_email",
        language=user.preferred_language,
        context={"name": user.first_name, "verify_path": verification_path(user=user, next_url=next_url)},
    )


def _duplicate_email() -> ValidationError:
    """The sign-up form's own message (it checks first; this covers a sign-up racing another one)."""
    message = _("Un compte existe déjà avec cette adresse. Connectez-vous, ou choisissez « Mot de passe oublié ».")
    return ValidationError({"email": ValidationError(message, code="duplicate_email")})


@transaction.atomic
def user_signup(
    *, first_name: str, last_name: str, email: str, password: str, preferred_language: str, next_url: str = ""
) -> User:
    """Create an inactive entrepreneur account and e-mail its verification link."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=preferred_language,
        is_active=False,
    )
    if User.objects.filter(email__iexact=user.email).exists():
        raise _duplicate_email()
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the IntegrityError must not break the outer transaction
            user.save()
    except IntegrityError:
        # Two sign-ups with the same address at the same moment: both passed the checks, the database's
        # (case-insensitive) uniqueness stopped the second one.
        raise _duplicate_email() from None
    user.groups.add(Group.objects.get(name=Role.ENTREPRENEUR))
    verification_email_send(user=user, next_url=next_url)
    return user


def user_for_verification(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@transaction.atomic
def user_verify_email(*, uidb64: str, token: str) -> tuple[str, User | None]:
    """Check a verification link and activate the account it names.

    Returns ("activated", user), ("already_active", user) when the account was activated before (the link
    served already), or ("invalid", None) for an expired, tampered or unknown link."""
    user = user_for_verification(uidb64)
    if user is None:
        return "invalid", None
    user = User.objects.select_for_update().get(pk=user.pk)
    if email_verification_token.check_token(user, token):
        user.is_active = True
        user.save(update_fields=["is_active"])
        return "activated", user
    if user.is_active:
        return "already_active", user
    return "invalid", None


@transaction.atomic
def verification_email_resend(*, email: str) -> bool:
    """Send a new link to an account still waiting for verification. Returns whether one was sent;
    the page says the same either way, so it does not tell who has an account."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=False, last_login__isnull=True).first()
    if user is None:
        return False
    verification_email_send(user=user)
    return True


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail. The job framework claims the row (a redelivered task, or two workers,
    never send it twice) and beats while the SMTP server answers. Returns whether this call sent it.
    Raises JobRetry when the transport failed and the e-mail will be tried again, JobBusy when another
    live worker is sending it."""
    email = job_claim(model=OutgoingEmail, pk=email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        with job_heartbeat(job=email):
            message.send()
    except Exception as error:  # noqa: BLE001 - any transport error is recorded, then retried or failed
        reason = (str(error) or type(error).__name__)[:2000]
        if job_retry_later(job=email, reason=reason):
            raise JobRetry(reason) from error
        return False
    return job_finish(job=email, sent_at=timezone.now())
